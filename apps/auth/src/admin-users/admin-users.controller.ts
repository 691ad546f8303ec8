import { Controller } from '@nestjs/common';
import { RpcEnvelope, UserView } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AdminUsersService } from './admin-users.service';

/** Tenant admin user management over NATS; scoping and role checks live in AdminUsersService. */
@Controller()
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @RpcHandler('auth.admin.user.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<UserView[]> {
    return this.adminUsers.list(ctx.principal);
  }

  @RpcHandler('auth.admin.user.unlock')
  async unlock({ ctx, data }: RpcEnvelope<{ id: string }>): Promise<Record<string, never>> {
    await this.adminUsers.unlock(ctx.principal, data.id);
    return {};
  }
}
