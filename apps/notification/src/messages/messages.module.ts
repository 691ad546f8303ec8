import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { MessageQueryService } from './message-query.service';
import { MessagesController } from './messages.controller';
import { TwilioReceiptService } from './twilio-receipt.service';

/** Operators' view of the delivery records and the providers' delivery receipts (NOTIF-5). */
@Module({
  imports: [DeliveryModule],
  controllers: [MessagesController],
  providers: [MessageQueryService, TwilioReceiptService],
})
export class MessagesModule {}
