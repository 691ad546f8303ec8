import {
  CreateOperatorDto,
  LoginDto,
  LogoutDto,
  PasswordResetRequestDto,
  RefreshDto,
  ResetTokenParam,
  SelectTenantDto,
} from '../dto/auth.dto';
import { CreateTenantDto, UserIdParam } from '../dto/ops.dto';
import {
  AuditEventsPageRequest,
  ChallengeRequest,
  CreateTenantUserRequest,
  InitialPasswordRequest,
  PasswordResetCompleteRequest,
  VerifyRequest,
} from './auth-path.requests';
import { EmptyRequest, RpcRequestClasses } from './rpc-request-class';
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
import { TENANT_ADMINS_RPC_CLASSES } from './tenant-admins.rpc';

/**
 * The class-validator class of every subject's request, path fields included, so a service validates
 * a payload again at its own boundary (a NATS peer is not trusted to have gone through the gateway).
 * The type requires one per subject: a subject without a request class does not compile.
 */
export const RPC_REQUEST_CLASSES: RpcRequestClasses = {
  'auth.login.password': LoginDto,
  'auth.login.challenge': ChallengeRequest,
  'auth.login.verify': VerifyRequest,
  'auth.login.initial_password': InitialPasswordRequest,
  'auth.token.refresh': RefreshDto,
  'auth.logout': LogoutDto,
  'auth.tenant.select': SelectTenantDto,
  'auth.password.policy': EmptyRequest,
  'auth.password_reset.request': PasswordResetRequestDto,
  'auth.password_reset.inspect': ResetTokenParam,
  'auth.password_reset.complete': PasswordResetCompleteRequest,
  'auth.operator.create': CreateOperatorDto,
  'auth.tenant.create': CreateTenantDto,
  'auth.tenant.list': EmptyRequest,
  'auth.tenant.user.create': CreateTenantUserRequest,
  'auth.admin.user.unlock': UserIdParam,
  'auth.health': EmptyRequest,
  'auth.keys.jwks': EmptyRequest,
  'notification.outbox.list': EmptyRequest,
  'notification.health': EmptyRequest,
  'audit-trail.events.query': AuditEventsPageRequest,
  'audit-trail.health': EmptyRequest,
  'audit-trail.signing_key': EmptyRequest,
  'case-management.health': EmptyRequest,
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
  ...TENANT_ADMINS_RPC_CLASSES,
};
