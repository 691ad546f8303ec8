import { Controller } from '@nestjs/common';
import { RpcEnvelope, SecurityPolicyView, UpdateSecurityPolicyDto } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { TenantSecurityPolicyService } from './tenant-security-policy.service';

/** Tenant admins' login security policy over NATS (AUTH-5, AUTH-9); rules in TenantSecurityPolicyService. */
@Controller()
export class TenantSecurityPolicyController {
  constructor(private readonly policy: TenantSecurityPolicyService) {}

  @RpcHandler('auth.admin.security_policy.get')
  async get({ ctx }: RpcEnvelope<Record<string, never>>): Promise<SecurityPolicyView> {
    return this.policy.get(ctx.principal);
  }

  @RpcHandler('auth.admin.security_policy.update')
  async update({ ctx, data }: RpcEnvelope<UpdateSecurityPolicyDto>): Promise<SecurityPolicyView> {
    return this.policy.update(ctx.principal, data);
  }
}
