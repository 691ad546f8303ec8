import { Controller } from '@nestjs/common';
import { RpcEnvelope, TotpConfirmDto, TotpEnrolmentView } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { TotpCredentialsService } from './totp-credentials.service';

/** NATS handlers of the caller's authenticator app (API.md "Me", AUTH-8). */
@Controller()
export class TotpController {
  constructor(private readonly credentials: TotpCredentialsService) {}

  @RpcHandler('auth.me.totp.enrol')
  async enrol({ ctx }: RpcEnvelope<Record<string, never>>): Promise<TotpEnrolmentView> {
    return this.credentials.enrol(ctx.principal);
  }

  @RpcHandler('auth.me.totp.confirm')
  async confirm({ ctx, data }: RpcEnvelope<TotpConfirmDto>): Promise<Record<string, never>> {
    await this.credentials.confirm(ctx.principal, data.code);
    return {};
  }

  @RpcHandler('auth.me.totp.disable')
  async disable({ ctx }: RpcEnvelope<Record<string, never>>): Promise<Record<string, never>> {
    await this.credentials.disable(ctx.principal);
    return {};
  }
}
