import { Controller } from '@nestjs/common';
import {
  AdminChangeUserIdDto,
  AdminNotificationEmailDto,
  AdminSuggestedUserIdQuery,
  AdminUserView,
  CreateAdminUserDto,
  RpcEnvelope,
  SuggestedUserIdView,
  UpdateAdminUserDto,
  UserIdParam,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AdminUsersService } from './admin-users.service';

type Empty = Record<string, never>;

/** Tenant admin user management over NATS; scoping, step-up and role checks live in AdminUsersService. */
@Controller()
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @RpcHandler('auth.admin.user.list')
  async list({ ctx }: RpcEnvelope<Empty>): Promise<AdminUserView[]> {
    return this.adminUsers.list(ctx.principal);
  }

  @RpcHandler('auth.admin.user.suggest_id')
  async suggestUserId({ ctx, data }: RpcEnvelope<AdminSuggestedUserIdQuery>): Promise<SuggestedUserIdView> {
    return this.adminUsers.suggestUserId(ctx.principal, data.email);
  }

  @RpcHandler('auth.admin.user.create')
  async create({ ctx, data }: RpcEnvelope<CreateAdminUserDto>): Promise<AdminUserView> {
    return this.adminUsers.create(ctx.principal, data);
  }

  @RpcHandler('auth.admin.user.get')
  async get({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<AdminUserView> {
    return this.adminUsers.get(ctx.principal, data.id);
  }

  @RpcHandler('auth.admin.user.update')
  async update({ ctx, data }: RpcEnvelope<UpdateAdminUserDto & { id: string }>): Promise<AdminUserView> {
    const { id, ...changes } = data;
    return this.adminUsers.update(ctx.principal, id, changes);
  }

  @RpcHandler('auth.admin.user.change_user_id')
  async changeUserId({
    ctx,
    data,
  }: RpcEnvelope<AdminChangeUserIdDto & { id: string }>): Promise<AdminUserView> {
    return this.adminUsers.changeUserId(ctx.principal, data.id, data.userId);
  }

  @RpcHandler('auth.admin.user.disable')
  async disable({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.adminUsers.disable(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.admin.user.enable')
  async enable({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.adminUsers.enable(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.admin.user.unlock')
  async unlock({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.adminUsers.unlock(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.admin.user.notification_email')
  async setNotificationEmail({
    ctx,
    data,
  }: RpcEnvelope<AdminNotificationEmailDto & { id: string }>): Promise<AdminUserView> {
    return this.adminUsers.setNotificationEmail(ctx.principal, data.id, data.email);
  }

  @RpcHandler('auth.admin.user.email_deliverable')
  async markEmailDeliverable({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.adminUsers.markEmailDeliverable(ctx.principal, data.id);
    return {};
  }
}
