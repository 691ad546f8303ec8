import { Module } from '@nestjs/common';
import { DevOutboxController } from './dev-outbox.controller';
import { DevOutboxService } from './dev-outbox.service';
import { DevOutboxStore } from './dev-outbox.store';

/** The development outbox: where messages land without a provider, and the RPC that lists them. */
@Module({
  controllers: [DevOutboxController],
  providers: [DevOutboxStore, DevOutboxService],
  exports: [DevOutboxStore],
})
export class DevOutboxModule {}
