import { Controller } from '@nestjs/common';
import { RpcEnvelope, TenantNumberParam, UserView } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { TenantAdminsService } from './tenant-admins.service';

/** A tenant's representative admins for operators over NATS; the role check lives in the service. */
@Controller()
export class TenantAdminsController {
  constructor(private readonly admins: TenantAdminsService) {}

  @RpcHandler('auth.ops.tenant.admins')
  async list({ ctx, data }: RpcEnvelope<TenantNumberParam>): Promise<UserView[]> {
    return this.admins.list(ctx.principal, data.number);
  }
}
