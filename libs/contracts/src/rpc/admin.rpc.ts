import {
  AddTenantMemberRequest,
  AdminChangeUserIdRequest,
  AdminNotificationEmailRequest,
  AdminSuggestedUserIdQuery,
  AdminUserView,
  CreateAdminUserDto,
  SuggestedUserIdView,
  UpdateAdminUserRequest,
} from '../dto/admin.dto';
import { UserIdParam } from '../dto/ops.dto';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Tenant admin: list users of the active tenant. */
    'auth.admin.user.list': [Empty, AdminUserView[]];
    /** Tenant admin: the user ID suggested for an e-mail address (AUTH-1). */
    'auth.admin.user.suggest_id': [AdminSuggestedUserIdQuery, SuggestedUserIdView];
    /** Tenant admin: create a user of the active tenant (AUTH-21, AUTH-14); step-up. */
    'auth.admin.user.create': [CreateAdminUserDto, AdminUserView];
    /** Tenant admin: one user of the active tenant. */
    'auth.admin.user.get': [UserIdParam, AdminUserView];
    /** Tenant admin: edit a user of the active tenant; step-up. */
    'auth.admin.user.update': [UpdateAdminUserRequest, AdminUserView];
    /** Tenant admin: change a user's ID, unique across all tenants (AUTH-1); step-up. */
    'auth.admin.user.change_user_id': [AdminChangeUserIdRequest, AdminUserView];
    /** Tenant admin: disable a user's login and end their sessions (AUTH-4); step-up. */
    'auth.admin.user.disable': [UserIdParam, Empty];
    /** Tenant admin: enable a user's login again (AUTH-4); step-up. */
    'auth.admin.user.enable': [UserIdParam, Empty];
    /** Tenant admin: set or remove the user's notification address in this tenant (AUTH-7); step-up. */
    'auth.admin.user.notification_email': [AdminNotificationEmailRequest, AdminUserView];
    /** Tenant admin: clear the undeliverable mark of the user's e-mail address (NOTIF-6); step-up. */
    'auth.admin.user.email_deliverable': [UserIdParam, Empty];
    /** Operator: add an existing user to another tenant (AUTH-18). */
    'auth.tenant.member.add': [AddTenantMemberRequest, AdminUserView];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const ADMIN_RPC_CLASSES = {
  'auth.admin.user.suggest_id': AdminSuggestedUserIdQuery,
  'auth.admin.user.create': CreateAdminUserDto,
  'auth.admin.user.get': UserIdParam,
  'auth.admin.user.update': UpdateAdminUserRequest,
  'auth.admin.user.change_user_id': AdminChangeUserIdRequest,
  'auth.admin.user.disable': UserIdParam,
  'auth.admin.user.enable': UserIdParam,
  'auth.admin.user.notification_email': AdminNotificationEmailRequest,
  'auth.admin.user.email_deliverable': UserIdParam,
  'auth.tenant.member.add': AddTenantMemberRequest,
  'auth.admin.user.list': EmptyRequest,
} satisfies AreaRequestClasses;
