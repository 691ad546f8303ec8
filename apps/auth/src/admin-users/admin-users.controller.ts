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
import { AdminUserAccess } from './admin-user-access.service';
import { AdminUserCreation } from './admin-user-creation.service';
import { AdminUserDirectory } from './admin-user-directory.service';
import { AdminUserEdits } from './admin-user-edits.service';

type Empty = Record<string, never>;

/** Tenant admin user management over NATS; scoping, step-up and role checks live in its services. */
@Controller()
export class AdminUsersController {
  constructor(
    private readonly directory: AdminUserDirectory,
    private readonly creation: AdminUserCreation,
    private readonly edits: AdminUserEdits,
    private readonly access: AdminUserAccess,
  ) {}

  @RpcHandler('auth.admin.user.list')
  async list({ ctx }: RpcEnvelope<Empty>): Promise<AdminUserView[]> {
    return this.directory.list(ctx.principal);
  }

  @RpcHandler('auth.admin.user.suggest_id')
  async suggestUserId({ ctx, data }: RpcEnvelope<AdminSuggestedUserIdQuery>): Promise<SuggestedUserIdView> {
    return this.directory.suggestUserId(ctx.principal, data.email);
  }

  @RpcHandler('auth.admin.user.create')
  async create({ ctx, data }: RpcEnvelope<CreateAdminUserDto>): Promise<AdminUserView> {
    return this.creation.create(ctx.principal, data);
  }

  @RpcHandler('auth.admin.user.get')
  async get({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<AdminUserView> {
    return this.directory.get(ctx.principal, data.id);
  }

  @RpcHandler('auth.admin.user.update')
  async update({ ctx, data }: RpcEnvelope<UpdateAdminUserDto & { id: string }>): Promise<AdminUserView> {
    const { id, ...changes } = data;
    return this.edits.update(ctx.principal, id, changes);
  }

  @RpcHandler('auth.admin.user.change_user_id')
  async changeUserId({
    ctx,
    data,
  }: RpcEnvelope<AdminChangeUserIdDto & { id: string }>): Promise<AdminUserView> {
    return this.edits.changeUserId(ctx.principal, data.id, data.userId);
  }

  @RpcHandler('auth.admin.user.disable')
  async disable({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.access.disable(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.admin.user.enable')
  async enable({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.access.enable(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.admin.user.unlock')
  async unlock({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.access.unlock(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.admin.user.notification_email')
  async setNotificationEmail({
    ctx,
    data,
  }: RpcEnvelope<AdminNotificationEmailDto & { id: string }>): Promise<AdminUserView> {
    return this.edits.setNotificationEmail(ctx.principal, data.id, data.email);
  }

  @RpcHandler('auth.admin.user.email_deliverable')
  async markEmailDeliverable({ ctx, data }: RpcEnvelope<UserIdParam>): Promise<Empty> {
    await this.edits.markEmailDeliverable(ctx.principal, data.id);
    return {};
  }
}
