import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { BounceReportHandler } from './bounce-report.handler';
import { ImapBounceReader } from './imap-bounce.reader';
import { MailEventsController } from './mail-events.controller';

/**
 * NOTIF-6's asynchronous sources: the bounce mailbox (IMAP) and the mail-events webhook. The SMTP
 * answer at send time goes through DeliveryService, which holds BounceService itself.
 */
@Module({
  imports: [DeliveryModule],
  controllers: [MailEventsController],
  providers: [BounceReportHandler, ImapBounceReader],
  exports: [ImapBounceReader],
})
export class BouncesModule {}
