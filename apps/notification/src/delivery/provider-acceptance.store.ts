import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { NOTIFICATION_REDIS } from '../redis/redis.tokens';

/** Longer than any message waits for its record: a claim lease, a retry, a sweep. */
export const MARK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Messages the provider took whose `sent` record could not be written (the database went away
 * between the provider's answer and the UPDATE). The mark lives in Redis, not in the process, so the
 * job's next run on any replica, or the sweeper, records such a message `sent` instead of
 * `outcome_unknown`. The message's claim stays held meanwhile, so it is never sent a second time.
 */
@Injectable()
export class ProviderAcceptanceStore {
  constructor(
    @Inject(NOTIFICATION_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
  ) {}

  async note(messageId: string, at: Date): Promise<void> {
    await this.redis.set(this.key(messageId), at.toISOString(), 'PX', MARK_TTL_MS);
  }

  /** The messages' `sent` records are committed: their marks are no longer needed. */
  async forget(messageIds: string[]): Promise<void> {
    if (messageIds.length > 0) {
      await this.redis.unlink(...messageIds.map((id) => this.key(id)));
    }
  }

  /** When the provider took the message, if it did and the record is still missing. */
  async acceptedAt(messageId: string): Promise<Date | null> {
    const value = await this.redis.get(this.key(messageId));
    const at = value === null ? NaN : new Date(value).getTime();
    return Number.isNaN(at) ? null : new Date(at);
  }

  /**
   * The claim UPDATE of a run failed on the way back (the connection dropped): it may have been
   * taken, with lease `leaseUntil`, by a run that then never called the provider. A claim holding
   * exactly that lease is given back by the job's next run (MessageRepository.dropUnusedClaim) rather
   * than waiting for it to lapse and ending `outcome_unknown` for a message that never left.
   *
   * Every such lease is kept, not only the latest: while the database is away, each later run of
   * the job fails its claim too and notes its own lease, although the claim the database holds may
   * be an earlier run's. Keeping only the last one would hide that claim until it lapsed.
   */
  async noteUnusedClaim(messageId: string, leaseUntil: Date): Promise<void> {
    const key = this.key(messageId, 'unused-claims');
    await this.redis.multi().sadd(key, leaseUntil.toISOString()).pexpire(key, MARK_TTL_MS).exec();
  }

  /** `heldLease` if a run noted that lease of the message unused, else null. */
  async unusedClaim(messageId: string, heldLease: Date): Promise<Date | null> {
    const noted = await this.redis.sismember(this.key(messageId, 'unused-claims'), heldLease.toISOString());
    return noted === 1 ? heldLease : null;
  }

  private key(messageId: string, kind: 'accepted' | 'unused-claims' = 'accepted'): string {
    return acceptanceKey(this.config.REDIS_PREFIX, messageId, kind);
  }
}

/** The Redis key of a message's mark (DeliveryGuards sets the `accepted` one in its own script). */
export function acceptanceKey(
  prefix: string,
  messageId: string,
  kind: 'accepted' | 'unused-claims' = 'accepted',
): string {
  return `${prefix}:notification:${kind}:${messageId}`;
}
