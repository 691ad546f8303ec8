import { Controller } from '@nestjs/common';
import { PasswordPolicyView, RpcEnvelope } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { PasswordPolicy } from './password-policy';

/** `GET /auth/password-policy`: the rules a UI shows as a checklist (AUTH-2). */
@Controller()
export class PasswordPolicyController {
  constructor(private readonly policy: PasswordPolicy) {}

  @RpcHandler('auth.password.policy')
  async view(_envelope: RpcEnvelope<Record<string, never>>): Promise<PasswordPolicyView> {
    return this.policy.view();
  }
}
