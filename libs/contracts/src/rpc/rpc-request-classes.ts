import {
  ChallengeDto,
  CreateOperatorDto,
  InitialPasswordDto,
  LoginDto,
  LogoutDto,
  PasswordResetCompleteDto,
  PasswordResetRequestDto,
  RefreshDto,
  ResetTokenParam,
  SelectTenantDto,
  VerifyDto,
} from '../dto/auth.dto';
import { AuditEventsQueryDto } from '../dto/audit.dto';
import { CreateTenantDto, CreateTenantUserDto, UserIdParam } from '../dto/ops.dto';
import { RpcSubject } from './rpc-map';
import { ADMIN_RPC_CLASSES } from './admin.rpc';
import { LOGIN_HISTORY_RPC_CLASSES } from './login-history.rpc';
import { ME_RPC_CLASSES } from './me.rpc';
import { MFA_METHODS_RPC_CLASSES } from './mfa-methods.rpc';
import { PASSKEY_RPC_CLASSES } from './passkey.rpc';
import { TRUSTED_BROWSER_RPC_CLASSES } from './trusted-browser.rpc';
import { CASES_RPC_CLASSES } from './cases.rpc';
import { INTEGRATIONS_RPC_CLASSES } from './integrations.rpc';
import { ATTACHMENTS_RPC_CLASSES } from './attachments.rpc';
import { KNOWLEDGE_RPC_CLASSES } from './knowledge.rpc';
import { MESSAGES_RPC_CLASSES } from './messages.rpc';
import { WORK_REQUESTS_RPC_CLASSES } from './work-requests.rpc';
import { BOUNCES_RPC_CLASSES } from './bounces.rpc';

/**
 * The class-validator class of each subject's request, so a service validates a payload again at its
 * own boundary (a NATS peer is not trusted to have gone through the gateway). Extra fields that the
 * gateway adds from the path (flowId, token, tenant, id) are checked by the handler's types.
 */
export const RPC_REQUEST_CLASSES: Partial<Record<RpcSubject, new () => object>> = {
  'auth.login.password': LoginDto,
  'auth.login.challenge': ChallengeDto,
  'auth.login.verify': VerifyDto,
  'auth.login.initial_password': InitialPasswordDto,
  'auth.token.refresh': RefreshDto,
  'auth.logout': LogoutDto,
  'auth.tenant.select': SelectTenantDto,
  'auth.password_reset.request': PasswordResetRequestDto,
  'auth.password_reset.inspect': ResetTokenParam,
  'auth.password_reset.complete': PasswordResetCompleteDto,
  'auth.operator.create': CreateOperatorDto,
  'auth.tenant.create': CreateTenantDto,
  'auth.tenant.user.create': CreateTenantUserDto,
  'auth.admin.user.unlock': UserIdParam,
  'audit-trail.events.query': AuditEventsQueryDto,
  ...ADMIN_RPC_CLASSES,
  ...ME_RPC_CLASSES,
  ...LOGIN_HISTORY_RPC_CLASSES,
  ...PASSKEY_RPC_CLASSES,
  ...TRUSTED_BROWSER_RPC_CLASSES,
  ...MFA_METHODS_RPC_CLASSES,
  ...CASES_RPC_CLASSES,
  ...INTEGRATIONS_RPC_CLASSES,
  ...ATTACHMENTS_RPC_CLASSES,
  ...KNOWLEDGE_RPC_CLASSES,
  ...MESSAGES_RPC_CLASSES,
  ...WORK_REQUESTS_RPC_CLASSES,
  ...BOUNCES_RPC_CLASSES,
};
