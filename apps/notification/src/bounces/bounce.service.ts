import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, NotificationEnv } from '@app/config';
import { DomainError, ErrorCode, recipientHashes } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { Metrics } from '@app/observability';
import { MessageRepository } from '../messages/message.repository';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { affectsAddress, BounceClass } from './bounce-classifier';
import { BouncedMessage, BounceRepository } from './bounce.repository';

export type BounceSource = 'smtp' | 'imap' | 'webhook';

/** One bounce as a source saw it. The recipient is held in memory only, to hash it. */
export interface BounceInput {
  source: BounceSource;
  bounce: BounceClass;
  messageId?: string;
  recipient?: string;
}

/**
 * `recorded`: the bounce was applied (`hard` when it counted as one, soft bounces included that
 * turned hard); `ignored`: it names no message of ours, or an address the message was not sent to.
 */
export type BounceResult = { status: 'recorded'; type: BounceClass['type'] } | { status: 'ignored' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How often marks auth could not take yet are offered again. */
const MARK_RETRY_MS = 30_000;

/**
 * NOTIF-6, whatever the source (the SMTP answer, a DSN in the bounce mailbox, the webhook): a hard
 * bounce marks the message `bounced` and the address undeliverable in auth; a soft bounce is left to
 * the retries (at send time) or to the reporting server (a DSN), and becomes hard once an address has
 * soft-bounced for BOUNCE_SOFT_DAYS; a complaint is recorded. Every bounce is an audit fact without
 * the address. Auth owns the undeliverable flag: a mark is written with the bounce and then sent to
 * auth by RPC, offered again until auth took it, so an auth outage loses nothing.
 */
@Injectable()
export class BounceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: NotificationLogger;
  private timer?: NodeJS.Timeout;
  private applying?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly bounces: BounceRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly metrics: Metrics,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
  ) {
    this.logger = logger.child({ component: BounceService.name });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.applyPendingMarks(), MARK_RETRY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.applying;
  }

  async record(input: BounceInput): Promise<BounceResult> {
    const message = await this.findMessage(input);
    if (!message || message.channel !== 'email') {
      this.logger.info(
        { source: input.source, type: input.bounce.type },
        'bounce for no message of ours; ignored',
      );
      return { status: 'ignored' };
    }
    const hashes = this.bouncedHashes(message, input.recipient);
    if (hashes.length === 0) {
      this.logger.info(
        { source: input.source, messageId: message.messageId },
        'bounce for an address the message was not sent to; ignored',
      );
      return { status: 'ignored' };
    }
    const now = this.clock.now();
    const type = await this.dataSource.transaction(async (manager) => {
      const reasons = [
        `channel:${message.channel}`,
        `template:${message.template}`,
        `kind:${input.bounce.kind}`,
        `status:${input.bounce.status}`,
        `source:${input.source}`,
      ];
      let effective = input.bounce.type;
      if (!affectsAddress(input.bounce)) {
        // Refused for policy or the server's own trouble (or a complaint): recorded, nothing marked.
        reasons.push('address:unaffected');
      } else if (effective === 'soft') {
        for (const hash of hashes) {
          const since = await this.bounces.noteSoft(manager, hash, now, this.config.BOUNCE_SOFT_DAYS);
          if (now.getTime() - since.getTime() >= this.config.BOUNCE_SOFT_DAYS * DAY_MS) {
            effective = 'hard';
            reasons.push('soft_for_days');
          }
        }
      }
      if (effective === 'hard' && affectsAddress(input.bounce)) {
        const changed = await this.messages.markBounced(manager, message.messageId, now, input.bounce.status);
        await this.bounces.endSoftRun(manager, hashes);
        if (message.userId && UUID.test(message.userId)) {
          await this.bounces.addMark(
            manager,
            { messageId: message.messageId, userId: message.userId, recipientHashes: hashes },
            now,
          );
        }
        if (!changed) {
          // Already bounced (the same DSN twice, or a second recipient's): one fact per message.
          return effective;
        }
      }
      await this.outbox.record(manager, {
        type: 'notification.message.bounced',
        outcome: effective === 'soft' ? 'info' : 'failure',
        actor: message.userId ? { userId: message.userId } : {},
        target: { type: 'notification.message', id: message.messageId },
        reasons: [`bounce:${effective}`, ...reasons],
        ...(message.tenants?.length ? { tenants: message.tenants } : {}),
      });
      return effective;
    });
    this.metrics.events.inc({ name: 'notification.message.bounced' });
    this.logger.warn(
      { messageId: message.messageId, source: input.source, type, status: input.bounce.status },
      'bounce',
    );
    if (type === 'hard') {
      // Not awaited: a slow auth must not hold a delivery worker; the mark is kept until taken.
      void this.applyPendingMarks();
    }
    return { status: 'recorded', type };
  }

  /** Sends auth the marks it has not taken yet; a failure leaves them for the next round. */
  applyPendingMarks(): Promise<void> {
    if (!this.applying) {
      this.applying = this.applyNow().finally(() => {
        this.applying = undefined;
      });
    }
    return this.applying;
  }

  private async applyNow(): Promise<void> {
    let marks;
    try {
      marks = await this.bounces.pendingMarks(50);
    } catch {
      return;
    }
    for (const mark of marks) {
      try {
        await this.rpc.send('auth.directory.email_undeliverable', {
          userId: mark.userId,
          recipientHashes: mark.recipientHashes,
          messageId: mark.messageId,
        });
        await this.bounces.markApplied(mark.id, this.clock.now());
      } catch (error) {
        await this.bounces.markAttempted(mark.id).catch(() => undefined);
        this.logger.warn(
          { messageId: mark.messageId, err: error instanceof Error ? error.name : typeof error },
          'auth did not take the undeliverable mark; offered again later',
        );
        if (error instanceof DomainError && error.code === ErrorCode.ServiceUnavailable) {
          // Auth is away: the rest would wait just as long. The next round tries again.
          return;
        }
        // Refused for this mark alone: it moves behind the others (fewest attempts first).
      }
    }
  }

  private async findMessage(input: BounceInput): Promise<BouncedMessage | null> {
    if (input.messageId) {
      return this.bounces.message(input.messageId);
    }
    if (input.recipient) {
      return this.bounces.latestEmailTo(recipientHashes(input.recipient, this.config.RECIPIENT_HASH_SECRET));
    }
    return null;
  }

  /**
   * The stored hashes of the bounced address; without an address (a JSON event naming only the
   * message), all of the message's recipients. A DSN's Final-Recipient that is none of them (a
   * forward) still counts for a message with a single recipient.
   */
  private bouncedHashes(message: BouncedMessage, recipient: string | undefined): string[] {
    if (!recipient) {
      return message.recipientHashes;
    }
    const candidates = recipientHashes(recipient, this.config.RECIPIENT_HASH_SECRET);
    const matched = message.recipientHashes.filter((hash) => candidates.includes(hash));
    if (matched.length > 0) {
      return matched;
    }
    return message.recipientHashes.length === 1 ? message.recipientHashes : [];
  }
}
