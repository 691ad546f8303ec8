import { Controller } from '@nestjs/common';
import { ChallengeDto, ChallengeResult, LoginDto, LoginResult, RpcEnvelope, VerifyDto } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { SecurityCodesService } from '../security-codes/security-codes.service';
import { PasswordLoginService } from './password-login.service';

/** NATS handlers of the login steps (API.md "Login"); the rules live in the services. */
@Controller()
export class LoginController {
  constructor(
    private readonly passwordLogin: PasswordLoginService,
    private readonly codes: SecurityCodesService,
  ) {}

  /** Trusted-browser tokens (`deviceToken`) are accepted and ignored until AUTH-9 lands. */
  @RpcHandler('auth.login.password')
  async password({ ctx, data }: RpcEnvelope<LoginDto>): Promise<LoginResult> {
    return this.passwordLogin.login(data, ctx);
  }

  @RpcHandler('auth.login.challenge')
  async challenge({ ctx, data }: RpcEnvelope<ChallengeDto & { flowId: string }>): Promise<ChallengeResult> {
    return this.codes.challenge(String(data.flowId), data.method, ctx);
  }

  @RpcHandler('auth.login.verify')
  async verify({ ctx, data }: RpcEnvelope<VerifyDto & { flowId: string }>): Promise<LoginResult> {
    return this.codes.verify(String(data.flowId), data.method, data.code, ctx);
  }
}
