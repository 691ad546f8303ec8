import { Controller } from '@nestjs/common';
import {
  DomainError,
  ErrorCode,
  MailEventRequest,
  MailEventResult,
  MailEventType,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { BounceClass, complaint } from './bounce-classifier';
import { BounceReportHandler } from './bounce-report.handler';
import { BounceService } from './bounce.service';
import { MAX_REPORT_BYTES } from './report-parser';

/** A JSON event carries no code: the generic one of its class (RFC 3463 `x.0.0`). */
const JSON_EVENT: Record<MailEventType, BounceClass> = {
  hard: { type: 'hard', kind: 'other', status: '5.0.0' },
  soft: { type: 'soft', kind: 'other', status: '4.0.0' },
  complaint: complaint(),
};

/** `POST /integrations/mail-events` as the gateway passes it on (NOTIF-6): a raw DSN or a JSON event. */
@Controller()
export class MailEventsController {
  constructor(
    private readonly reports: BounceReportHandler,
    private readonly bounces: BounceService,
  ) {}

  @RpcHandler('notification.mail_events.submit')
  async submit({ data }: RpcEnvelope<MailEventRequest>): Promise<MailEventResult> {
    if (data.rawBase64 !== undefined) {
      const raw = Buffer.from(data.rawBase64, 'base64');
      if (raw.length === 0 || raw.length > MAX_REPORT_BYTES) {
        throw new DomainError(ErrorCode.ValidationFailed, { fields: { body: ['a DSN of 1 byte to 1 MiB'] } });
      }
      return { status: await this.reports.handle(raw, 'webhook') };
    }
    if (!data.type || (!data.messageId && !data.recipient)) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { type: ['type and messageId or recipient are required'] },
      });
    }
    const result = await this.bounces.record({
      source: 'webhook',
      bounce: JSON_EVENT[data.type],
      ...(data.messageId ? { messageId: data.messageId } : {}),
      ...(data.recipient ? { recipient: data.recipient } : {}),
    });
    return { status: result.status };
  }
}
