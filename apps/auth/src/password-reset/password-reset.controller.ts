import { Controller } from '@nestjs/common';
import {
  PasswordResetCompleteDto,
  PasswordResetInspection,
  PasswordResetRequestDto,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { PasswordResetService } from './password-reset.service';

/** AUTH-16 over NATS: request a link, inspect it, complete it. */
@Controller()
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @RpcHandler('auth.password_reset.request')
  async request({ data }: RpcEnvelope<PasswordResetRequestDto>): Promise<{ status: 'accepted' }> {
    return this.resets.request(data);
  }

  @RpcHandler('auth.password_reset.inspect')
  async inspect({ data }: RpcEnvelope<{ token: string }>): Promise<PasswordResetInspection> {
    return this.resets.inspect(data.token);
  }

  @RpcHandler('auth.password_reset.complete')
  async complete({
    data,
  }: RpcEnvelope<PasswordResetCompleteDto & { token: string }>): Promise<Record<string, never>> {
    await this.resets.complete(data.token, data.newPassword);
    return {};
  }
}
