import { Controller } from '@nestjs/common';
import {
  CallContext,
  DomainError,
  ErrorCode,
  MessageIdParam,
  MessageListView,
  MessageSentView,
  MessageView,
  OpsMessagesQueryDto,
  RpcEnvelope,
  TwilioReceiptRequest,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { MessageQueryService } from './message-query.service';
import { TwilioReceiptService } from './twilio-receipt.service';

/** The message records over NATS (NOTIF-5): operators' queries, send times, provider receipts. */
@Controller()
export class MessagesController {
  constructor(
    private readonly query: MessageQueryService,
    private readonly twilio: TwilioReceiptService,
  ) {}

  @RpcHandler('notification.messages.query')
  async list({ ctx, data }: RpcEnvelope<OpsMessagesQueryDto>): Promise<MessageListView> {
    requireOperator(ctx);
    return this.query.query(data);
  }

  @RpcHandler('notification.messages.get')
  async get({ ctx, data }: RpcEnvelope<MessageIdParam>): Promise<MessageView> {
    requireOperator(ctx);
    return this.query.get(data.id);
  }

  /** No principal: the gateway asks for the login screen, with an id auth gave it. No recipient shows. */
  @RpcHandler('notification.messages.sent_at')
  async sentAt({ data }: RpcEnvelope<MessageIdParam>): Promise<MessageSentView> {
    return this.query.sentAt(data.id);
  }

  @RpcHandler('notification.sms_receipt.twilio')
  async twilioReceipt({ data }: RpcEnvelope<TwilioReceiptRequest>): Promise<{ accepted: boolean }> {
    return this.twilio.receive(data);
  }
}

/** The gateway's guard already refused anyone else; a NATS peer without an operator's token too. */
function requireOperator(ctx: CallContext): void {
  if (ctx.principal?.role !== 'operator') {
    throw new DomainError(ErrorCode.Forbidden);
  }
}
