import {
  CreateOperatorDto,
  LoginDto,
  LogoutDto,
  PasswordResetRequestDto,
  RefreshDto,
  ResetTokenParam,
  SelectTenantDto,
} from '../dto/auth.dto';
import { AuditEventsPage } from '../dto/audit.dto';
import { CreateTenantDto, UserIdParam } from '../dto/ops.dto';
import {
  AuditEventsPageRequest,
  ChallengeRequest,
  CreateTenantUserRequest,
  InitialPasswordRequest,
  PasswordResetCompleteRequest,
  VerifyRequest,
} from './auth-path.requests';
import {
  AuthenticatedResult,
  ChallengeResult,
  DevOutboxMessage,
  LoginResult,
  PasswordPolicyView,
  PasswordResetInspection,
  ServiceHealth,
  TenantView,
  UserView,
} from '../dto/views';
import { AuditRecordView } from '../events/audit-event';
import { JsonWebKeySet } from '../dto/access-token';
import { AuditSigningKeyView } from '../events/audit-checkpoint';

type Empty = Record<string, never>;

/**
 * Every NATS request/reply subject with its request and response types: `[request, response]`.
 * `send` and `@RpcHandler` are typed by this map, so producer and consumer cannot drift.
 */
export interface RpcMap {
  /** Password step of a login (AUTH-2, AUTH-3, AUTH-5). */
  'auth.login.password': [LoginDto, LoginResult];
  /** Send a security code for a login or step-up flow (AUTH-6). */
  'auth.login.challenge': [ChallengeRequest, ChallengeResult];
  /** Verify the second step of a flow (AUTH-6). */
  'auth.login.verify': [VerifyRequest, LoginResult];
  /** The initial authentication password after the second step (AUTH-14). */
  'auth.login.initial_password': [InitialPasswordRequest, LoginResult];
  /** Rotate a refresh token (AUTH-15). */
  'auth.token.refresh': [RefreshDto, AuthenticatedResult];
  /** End the caller's session, or all of the user's sessions. */
  'auth.logout': [LogoutDto, Empty];
  /** Pick or switch the active tenant (AUTH-18). */
  'auth.tenant.select': [SelectTenantDto, AuthenticatedResult];
  'auth.password.policy': [Empty, PasswordPolicyView];
  /** Always answers `accepted`; the e-mail tells the real outcome (AUTH-16). */
  'auth.password_reset.request': [PasswordResetRequestDto, { status: 'accepted' }];
  'auth.password_reset.inspect': [ResetTokenParam, PasswordResetInspection];
  'auth.password_reset.complete': [PasswordResetCompleteRequest, Empty];
  /** Operator bootstrap from the CLI; not reachable over HTTP. */
  'auth.operator.create': [CreateOperatorDto, UserView];
  'auth.tenant.create': [CreateTenantDto, TenantView];
  'auth.tenant.list': [Empty, TenantView[]];
  /** Create a tenant's representative admin (operator only). */
  'auth.tenant.user.create': [CreateTenantUserRequest, UserView];
  /** Tenant admin: unlock a user of the active tenant at once (AUTH-3). */
  'auth.admin.user.unlock': [UserIdParam, Empty];
  'auth.health': [Empty, ServiceHealth];
  /** The public keys that verify access tokens; every service and the gateway fetch them from auth. */
  'auth.keys.jwks': [Empty, JsonWebKeySet];

  /** Development outbox of messages (refused when NODE_ENV=production). */
  'notification.outbox.list': [Empty, DevOutboxMessage[]];
  'notification.health': [Empty, ServiceHealth];

  /**
   * One page of a tenant's audit events, newest first, with the signed cursor of the next (AUDIT-4):
   * a tenant admin's active tenant, or any tenant for an operator. Exports are built by the gateway
   * from these pages. The audit service's subjects start with `audit-trail.`: everything under
   * `audit.` belongs to the AUDIT stream and would be captured by it.
   */
  'audit-trail.events.query': [AuditEventsPageRequest, AuditEventsPage<AuditRecordView>];
  'audit-trail.health': [Empty, ServiceHealth];
  /** The public key that verifies the trail's signed checkpoints (AUDIT-3). */
  'audit-trail.signing_key': [Empty, AuditSigningKeyView];

  'case-management.health': [Empty, ServiceHealth];
}

export type RpcSubject = keyof RpcMap;
export type RpcRequest<S extends RpcSubject> = RpcMap[S][0];
export type RpcResponse<S extends RpcSubject> = RpcMap[S][1];

/** NATS queue group of each service: replicas of one service share its requests. */
export const SERVICE_NAMES = ['auth', 'notification', 'case-management', 'audit'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const HEALTH_SUBJECTS = {
  auth: 'auth.health',
  notification: 'notification.health',
  'case-management': 'case-management.health',
  audit: 'audit-trail.health',
} as const satisfies Record<ServiceName, RpcSubject>;
