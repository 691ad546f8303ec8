import { Controller } from '@nestjs/common';
import { DevOutboxMessage, RpcEnvelope } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { DevOutboxService } from './dev-outbox.service';

@Controller()
export class DevOutboxController {
  constructor(private readonly outbox: DevOutboxService) {}

  @RpcHandler('notification.outbox.list')
  async list(_envelope: RpcEnvelope<Record<string, never>>): Promise<DevOutboxMessage[]> {
    return this.outbox.list();
  }
}
