import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, Clock, NotificationEnv } from '@app/config';
import {
  AuditEventType,
  AuditOutcome,
  JOB_PRIORITY,
  NOTIFICATION_QUEUES,
  NotificationQueue,
  queueForChannel,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { createRedis } from '@app/messaging';
import { Metrics } from '@app/observability';
import { ProviderAcceptanceStore } from '../delivery/provider-acceptance.store';
import { JobSealer } from '../messages/job-sealer';
import { Message } from '../messages/message.entity';
import { MessageRepository } from '../messages/message.repository';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { decideStuckMessage, SweepDecision } from './stuck-message.rules';

/** A record untouched this long with no job is lost; a worker registers it while holding the job. */
export const SWEEP_STALE_AFTER_MS = 60_000;
const PAGE_SIZE = 200;
/** At most this many pages per run, so one run is bounded whatever the table holds. */
const MAX_PAGES = 25;

export interface SweepCounts {
  looked: number;
  sent: number;
  outcomeUnknown: number;
  expired: number;
  jobLost: number;
  claimsDropped: number;
  requeued: number;
}

/**
 * Resolves message records left `queued` that no job run will finish (NOTIF-4): a worker that died
 * mid-send (its claim ran out), a send whose `sent` record failed (the provider took it), a code that
 * expired while its job was gone, a job Redis lost. The rules are `decideStuckMessage`; each decision
 * is one conditional UPDATE with its audit event in one transaction, so replicas sweeping at once and
 * workers finishing the same message decide it once. Every replica runs it every SWEEP_INTERVAL_SECONDS.
 */
@Injectable()
export class StuckMessageSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: NotificationLogger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private connection: Redis | null = null;
  private queues: Record<NotificationQueue, Queue> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly acceptance: ProviderAcceptanceStore,
    private readonly sealer: JobSealer,
    private readonly outbox: OutboxWriter,
    private readonly metrics: Metrics,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
  ) {
    this.logger = logger.child({ component: StuckMessageSweeper.name });
  }

  onApplicationBootstrap(): void {
    const intervalMs = this.config.SWEEP_INTERVAL_SECONDS * 1000;
    if (intervalMs <= 0) {
      return;
    }
    this.timer = setInterval(() => {
      // One run at a time per replica; a slow run makes the next tick wait for the one after.
      this.running ??= this.sweepOnce()
        .catch((error: unknown) =>
          this.logger.warn({ err: error instanceof Error ? error.name : typeof error }, 'sweep failed'),
        )
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running;
    if (this.queues) {
      await Promise.all(Object.values(this.queues).map((q) => q.close()));
    }
    this.connection?.disconnect();
  }

  /** One pass over the stuck records; returns what it decided. */
  async sweepOnce(): Promise<SweepCounts> {
    const counts: SweepCounts = {
      looked: 0,
      sent: 0,
      outcomeUnknown: 0,
      expired: 0,
      jobLost: 0,
      claimsDropped: 0,
      requeued: 0,
    };
    const untouchedSince = new Date(this.clock.now().getTime() - SWEEP_STALE_AFTER_MS);
    let after: { updatedAt: Date; messageId: string } | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await this.messages.stuck(untouchedSince, PAGE_SIZE, after);
      for (const row of rows) {
        counts.looked++;
        await this.resolve(row, counts);
      }
      if (rows.length < PAGE_SIZE) {
        break;
      }
      const last = rows[rows.length - 1];
      after = { updatedAt: last.updatedAt, messageId: last.messageId };
    }
    if (
      counts.sent +
        counts.outcomeUnknown +
        counts.expired +
        counts.jobLost +
        counts.claimsDropped +
        counts.requeued >
      0
    ) {
      this.logger.info(counts, 'resolved stuck message records');
    }
    return counts;
  }

  private async resolve(row: Message, counts: SweepCounts): Promise<void> {
    // The facts first, the time after: a job seen missing stays missing, and the UPDATE re-checks
    // that the record did not change since it was read.
    const acceptedAt = row.claimedUntil ? await this.acceptance.acceptedAt(row.messageId) : null;
    const unusedClaim = row.claimedUntil
      ? await this.acceptance.unusedClaim(row.messageId, row.claimedUntil)
      : null;
    // The job matters only for an unclaimed record (a claimed one is decided by its claim).
    const jobExists = row.claimedUntil ? true : await this.jobExists(row);
    const now = this.clock.now();
    const decision = decideStuckMessage(
      row,
      now,
      { acceptedAt, jobExists, unusedClaim },
      SWEEP_STALE_AFTER_MS,
    );
    switch (decision.kind) {
      case 'leave':
        return;
      case 'record_sent':
        if (
          await this.apply(row, decision, 'notification.message.sent', 'success', [], (m) =>
            this.messages.markSent(m, row.messageId, decision.at),
          )
        ) {
          counts.sent++;
        }
        return;
      case 'drop_unused_claim':
        // No outcome to record: the record is queued and unclaimed again, for its job or the next sweep.
        if (await this.messages.dropUnusedClaim(row.messageId, decision.lease, now)) {
          counts.claimsDropped++;
        }
        return;
      case 'outcome_unknown':
        if (
          await this.apply(
            row,
            decision,
            'notification.message.failed',
            'failure',
            ['outcome_unknown'],
            (m) => this.messages.markAbandoned(m, row.messageId, now),
          )
        ) {
          counts.outcomeUnknown++;
        }
        return;
      case 'expire':
        if (
          await this.apply(row, decision, 'notification.message.expired', 'info', ['expired'], (m) =>
            this.messages.sweepExpired(m, row.messageId, now),
          )
        ) {
          counts.expired++;
        }
        return;
      case 'requeue':
        await this.requeue(row, now, counts);
        return;
      case 'job_lost':
        if (
          await this.apply(row, decision, 'notification.message.failed', 'failure', ['job_lost'], (m) =>
            this.messages.markJobLost(m, row.messageId, now, row.updatedAt),
          )
        ) {
          counts.jobLost++;
        }
        return;
    }
  }

  /**
   * Queues the lost job again from the record's sealed copy. The UPDATE that takes the copy touches
   * the record, so no other sweeper takes it too within the staleness margin; should the add fail
   * (Redis away), the next sweep after the margin tries again. The job id is the message id, as the
   * producer's, and the record's claim still sends it at most once.
   */
  private async requeue(row: Message, now: Date, counts: SweepCounts): Promise<void> {
    const untouchedSince = new Date(now.getTime() - SWEEP_STALE_AFTER_MS);
    const sealed = await this.messages.takeForRequeue(row.messageId, now, untouchedSince);
    if (sealed === null) {
      return;
    }
    const data = this.sealer.open(sealed, row.messageId);
    if (!data) {
      // Sealed under another RECIPIENT_HASH_SECRET (rotated) or altered: lost after all.
      if (
        await this.apply(
          row,
          { kind: 'job_lost' },
          'notification.message.failed',
          'failure',
          ['job_lost'],
          (m) => this.messages.markJobLost(m, row.messageId, now, now),
        )
      ) {
        counts.jobLost++;
      }
      return;
    }
    await this.queue(row).add(data.template, data, {
      jobId: data.messageId,
      priority: JOB_PRIORITY[data.expiresAt === undefined ? 'transactional' : 'code'],
      removeOnComplete: true,
      removeOnFail: true,
    });
    counts.requeued++;
    this.logger.info({ messageId: row.messageId }, 'lost job queued again');
  }

  /** The decision's UPDATE and, if it changed the record, its audit event: one transaction. */
  private async apply(
    row: Message,
    decision: SweepDecision,
    type: AuditEventType,
    outcome: AuditOutcome,
    reasons: string[],
    update: (manager: EntityManager) => Promise<boolean>,
  ): Promise<boolean> {
    const changed = await this.dataSource.transaction(async (manager) => {
      if (!(await update(manager))) {
        return false;
      }
      await this.outbox.record(manager, {
        type,
        outcome,
        actor: row.userId ? { userId: row.userId } : {},
        target: { type: 'notification.message', id: row.messageId },
        reasons: [`channel:${row.channel}`, `template:${row.template}`, ...reasons, 'swept'],
        ...(row.tenants?.length ? { tenants: row.tenants } : {}),
      });
      return true;
    });
    if (changed) {
      this.metrics.events.inc({ name: type });
      this.logger.info({ messageId: row.messageId, decision: decision.kind }, 'stuck message resolved');
    }
    return changed;
  }

  /** In the channel's queue, or in its bulk queue, where an announcement may wait its turn a while. */
  private async jobExists(row: Message): Promise<boolean> {
    for (const bulk of [false, true]) {
      const job = await this.queue(row, bulk).getJob(row.messageId);
      // A finished job that BullMQ still keeps will not run again.
      const state = job ? await job.getState() : 'unknown';
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') {
        return true;
      }
    }
    return false;
  }

  private queue(row: Message, bulk = false): Queue {
    if (!this.queues) {
      this.connection = createRedis(this.config.REDIS_URL);
      const opts = { connection: this.connection, prefix: this.config.REDIS_PREFIX };
      const queues = Object.fromEntries(NOTIFICATION_QUEUES.map((name) => [name, new Queue(name, opts)]));
      this.queues = queues as Record<NotificationQueue, Queue>;
      for (const queue of Object.values(this.queues)) {
        queue.on('error', () => undefined);
      }
    }
    return this.queues[queueForChannel(row.channel, bulk)];
  }
}
