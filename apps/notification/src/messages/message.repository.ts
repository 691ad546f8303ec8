import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { AuditEventType, AuditOutcome, NotificationJobData } from '@app/contracts';
import { OutboxRow, OutboxWriter } from '@app/database';
import { JobSealer } from './job-sealer';
import { Message, MessageStatus } from './message.entity';
import { MessageStatusEntry } from './message-status-entry.entity';
import { allowedSources, OUTCOME_UNKNOWN } from './message-status.rules';
import { recipientHash } from './recipient-hash.util';
import { maskRecipients } from './recipient-mask.util';

type FinalStatus = 'sent' | 'failed' | 'expired';

/** What a status change records besides the status (see `recordStatus`). */
export interface StatusChange {
  at: Date;
  /** A short code safe to store and show (`smtp_550`, `twilio_30003`); never an address or body. */
  detail?: string | null;
  providerMessageId?: string | null;
}

/** A message a worker is about to send: registered if new, and claimed (see `writeDeliveries`). */
export interface DeliveryClaim {
  data: NotificationJobData;
  now: Date;
  /** How long the claim holds. */
  leaseUntil: Date;
}

/** A claimed message the provider took at `at`, with its `notification.message.sent` fact. */
export interface SentChange {
  messageId: string;
  at: Date;
  providerMessageId: string | null;
  fact: OutboxRow;
}

/** The audit fact of each status a message reaches (queued, its first, is no change). */
const STATUS_FACTS: Record<Exclude<MessageStatus, 'queued'>, [AuditEventType, AuditOutcome]> = {
  sent: ['notification.message.sent', 'success'],
  delivered: ['notification.message.delivered', 'success'],
  failed: ['notification.message.failed', 'failure'],
  bounced: ['notification.message.bounced', 'failure'],
  expired: ['notification.message.expired', 'info'],
  suppressed: ['notification.message.suppressed', 'info'],
};

/** One page of `search`, newest first. */
export interface MessageSearch {
  /** Every hash the recipient may be stored under (recipientHashes()). */
  recipientHashes?: string[];
  template?: string;
  status?: MessageStatus;
  from?: Date;
  to?: Date;
  /** The last message of the previous page. */
  after?: { createdAt: Date; messageId: string };
  limit: number;
}

/**
 * The delivery records. Every state change is one conditional UPDATE on the row (`WHERE status =
 * 'queued'` …), so two workers holding the same message id — a duplicated or stalled job, two
 * replicas — cannot both send it or both record an outcome (NOTIF-4).
 */
@Injectable()
export class MessageRepository {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(MessageStatusEntry) private readonly history: Repository<MessageStatusEntry>,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly sealer: JobSealer,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Creates the `queued` record (and the first line of its history) the first time a message id is
   * seen; a repeat changes nothing. The recipients are kept hashed and masked, never in clear.
   */
  async register(data: NotificationJobData, now: Date): Promise<void> {
    await this.messages.query(
      `WITH created AS (
         INSERT INTO notification.message
           (message_id, channel, template, language, status, recipient_hashes, attempts, expires_at,
            user_id, correlation_id, created_at, updated_at, sealed_job, tenants, recipient_masked)
         VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, $7, $8, $9, $9, $10, $11, $12)
         ON CONFLICT (message_id) DO NOTHING
         RETURNING message_id, created_at)
       INSERT INTO notification.message_status (message_id, status, at)
         SELECT message_id, 'queued', created_at FROM created`,
      this.registerParams(data, now),
    );
  }

  /** $1…$12 of the INSERT of a new message record. */
  private registerParams(data: NotificationJobData, now: Date): unknown[] {
    return [
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
      maskRecipients(data.to),
    ];
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
   * The worker's writes of one moment, in ONE statement (so one round trip and one transaction):
   *
   * - `claims`: `register` and `claim` of each message, the worker's common case before calling the
   *   provider: a new message is created already claimed (attempt 1, with its `queued` line of
   *   history); a known one is claimed if it is still queued and nobody holds it.
   * - `sent`: `sent` for claimed messages the provider took: each status, its line of history and its
   *   audit fact (`fact`, a row for `outboxTable`, written only for the messages that changed).
   *
   * One message id at most once in all (the caller's batch sees to it): two parts of one statement
   * must not change the same row. Answers each claimed message's attempt number (a message missing
   * from `attempts` is no longer queued, or another worker holds it) and the ids moved to `sent` (the
   * others were not queued and claimed any more).
   */
  async writeDeliveries(
    claims: DeliveryClaim[],
    sent: SentChange[],
    outboxTable: string,
  ): Promise<{ attempts: Map<string, number>; sent: Set<string> }> {
    const ctes: string[] = [];
    const selects: string[] = [];
    const params: unknown[] = [];
    if (claims.length > 0) {
      // Every part of the statement sees the table as it was when it started: the UPDATE never sees
      // the rows the INSERT creates, so a message is claimed by one part or the other, never both.
      ctes.push(
        `claim_input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[],
                                $6::timestamptz[], $7::text[], $8::text[], $9::timestamptz[], $10::text[],
                                $11::jsonb[], $12::text[], $13::timestamptz[])
             AS c(message_id, channel, template, language, hashes, expires_at, user_id, correlation_id,
                  at, sealed_job, tenants, recipient_masked, lease_until))`,
        `created AS (
           INSERT INTO notification.message
             (message_id, channel, template, language, status, recipient_hashes, attempts, expires_at,
              user_id, correlation_id, created_at, updated_at, sealed_job, tenants, recipient_masked,
              claimed_until)
           SELECT c.message_id, c.channel, c.template, c.language, 'queued',
                  ARRAY(SELECT jsonb_array_elements_text(c.hashes)), 1, c.expires_at, c.user_id,
                  c.correlation_id, c.at, c.at, c.sealed_job,
                  CASE WHEN c.tenants IS NULL THEN NULL
                       ELSE ARRAY(SELECT jsonb_array_elements_text(c.tenants)) END,
                  c.recipient_masked, c.lease_until
             FROM claim_input c
           ON CONFLICT (message_id) DO NOTHING
           RETURNING message_id, created_at, attempts)`,
        `created_history AS (
           INSERT INTO notification.message_status (message_id, status, at)
             SELECT message_id, 'queued', created_at FROM created)`,
        `claimed AS (
           UPDATE notification.message m
              SET attempts = m.attempts + 1, claimed_until = c.lease_until, updated_at = c.at
             FROM claim_input c
            WHERE m.message_id = c.message_id AND m.status = 'queued' AND m.claimed_until IS NULL
              AND NOT EXISTS (SELECT 1 FROM created WHERE created.message_id = c.message_id)
            RETURNING m.message_id, m.attempts)`,
      );
      selects.push(
        `SELECT 'claim' AS part, message_id, attempts FROM created`,
        `SELECT 'claim', message_id, attempts FROM claimed`,
      );
      const rows = claims.map((c) => this.registerParams(c.data, c.now));
      const column = (i: number): unknown[] => rows.map((row) => row[i]);
      // The recipients' hashes and the tenants as JSON, so that arrays of any length fit one array
      // parameter; times as ISO strings.
      const json = (i: number): (string | null)[] =>
        rows.map((row) => (row[i] === null ? null : JSON.stringify(row[i])));
      params.push(
        ...[0, 1, 2, 3].map(column),
        json(4),
        ...[5, 6, 7].map(column),
        claims.map((c) => c.now.toISOString()),
        column(9),
        json(10),
        column(11),
        claims.map((c) => c.leaseUntil.toISOString()),
      );
    }
    if (sent.length > 0) {
      const n = params.length;
      ctes.push(
        `sent_input AS (
           SELECT * FROM unnest($${n + 1}::text[], $${n + 2}::timestamptz[], $${n + 3}::text[],
                                $${n + 4}::uuid[], $${n + 5}::text[], $${n + 6}::jsonb[])
             AS i(message_id, at, provider_message_id, fact_id, subject, payload))`,
        `changed AS (
           UPDATE notification.message m
              SET status = 'sent', claimed_until = NULL, updated_at = i.at, sealed_job = NULL,
                  provider_message_id = COALESCE(i.provider_message_id, m.provider_message_id), sent_at = i.at
             FROM sent_input i
            WHERE m.message_id = i.message_id AND m.status = 'queued' AND m.claimed_until IS NOT NULL
            RETURNING m.message_id)`,
        `sent_history AS (
           INSERT INTO notification.message_status (message_id, status, at, provider_message_id)
             SELECT i.message_id, 'sent', i.at, i.provider_message_id FROM sent_input i JOIN changed USING (message_id))`,
        `facts AS (
           INSERT INTO ${outboxTable} (id, subject, payload)
             SELECT i.fact_id, i.subject, i.payload FROM sent_input i JOIN changed USING (message_id))`,
      );
      selects.push(`SELECT 'sent', message_id, NULL::int FROM changed`);
      params.push(
        sent.map((s) => s.messageId),
        sent.map((s) => s.at.toISOString()),
        sent.map((s) => s.providerMessageId),
        sent.map((s) => s.fact.id),
        sent.map((s) => s.fact.subject),
        sent.map((s) => s.fact.payload),
      );
    }
    const attempts = new Map<string, number>();
    const changed = new Set<string>();
    if (selects.length === 0) {
      return { attempts, sent: changed };
    }
    // A named statement: each connection of the pool parses and plans it once, not on every write
    // (three shapes: claims, records, both). Planning this WITH is about as long as running it, and
    // every claim of a code waits for it (bench/notification.mjs). One statement outside a transaction
    // block is its own transaction, as before.
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<{
      part: 'claim' | 'sent';
      message_id: string;
      attempts: number | null;
    }>({
      name: `notification-write-deliveries-${claims.length > 0 ? 'claims' : ''}${sent.length > 0 ? 'sent' : ''}`,
      text: `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL ')}`,
      values: params,
    });
    for (const row of rows) {
      if (row.part === 'claim' && row.attempts !== null) {
        attempts.set(row.message_id, row.attempts);
      } else if (row.part === 'sent') {
        changed.add(row.message_id);
      }
    }
    return { attempts, sent: changed };
  }

  /**
   * Gives back a claim a run took without calling the provider, only if the claim still holds exactly
   * that run's lease. The attempt it counted stays counted when the claim's answer was lost; with
   * `uncounted` it is taken back too, as if the claim was never taken (the guard, asked beside the
   * claim, said the message waits, is superseded or its provider is paused).
   */
  async dropUnusedClaim(messageId: string, heldLease: Date, now: Date, uncounted = false): Promise<boolean> {
    const rows = await this.rows(
      this.messages.manager,
      `UPDATE notification.message
          SET claimed_until = NULL, updated_at = $3,
              attempts = CASE WHEN $4::boolean THEN greatest(attempts - 1, 0) ELSE attempts END
        WHERE message_id = $1 AND status = 'queued' AND claimed_until = $2
        RETURNING 1`,
      [messageId, heldLease, now, uncounted],
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

  /** The claimed message was handed to the provider, which named it `providerMessageId`. */
  markSent(
    manager: EntityManager,
    messageId: string,
    now: Date,
    providerMessageId: string | null = null,
  ): Promise<boolean> {
    return this.finish(manager, messageId, 'sent', now, null, 'claimed', providerMessageId);
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
    return this.finish(manager, messageId, 'failed', now, OUTCOME_UNKNOWN, 'lapsed');
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
      `WITH changed AS (
         UPDATE notification.message
            SET status = 'failed', last_error = 'job_lost', updated_at = $2, sealed_job = NULL
          WHERE message_id = $1 AND status = 'queued' AND claimed_until IS NULL
            AND (expires_at IS NULL OR expires_at > $2) AND updated_at <= $3
          RETURNING message_id)
       INSERT INTO notification.message_status (message_id, status, at, detail)
         SELECT message_id, 'failed', $2, 'job_lost' FROM changed
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
   * message's status; false when it is already bounced (or expired, never sent). Adds the line of
   * the status history (NOTIF-5) but not the audit fact: BounceService writes a richer one itself.
   */
  async markBounced(manager: EntityManager, messageId: string, now: Date, status: string): Promise<boolean> {
    const detail = `bounce_${status}`;
    const rows = await this.rows(
      manager,
      `UPDATE notification.message
          SET status = 'bounced', last_error = $3, claimed_until = NULL, sealed_job = NULL, updated_at = $2
        WHERE message_id = $1 AND status IN ('queued', 'sent', 'delivered', 'failed')
        RETURNING 1`,
      [messageId, now, detail],
    );
    if (rows.length !== 1) {
      return false;
    }
    await manager.query(
      `INSERT INTO notification.message_status (message_id, status, at, detail) VALUES ($1, 'bounced', $2, $3)`,
      [messageId, now, detail],
    );
    return true;
  }

  async find(messageId: string): Promise<Message | null> {
    return this.messages.findOneBy({ messageId });
  }

  async findByProviderId(providerMessageId: string): Promise<Message | null> {
    return this.messages.findOneBy({ providerMessageId });
  }

  /** The message's status history, oldest first. */
  async historyOf(messageId: string): Promise<MessageStatusEntry[]> {
    return this.history.find({ where: { messageId }, order: { id: 'ASC' } });
  }

  /** The histories of several messages in one query, each oldest first. */
  async historiesOf(messageIds: string[]): Promise<Map<string, MessageStatusEntry[]>> {
    const byMessage = new Map<string, MessageStatusEntry[]>(messageIds.map((id) => [id, []]));
    if (messageIds.length === 0) {
      return byMessage;
    }
    const rows = await this.history.find({ where: { messageId: In(messageIds) }, order: { id: 'ASC' } });
    for (const row of rows) {
      byMessage.get(row.messageId)?.push(row);
    }
    return byMessage;
  }

  /** Operators' search (`GET /ops/messages`): newest first, `limit` at most. */
  async search(filter: MessageSearch): Promise<Message[]> {
    const qb = this.messages
      .createQueryBuilder('m')
      .orderBy('m.createdAt', 'DESC')
      .addOrderBy('m.messageId', 'DESC')
      .limit(filter.limit);
    if (filter.recipientHashes) {
      qb.andWhere('m.recipient_hashes && :hashes::text[]', { hashes: filter.recipientHashes });
    }
    if (filter.template) {
      qb.andWhere('m.template = :template', { template: filter.template });
    }
    if (filter.status) {
      qb.andWhere('m.status = :status', { status: filter.status });
    }
    if (filter.from) {
      qb.andWhere('m.created_at >= :from', { from: filter.from });
    }
    if (filter.to) {
      qb.andWhere('m.created_at < :to', { to: filter.to });
    }
    if (filter.after) {
      qb.andWhere('(m.created_at, m.message_id) < (:afterAt, :afterId)', {
        afterAt: filter.after.createdAt,
        afterId: filter.after.messageId,
      });
    }
    return qb.getMany();
  }

  /**
   * Moves a message to `status` if the rules allow it (message-status.rules.ts: forward only, and a
   * message that failed with `outcome_unknown` takes what its provider's receipt says), adding the
   * line of its history and the audit fact, all in one transaction (`manager`'s when given).
   * Returns false, changing nothing, when the message is unknown or the move is not allowed — a late
   * or repeated receipt is no error. For bounces (NOTIF-6), receipts and suppressions; the worker's
   * own moves (claim → sent/failed/expired) use the conditional methods above.
   */
  async recordStatus(
    messageId: string,
    status: Exclude<MessageStatus, 'queued'>,
    change: StatusChange,
    manager?: EntityManager,
  ): Promise<boolean> {
    if (!manager) {
      return this.dataSource.transaction((m) => this.recordStatus(messageId, status, change, m));
    }
    const source = allowedSources(status);
    const detail = change.detail ?? null;
    const providerMessageId = change.providerMessageId ?? null;
    const rows: Pick<Message, 'channel' | 'template' | 'userId' | 'tenants'>[] = await this.rows(
      manager,
      `UPDATE notification.message
          SET status = $2, updated_at = $3, claimed_until = NULL, sealed_job = NULL,
              last_error = CASE WHEN $2 IN ('failed', 'bounced', 'suppressed') THEN COALESCE($4, last_error)
                                ELSE last_error END,
              provider_message_id = COALESCE(provider_message_id, $5),
              sent_at = CASE WHEN $2 = 'sent' AND sent_at IS NULL THEN $3 ELSE sent_at END
        WHERE message_id = $1
          AND (status = ANY($6::text[])
               OR ($7::boolean AND status = 'failed' AND last_error = '${OUTCOME_UNKNOWN}'))
        RETURNING channel, template, user_id AS "userId", tenants`,
      [messageId, status, change.at, detail, providerMessageId, source.statuses, source.fromOutcomeUnknown],
    );
    const row = rows[0];
    if (!row) {
      return false;
    }
    await manager.query(
      `INSERT INTO notification.message_status (message_id, status, at, detail, provider_message_id)
       VALUES ($1, $2, $3, $4, $5)`,
      [messageId, status, change.at, detail, providerMessageId],
    );
    const [type, outcome] = STATUS_FACTS[status];
    // Names the message, channel and template and a short detail code; never the recipient or body.
    await this.outbox.record(manager, {
      type,
      outcome,
      actor: row.userId ? { userId: row.userId } : {},
      target: { type: 'notification.message', id: messageId },
      reasons: [`channel:${row.channel}`, `template:${row.template}`, ...(detail ? [detail] : [])],
      ...(row.tenants?.length ? { tenants: row.tenants } : {}),
    });
    return true;
  }

  private async finish(
    manager: EntityManager,
    messageId: string,
    status: FinalStatus,
    now: Date,
    error: string | null,
    claim: 'claimed' | 'unclaimed' | 'unclaimed_expired' | 'lapsed',
    providerMessageId: string | null = null,
  ): Promise<boolean> {
    const claimCondition = {
      claimed: 'claimed_until IS NOT NULL',
      unclaimed: 'claimed_until IS NULL',
      unclaimed_expired: 'claimed_until IS NULL AND expires_at <= $2',
      lapsed: 'claimed_until IS NOT NULL AND claimed_until <= $2',
    }[claim];
    // The status and its line of history in one statement: neither is ever seen without the other.
    const rows = await this.rows(
      manager,
      `WITH changed AS (
         UPDATE notification.message
            SET status = $3, last_error = COALESCE($4, last_error), claimed_until = NULL, updated_at = $2,
                sealed_job = NULL, provider_message_id = COALESCE($5, provider_message_id),
                sent_at = CASE WHEN $3 = 'sent' THEN $2 ELSE sent_at END
          WHERE message_id = $1 AND status = 'queued' AND ${claimCondition}
          RETURNING message_id)
       INSERT INTO notification.message_status (message_id, status, at, detail, provider_message_id)
         SELECT message_id, $3, $2, $4, $5 FROM changed
       RETURNING 1`,
      [messageId, now, status, error, providerMessageId],
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
