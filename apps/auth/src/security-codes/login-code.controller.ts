import { Controller } from '@nestjs/common';
import { LoginCodeStatus, RpcEnvelope } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { SecurityCodesService } from './security-codes.service';

/** The waiting login screen's view of its code (NOTIF-5); the gateway adds when the code left. */
@Controller()
export class LoginCodeController {
  constructor(private readonly codes: SecurityCodesService) {}

  @RpcHandler('auth.login.code_status')
  async status({ data }: RpcEnvelope<{ flowId: string }>): Promise<LoginCodeStatus | null> {
    return this.codes.latestCode(String(data.flowId));
  }
}
