import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { NotificationJobData } from '@app/contracts';
import { JobSealer } from './job-sealer';
import { Message } from './message.entity';
import { recipientHash } from './recipient-hash.util';

type FinalStatus = 'sent' | 'failed' | 'expired';

/**
 * The delivery records. Every state change is one conditional UPDATE on the row (`WHERE status =
 * 'queued'` …), so two workers holding the same message id — a duplicated or stalled job, two
 * replicas — cannot both send it or both record an outcome (NOTIF-4).
 */
@Injectable()
export class MessageRepository {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly sealer: JobSealer,
  ) {}

  /** Creates the `queued` record the first time a message id is seen; a repeat changes nothing. */
  async register(data: NotificationJobData, now: Date): Promise<void> {
    await this.messages.query(
      `INSERT INTO notification.message
         (message_id, channel, template, language, status, recipient_hashes, attempts, expires_at,
          user_id, correlation_id, created_at, updated_at, sealed_job, tenants)
       VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, $7, $8, $9, $9, $10, $11)
       ON CONFLICT (message_id) DO NOTHING`,
      [
        data.messageId,
        data.channel,
        data.template,
        data.language,
        data.to.map((to) => recipientHash(to, this.config.RECIPIENT_HASH_SECRET)),
        data.expiresAt ?? null,
        data.userId ?? null,
        data.correlationId ?? null,
        now,
        this.sealer.seal(data),
        data.tenants?.length ? data.tenants : null,
      ],
    );
  }

  /**
   * Takes the right to call the provider: one attempt more, held until `leaseUntil`. Returns the
   * attempt number, or null when the message is no longer queued or another worker holds it.
   */
  async claim(messageId: string, now: Date, leaseUntil: Date): Promise<number | null> {
    const rows: { attempts: number }[] = await this.rows(
      this.messages.manager,
      `UPDATE notification.message
          SET attempts = attempts + 1, claimed_until = $3, updated_at = $2
        WHERE message_id = $1 AND status = 'queued' AND claimed_until IS NULL
        RETURNING attempts`,
      [messageId, now, leaseUntil],
    );
    return rows[0]?.attempts ?? null;
  }

  /**
   * Gives back a claim a run took without calling the provider (its claim UPDATE's answer was lost),
   * only if the claim still holds exactly that run's lease. The attempt it counted stays counted.
   */
  async dropUnusedClaim(messageId: string, heldLease: Date, now: Date): Promise<boolean> {
    const rows = await this.rows(
      this.messages.manager,
      `UPDATE notification.message SET claimed_until = NULL, updated_at = $3
        WHERE message_id = $1 AND status = 'queued' AND claimed_until = $2
        RETURNING 1`,
      [messageId, heldLease, now],
    );
    return rows.length === 1;
  }

  /**
   * Gives the claim back after a failed call that will be retried. `uncounted`: the try does not use
   * up the message's attempts (its provider could not be reached and its queue is paused).
   */
  async release(messageId: string, now: Date, error: string, uncounted = false): Promise<void> {
    await this.messages.query(
      `UPDATE notification.message
          SET claimed_until = NULL, last_error = $3, updated_at = $2,
              attempts = CASE WHEN $4::boolean THEN greatest(attempts - 1, 0) ELSE attempts END
        WHERE message_id = $1 AND status = 'queued'`,
      [messageId, now, error, uncounted],
    );
  }

  /** The claimed message was handed to the provider. */
  markSent(manager: EntityManager, messageId: string, now: Date): Promise<boolean> {
    return this.finish(manager, messageId, 'sent', now, null, 'claimed');
  }

  /** The claimed message failed for good. */
  markFailed(manager: EntityManager, messageId: string, now: Date, error: string): Promise<boolean> {
    return this.finish(manager, messageId, 'failed', now, error, 'claimed');
  }

  /** Expires a queued message nobody is sending right now (NOTIF-4). */
  markExpired(manager: EntityManager, messageId: string, now: Date): Promise<boolean> {
    return this.finish(manager, messageId, 'expired', now, null, 'unclaimed');
  }

  /**
   * A claim that ran out without an outcome: the worker died while calling the provider, so the
   * message may or may not have gone out. Sending again could deliver it twice, so it fails instead.
   */
  markAbandoned(manager: EntityManager, messageId: string, now: Date): Promise<boolean> {
    return this.finish(manager, messageId, 'failed', now, 'outcome_unknown', 'lapsed');
  }

  /** Sweeper: expires a queued message nobody holds once `expires_at` has passed (NOTIF-4). */
  sweepExpired(manager: EntityManager, messageId: string, now: Date): Promise<boolean> {
    return this.finish(manager, messageId, 'expired', now, null, 'unclaimed_expired');
  }

  /**
   * Sweeper: a queued, still valid message nobody holds whose job is gone (Redis lost it). It was
   * never handed to a provider; the job held its only copy, so it cannot be sent and fails `job_lost`.
   * `untouchedSince`: the record must not have changed since the sweeper saw the job missing.
   */
  async markJobLost(
    manager: EntityManager,
    messageId: string,
    now: Date,
    untouchedSince: Date,
  ): Promise<boolean> {
    const rows = await this.rows(
      manager,
      `UPDATE notification.message
          SET status = 'failed', last_error = 'job_lost', updated_at = $2, sealed_job = NULL
        WHERE message_id = $1 AND status = 'queued' AND claimed_until IS NULL
          AND (expires_at IS NULL OR expires_at > $2) AND updated_at <= $3
        RETURNING 1`,
      [messageId, now, untouchedSince],
    );
    return rows.length === 1;
  }

  /**
   * Sweeper: takes the sealed job of a queued, still valid message nobody holds whose job is gone, to
   * queue it again; touching the record, so no other sweeper takes it within the staleness margin.
   */
  async takeForRequeue(messageId: string, now: Date, untouchedSince: Date): Promise<string | null> {
    const rows: { sealed_job: string }[] = await this.rows(
      this.messages.manager,
      `UPDATE notification.message SET updated_at = $2
        WHERE message_id = $1 AND status = 'queued' AND claimed_until IS NULL AND sealed_job IS NOT NULL
          AND (expires_at IS NULL OR expires_at > $2) AND updated_at <= $3
        RETURNING sealed_job`,
      [messageId, now, untouchedSince],
    );
    return rows[0]?.sealed_job ?? null;
  }

  /**
   * Sweeper: up to `limit` queued records not touched since `untouchedSince`, oldest first, after
   * `after` (the last of the previous page) so records left alone do not hide the ones behind them.
   */
  async stuck(
    untouchedSince: Date,
    limit: number,
    after?: { updatedAt: Date; messageId: string },
  ): Promise<Message[]> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where(`m.status = 'queued'`)
      .andWhere('m.updated_at <= :untouchedSince', { untouchedSince })
      .orderBy('m.updatedAt', 'ASC')
      .addOrderBy('m.messageId', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere('(m.updated_at, m.message_id) > (:afterAt, :afterId)', {
        afterAt: after.updatedAt,
        afterId: after.messageId,
      });
    }
    return qb.getMany();
  }

  /**
   * NOTIF-6: a hard bounce for the message, at send time (claimed, still `queued`) or later from a
   * DSN (`sent`, `delivered`, or `failed` by the refusal itself). The one place a bounce changes a
   * message's status; false when it is already bounced (or expired, never sent).
   */
  async markBounced(manager: EntityManager, messageId: string, now: Date, status: string): Promise<boolean> {
    const rows = await this.rows(
      manager,
      `UPDATE notification.message
          SET status = 'bounced', last_error = $3, claimed_until = NULL, sealed_job = NULL, updated_at = $2
        WHERE message_id = $1 AND status IN ('queued', 'sent', 'delivered', 'failed')
        RETURNING 1`,
      [messageId, now, `bounce_${status}`],
    );
    return rows.length === 1;
  }

  async find(messageId: string): Promise<Message | null> {
    return this.messages.findOneBy({ messageId });
  }

  private async finish(
    manager: EntityManager,
    messageId: string,
    status: FinalStatus,
    now: Date,
    error: string | null,
    claim: 'claimed' | 'unclaimed' | 'unclaimed_expired' | 'lapsed',
  ): Promise<boolean> {
    const claimCondition = {
      claimed: 'claimed_until IS NOT NULL',
      unclaimed: 'claimed_until IS NULL',
      unclaimed_expired: 'claimed_until IS NULL AND expires_at <= $2',
      lapsed: 'claimed_until IS NOT NULL AND claimed_until <= $2',
    }[claim];
    const rows = await this.rows(
      manager,
      `UPDATE notification.message
          SET status = $3, last_error = COALESCE($4, last_error), claimed_until = NULL, updated_at = $2,
              sealed_job = NULL,
              sent_at = CASE WHEN $3 = 'sent' THEN $2 ELSE sent_at END
        WHERE message_id = $1 AND status = 'queued' AND ${claimCondition}
        RETURNING 1`,
      [messageId, now, status, error],
    );
    return rows.length === 1;
  }

  /** TypeORM's postgres driver answers an UPDATE … RETURNING with `[rows, count]`. */
  private async rows<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    const result: unknown = await manager.query(sql, params);
    if (
      Array.isArray(result) &&
      result.length === 2 &&
      Array.isArray(result[0]) &&
      typeof result[1] === 'number'
    ) {
      return result[0] as T[];
    }
    return result as T[];
  }
}
