import { Controller } from '@nestjs/common';
import {
  AddTenantMemberDto,
  AdminUserView,
  CreateTenantDto,
  CreateTenantUserDto,
  RpcEnvelope,
  TenantView,
  UserView,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { TenantsService } from './tenants.service';

/** Operators' tenant onboarding and memberships over NATS; the rules and role checks live in TenantsService. */
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @RpcHandler('auth.tenant.create')
  async create({ ctx, data }: RpcEnvelope<CreateTenantDto>): Promise<TenantView> {
    return this.tenants.create(ctx.principal, data);
  }

  @RpcHandler('auth.tenant.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<TenantView[]> {
    return this.tenants.list(ctx.principal);
  }

  @RpcHandler('auth.tenant.user.create')
  async createUser({ ctx, data }: RpcEnvelope<CreateTenantUserDto & { tenant: string }>): Promise<UserView> {
    const { tenant, ...dto } = data;
    return this.tenants.createRepresentativeAdmin(ctx.principal, tenant, dto);
  }

  @RpcHandler('auth.tenant.member.add')
  async addMember({
    ctx,
    data,
  }: RpcEnvelope<AddTenantMemberDto & { tenant: string }>): Promise<AdminUserView> {
    const { tenant, ...dto } = data;
    return this.tenants.addMember(ctx.principal, tenant, dto);
  }
}
