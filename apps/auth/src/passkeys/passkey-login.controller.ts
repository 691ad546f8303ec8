import { Controller } from '@nestjs/common';
import {
  LoginResult,
  PasskeyLoginDto,
  PasskeyLoginOptions,
  PasskeyLoginOptionsDto,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { PasskeyLoginService } from './passkey-login.service';

/** NATS handlers of the passkey login (API.md "Login"); the rules live in PasskeyLoginService. */
@Controller()
export class PasskeyLoginController {
  constructor(private readonly login: PasskeyLoginService) {}

  @RpcHandler('auth.passkey.login.options')
  async options({ data }: RpcEnvelope<PasskeyLoginOptionsDto>): Promise<PasskeyLoginOptions> {
    return this.login.options(data);
  }

  @RpcHandler('auth.passkey.login.verify')
  async verify({ ctx, data }: RpcEnvelope<PasskeyLoginDto>): Promise<LoginResult> {
    return this.login.verify(data, ctx);
  }
}
