import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { BounceClass, classifyDsnRecipient, complaint } from './bounce-classifier';
import { BounceResult, BounceService, BounceSource } from './bounce.service';
import { parseBounceReport } from './report-parser';
import { messageIdFromVerp } from './verp';

/**
 * A raw bounce report (from the bounce mailbox or the webhook) to BounceService: the message it is
 * about comes from the returned message's `X-Mamori-Message-Id`, else from the VERP address it was
 * returned to; each recipient is classified on its own (NOTIF-6).
 */
@Injectable()
export class BounceReportHandler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly bounces: BounceService,
  ) {}

  /** `ignored`: not a report, or one that names no message of ours or no bounce (a `delivered` DSN). */
  async handle(raw: Buffer, source: BounceSource): Promise<'recorded' | 'ignored'> {
    const report = parseBounceReport(raw);
    if (!report) {
      return 'ignored';
    }
    const bounceAddress = this.config.BOUNCE_ADDRESS;
    const messageId =
      report.messageId ??
      (bounceAddress
        ? report.returnedTo.map((to) => messageIdFromVerp(bounceAddress, to)).find((id) => id !== undefined)
        : undefined);
    if (!messageId) {
      return 'ignored';
    }
    let recorded = false;
    for (const recipient of report.recipients) {
      const bounce: BounceClass | null =
        report.type === 'feedback' ? complaint() : classifyDsnRecipient(recipient);
      if (!bounce) {
        continue;
      }
      const result: BounceResult = await this.bounces.record({
        source,
        messageId,
        bounce,
        ...(recipient.address ? { recipient: recipient.address } : {}),
      });
      recorded ||= result.status === 'recorded';
    }
    return recorded ? 'recorded' : 'ignored';
  }
}
