import { Controller } from '@nestjs/common';
import { MfaResetRequest, PhoneLineCancelledRequest, RpcEnvelope } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { OperatorMfaService } from './operator-mfa.service';

type Empty = Record<string, never>;

/** Operators' changes to a user's MFA over NATS (AUTH-19). */
@Controller()
export class OperatorMfaController {
  constructor(private readonly mfa: OperatorMfaService) {}

  @RpcHandler('auth.ops.user.mfa_reset')
  async resetMfa({ ctx, data }: RpcEnvelope<MfaResetRequest>): Promise<Empty> {
    await this.mfa.resetMfa(ctx.principal, data);
    return {};
  }

  @RpcHandler('auth.ops.user.phone_line_cancelled')
  async phoneLineCancelled({ ctx, data }: RpcEnvelope<PhoneLineCancelledRequest>): Promise<Empty> {
    await this.mfa.phoneLineCancelled(ctx.principal, data);
    return {};
  }
}
