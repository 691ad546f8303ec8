import { Controller } from '@nestjs/common';
import {
  ChallengeDto,
  ChallengeResult,
  InitialPasswordDto,
  LoginDto,
  LoginResult,
  RpcEnvelope,
  VerifyDto,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { InitialPasswordService } from './initial-password.service';
import { PasswordLoginService } from './password-login.service';
import { SecondStepService } from './second-step.service';

/** NATS handlers of the login steps (API.md "Login"); the rules live in the services. */
@Controller()
export class LoginController {
  constructor(
    private readonly passwordLogin: PasswordLoginService,
    private readonly secondStep: SecondStepService,
    private readonly initialPassword: InitialPasswordService,
  ) {}

  @RpcHandler('auth.login.password')
  async password({ ctx, data }: RpcEnvelope<LoginDto>): Promise<LoginResult> {
    return this.passwordLogin.login(data, ctx);
  }

  @RpcHandler('auth.login.challenge')
  async challenge({ ctx, data }: RpcEnvelope<ChallengeDto & { flowId: string }>): Promise<ChallengeResult> {
    return this.secondStep.challenge(String(data.flowId), data.method, ctx);
  }

  @RpcHandler('auth.login.verify')
  async verify({ ctx, data }: RpcEnvelope<VerifyDto & { flowId: string }>): Promise<LoginResult> {
    return this.secondStep.verify(String(data.flowId), data, ctx);
  }

  @RpcHandler('auth.login.initial_password')
  async initialPasswordStep({
    ctx,
    data,
  }: RpcEnvelope<InitialPasswordDto & { flowId: string }>): Promise<LoginResult> {
    return this.initialPassword.enter(String(data.flowId), data.initialPassword, ctx);
  }
}
