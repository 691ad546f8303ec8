import { LoginFlow } from './login-flow/login-flow.entity';
import { LoginThrottle } from './lockout/login-throttle.entity';
import { PasswordResetGuard } from './password-reset/password-reset-guard.entity';
import { PasswordResetToken } from './password-reset/password-reset-token.entity';
import { SecurityCode } from './security-codes/security-code.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { Membership } from './tenants/membership.entity';
import { Tenant } from './tenants/tenant.entity';
import { User } from './users/user.entity';
import { CreateAuthSchema1763769600000 } from './migrations/1763769600000-CreateAuthSchema';
import { AddLoginThrottleSettledFailures1763769600001 } from './migrations/1763769600001-AddLoginThrottleSettledFailures';
import { AddSessionRevokedAtIndex1763769600002 } from './migrations/1763769600002-AddSessionRevokedAtIndex';

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
];

/** In order; a new migration is appended here. */
export const AUTH_MIGRATIONS = [
  CreateAuthSchema1763769600000,
  AddLoginThrottleSettledFailures1763769600001,
  AddSessionRevokedAtIndex1763769600002,
];
