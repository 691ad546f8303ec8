import { ADMIN_USERS_ENTITIES } from './admin-users/admin-users.entities';
import { InitialPassword } from './login-flow/initial-password.entity';
import { LOGIN_HISTORY_ENTITIES } from './login-history/login-history.entities';
import { LoginFlow } from './flows/login-flow.entity';
import { LoginThrottle } from './lockout/login-throttle.entity';
import { ME_ENTITIES } from './me/me.entities';
import { PASSKEYS_ENTITIES } from './passkeys/passkeys.entities';
import { PasswordResetGuard } from './password-reset/password-reset-guard.entity';
import { PasswordResetToken } from './password-reset/password-reset-token.entity';
import { PUSH_ENTITIES } from './push/push.entities';
import { RISK_ENTITIES } from './risk/risk.entities';
import { SecurityCode } from './security-codes/security-code.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { Membership } from './tenants/membership.entity';
import { Tenant } from './tenants/tenant.entity';
import { TOTP_ENTITIES } from './totp/totp.entities';
import { TRUSTED_BROWSERS_ENTITIES } from './trusted-browsers/trusted-browsers.entities';
import { User } from './users/user.entity';
import { CreateAuthSchema1763769600000 } from './migrations/1763769600000-CreateAuthSchema';
import { AddLoginThrottleSettledFailures1763769600001 } from './migrations/1763769600001-AddLoginThrottleSettledFailures';
import { AddSessionRevokedAtIndex1763769600002 } from './migrations/1763769600002-AddSessionRevokedAtIndex';
import { LoginFlowStagesAndInitialPassword1763769600005 } from './migrations/1763769600005-LoginFlowStagesAndInitialPassword';
import { UserProfileColumns1763769600006 } from './migrations/1763769600006-UserProfileColumns';
import { AdminUserManagement1763769600010 } from './migrations/1763769600010-AdminUserManagement';
import { ProfileAndMfaChanges1763769600020 } from './migrations/1763769600020-ProfileAndMfaChanges';
import { LoginHistory1763769600030 } from './migrations/1763769600030-LoginHistory';
import { Passkeys1763769600040 } from './migrations/1763769600040-Passkeys';
import { TrustedBrowsersAndRisk1763769600050 } from './migrations/1763769600050-TrustedBrowsersAndRisk';
import { TotpAndPush1763769600060 } from './migrations/1763769600060-TotpAndPush';
import { OutboxNotifyTrigger1763769600070 } from './migrations/1763769600070-OutboxNotifyTrigger';
import { OutboxParking1764720000000 } from './migrations/1764720000000-OutboxParking';
import { RefreshTokenSuccessor1764720000310 } from './migrations/1764720000310-RefreshTokenSuccessor';
import { PruneAnonymousRows1764720000320 } from './migrations/1764720000320-PruneAnonymousRows';
import { ScopeLoginHistory1764900000000 } from './migrations/1764900000000-ScopeLoginHistory';
import { SecurityCodeMessageId1796278126100 } from './migrations/1796278126100-SecurityCodeMessageId';

export const AUTH_SCHEMA = 'auth';

export const AUTH_ENTITIES = [
  User,
  Tenant,
  Membership,
  LoginThrottle,
  LoginFlow,
  SecurityCode,
  Session,
  RefreshToken,
  PasswordResetToken,
  PasswordResetGuard,
  InitialPassword,
  ...ADMIN_USERS_ENTITIES,
  ...ME_ENTITIES,
  ...LOGIN_HISTORY_ENTITIES,
  ...PASSKEYS_ENTITIES,
  ...TRUSTED_BROWSERS_ENTITIES,
  ...RISK_ENTITIES,
  ...TOTP_ENTITIES,
  ...PUSH_ENTITIES,
];

/** In order; a new migration is appended here. */
export const AUTH_MIGRATIONS = [
  CreateAuthSchema1763769600000,
  AddLoginThrottleSettledFailures1763769600001,
  AddSessionRevokedAtIndex1763769600002,
  LoginFlowStagesAndInitialPassword1763769600005,
  UserProfileColumns1763769600006,
  AdminUserManagement1763769600010,
  ProfileAndMfaChanges1763769600020,
  LoginHistory1763769600030,
  Passkeys1763769600040,
  TrustedBrowsersAndRisk1763769600050,
  TotpAndPush1763769600060,
  OutboxNotifyTrigger1763769600070,
  OutboxParking1764720000000,
  RefreshTokenSuccessor1764720000310,
  PruneAnonymousRows1764720000320,
  ScopeLoginHistory1764900000000,
  SecurityCodeMessageId1796278126100,
];
