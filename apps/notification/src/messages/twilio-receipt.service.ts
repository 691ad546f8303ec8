import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, NotificationEnv } from '@app/config';
import { DomainError, ErrorCode, TwilioReceiptRequest } from '@app/contracts';
import { twilioCallbackUrl, twilioSettings, TwilioSettings } from '../providers/twilio-settings';
import { twilioSignatureValid } from '../providers/twilio-signature.util';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { MessageStatus } from './message.entity';
import { MessageRepository } from './message.repository';

type ReceiptStatus = Extract<MessageStatus, 'sent' | 'delivered' | 'failed'>;

/**
 * Twilio's delivery receipts (its `StatusCallback`) mapped onto NOTIF-5: `sent` and `delivered` as
 * they are, `undelivered` and `failed` as failed with Twilio's error code; `queued`, `sending` and
 * the like say nothing new. A receipt is believed only with a valid `X-Twilio-Signature` over the
 * exact callback URL this service gave Twilio (its own setting, not the address the request claims
 * to have come to). A receipt for a message that failed `outcome_unknown` — its worker died during
 * the provider call — settles what really happened (issue: an SMS that arrived recorded as failed).
 */
@Injectable()
export class TwilioReceiptService {
  private readonly settings: TwilioSettings | null;
  private readonly logger: NotificationLogger;

  constructor(
    @Inject(APP_CONFIG) config: NotificationEnv,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
  ) {
    this.settings = config.SMS_PROVIDER === 'twilio' ? twilioSettings(config) : null;
    this.logger = logger.child({ component: TwilioReceiptService.name });
  }

  async receive(receipt: TwilioReceiptRequest): Promise<{ accepted: boolean }> {
    const params = stringParams(receipt.params);
    if (
      !this.settings ||
      !params ||
      !twilioSignatureValid(
        this.settings.authToken,
        twilioCallbackUrl(this.settings, receipt.messageId),
        params,
        receipt.signature,
      )
    ) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const sid = single(params.MessageSid) ?? single(params.SmsSid);
    const status = mapStatus(single(params.MessageStatus) ?? single(params.SmsStatus));
    if (!status || !sid) {
      return { accepted: false };
    }
    const messageId = receipt.messageId ?? (await this.messages.findByProviderId(sid))?.messageId;
    if (!messageId) {
      return { accepted: false };
    }
    const errorCode = single(params.ErrorCode);
    const detail =
      status === 'failed'
        ? /^\d{1,8}$/.test(errorCode ?? '')
          ? `twilio_${errorCode}`
          : 'twilio_undelivered'
        : null;
    const changed = await this.messages.recordStatus(messageId, status, {
      at: this.clock.now(),
      detail,
      providerMessageId: sid.slice(0, 200),
    });
    if (changed) {
      this.logger.info({ messageId, status }, 'delivery receipt recorded');
    }
    return { accepted: changed };
  }
}

function mapStatus(value: string | undefined): ReceiptStatus | null {
  switch (value) {
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'undelivered':
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The posted parameters when every one is a string (or list of strings), as a form can post them. */
function stringParams(params: unknown): Record<string, string | string[]> | null {
  if (!params || typeof params !== 'object' || Array.isArray(params)) {
    return null;
  }
  const entries = Object.entries(params as Record<string, unknown>);
  if (entries.length > 100) {
    return null;
  }
  for (const [, value] of entries) {
    const ok =
      typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok) {
      return null;
    }
  }
  return params as Record<string, string | string[]>;
}
