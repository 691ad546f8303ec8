import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, Clock, NotificationEnv } from '@app/config';
import { DevOutboxMessage, NotificationChannel } from '@app/contracts';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { DeliveryError } from '../providers/delivery.error';
import { OutgoingMessage } from '../providers/outgoing-message';
import { NOTIFICATION_REDIS } from '../redis/redis.tokens';

/** Newest first, at most this many. */
export const DEV_OUTBOX_MAX = 200;
export const DEV_OUTBOX_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The development outbox (API.md "Running"): where e-mail goes without SMTP_URL and SMS with
 * SMS_PROVIDER=outbox. Kept in Redis, not in memory, so every replica lists the same messages; capped
 * and short-lived because it holds codes and links in clear.
 */
@Injectable()
export class DevOutboxStore {
  private readonly key: string;
  private readonly logger: NotificationLogger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    @Inject(NOTIFICATION_REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
  ) {
    this.logger = logger.child({ component: DevOutboxStore.name });
    this.key = `${config.REDIS_PREFIX}:dev-outbox`;
  }

  /** True where the outbox may hold messages: anywhere but production. */
  get enabled(): boolean {
    return this.config.NODE_ENV !== 'production';
  }

  async deliver(channel: NotificationChannel, message: OutgoingMessage): Promise<void> {
    if (!this.enabled) {
      // Codes in clear in Redis, readable by nobody, would be both a leak and a silent loss.
      throw new DeliveryError('outbox_disabled_in_production', true);
    }
    const entry: DevOutboxMessage = {
      messageId: message.messageId,
      channel,
      to: message.to,
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      body: message.text,
      createdAt: this.clock.now().toISOString(),
    };
    const results = await this.redis
      .multi()
      .lpush(this.key, JSON.stringify(entry))
      .ltrim(this.key, 0, DEV_OUTBOX_MAX - 1)
      .pexpire(this.key, DEV_OUTBOX_TTL_MS)
      .exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) {
      throw new DeliveryError('outbox_write_failed', false);
    }
    this.print(entry, message.template);
  }

  /** Newest first; entries older than 24 hours are left out. */
  async list(): Promise<DevOutboxMessage[]> {
    const raw = await this.redis.lrange(this.key, 0, DEV_OUTBOX_MAX - 1);
    const oldest = this.clock.now().getTime() - DEV_OUTBOX_TTL_MS;
    return raw
      .map((line) => JSON.parse(line) as DevOutboxMessage)
      .filter((m) => new Date(m.createdAt).getTime() >= oldest);
  }

  /**
   * One JSON line per message. The body (the code or link) and the recipients only with
   * NODE_ENV=development, where reading the code off the console is the point; elsewhere the line
   * says a message arrived and where to read it.
   */
  private print(entry: DevOutboxMessage, template: string): void {
    const base = {
      devOutbox: true,
      messageId: entry.messageId,
      channel: entry.channel,
      template,
      subject: entry.subject,
    };
    if (this.config.NODE_ENV === 'development') {
      // Top-level keys on purpose: the logger redacts nested `to`/`body`, which is right everywhere else.
      this.logger.info({ ...base, to: entry.to, body: entry.body }, 'message in the development outbox');
    } else {
      this.logger.info(base, 'message in the development outbox (GET /api/v1/dev/outbox)');
    }
  }
}
