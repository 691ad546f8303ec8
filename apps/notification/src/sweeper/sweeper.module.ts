import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { StuckMessageSweeper } from './stuck-message.sweeper';

/** Resolves message records left `queued` that no job run will finish (NOTIF-4). */
@Module({
  imports: [DeliveryModule],
  providers: [StuckMessageSweeper],
  exports: [StuckMessageSweeper],
})
export class SweeperModule {}
