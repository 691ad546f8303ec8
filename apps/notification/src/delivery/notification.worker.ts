import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import {
  NotificationChannel,
  NotificationJobData,
  NotificationQueue,
  queueForChannel,
  TemplateName,
} from '@app/contracts';
import { createRedis } from '@app/messaging';
import { RequestContext } from '@app/observability';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { NotificationMetrics } from '../queue-metrics/notification-metrics';
import { BulkYield } from './bulk-yield';
import { DeliveryOutcome } from './delivery-outcome';
import { DeliveryService } from './delivery.service';
import { retryDelayMs } from './retry-backoff.util';
import { NOTIFICATION_WORKER_OPTIONS, WorkerOptions } from './worker-options';

const CHANNELS: NotificationChannel[] = ['sms', 'email'];

type NotificationWorker = Worker<NotificationJobData, void, TemplateName>;
type NotificationJob = Job<NotificationJobData, void, TemplateName>;

/**
 * The BullMQ workers of the SMS and e-mail queues (NOTIF-1). Every replica runs them; BullMQ hands
 * each job to one worker, and the message record's claim covers the rare job run twice (NOTIF-4).
 *
 * Retries are decided here, not by BullMQ's `attempts`: the producer (in the auth service) cannot know
 * this service's RETRY_ATTEMPTS / RETRY_MAX_DELAY_MS, and the attempt count lives in the message
 * record, shared by all replicas. A retry moves the job to BullMQ's delayed set with the capped
 * exponential delay; it keeps its priority.
 */
@Injectable()
export class NotificationWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: NotificationLogger;
  private readonly workers: NotificationWorker[] = [];
  private readonly connections: Redis[] = [];
  private readonly yields: BulkYield[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    @Inject(NOTIFICATION_WORKER_OPTIONS) private readonly options: WorkerOptions,
    private readonly delivery: DeliveryService,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
    private readonly metrics: NotificationMetrics,
  ) {
    this.logger = logger.child({ component: NotificationWorkers.name });
  }

  /** After migrations (module init), so the first job finds its table. */
  onApplicationBootstrap(): void {
    for (const channel of CHANNELS) {
      this.workers.push(this.startWorker(channel, queueForChannel(channel)));
      // Bulk mail on a queue of its own, under the provider's rate limit (BullMQ's limiter counts over
      // every replica): codes never queue behind an announcement, nor behind the limiter (NOTIF-1).
      const maxPerSecond =
        channel === 'sms' ? this.config.SMS_MAX_PER_SECOND : this.config.SMTP_MAX_PER_SECOND;
      const bulkWorker = this.startWorker(channel, queueForChannel(channel, true), {
        max: maxPerSecond,
        duration: 1000,
      });
      this.workers.push(bulkWorker);
      // And it steps aside while codes wait, so it does not take their CPU and database time either.
      const connection = createRedis(this.config.REDIS_URL);
      this.connections.push(connection);
      const codeQueue = new Queue(queueForChannel(channel), { connection, prefix: this.config.REDIS_PREFIX });
      codeQueue.on('error', () => undefined);
      const yielding = new BulkYield(codeQueue, bulkWorker, this.options.concurrency, this.logger);
      yielding.start();
      this.yields.push(yielding);
    }
  }

  private startWorker(
    channel: NotificationChannel,
    queue: NotificationQueue,
    limiter?: { max: number; duration: number },
  ): NotificationWorker {
    const connection = createRedis(this.config.REDIS_URL);
    this.connections.push(connection);
    const worker: NotificationWorker = new Worker(
      queue,
      (job, token) => this.process(queue, channel, job, token),
      {
        connection,
        prefix: this.config.REDIS_PREFIX,
        concurrency: this.options.concurrency,
        // The job data holds a code or a link: keep nothing once it is done (the producer says so too).
        removeOnComplete: { count: 0 },
        removeOnFail: { age: 24 * 60 * 60 },
        // A job whose lock lapsed (Redis away, the process killed) goes back to the queue rather than
        // failing after one stall: the message record stops it from being sent twice.
        maxStalledCount: 1_000,
        ...(limiter ? { limiter } : {}),
      },
    );
    // Without a listener an 'error' event (Redis gone) would crash the process; BullMQ reconnects.
    worker.on('error', (error) => this.logger.error({ queue, err: error.message }, 'worker error'));
    return worker;
  }

  private process(
    queue: NotificationQueue,
    channel: NotificationChannel,
    job: NotificationJob,
    token?: string,
  ): Promise<void> {
    const requestId = typeof job.data?.correlationId === 'string' ? job.data.correlationId : randomUUID();
    // The request id of the user action that queued the message, on every log line and audit event.
    return RequestContext.run({ requestId }, async () => {
      let outcome: DeliveryOutcome;
      try {
        outcome = await this.delivery.deliver(job.data, channel, queue === queueForChannel(channel, true));
      } catch (error) {
        // Our own infrastructure (the database) failed, not the provider: that must not use up the
        // message's life. The job waits with the capped backoff and runs again; the message record
        // decides then (a code past its expiry ends `expired`).
        const delayMs = infrastructureDelayMs(job, this.config.RETRY_MAX_DELAY_MS);
        this.logger.warn(
          {
            queue,
            messageId: job.data?.messageId,
            delayMs,
            error: error instanceof Error ? error.name : typeof error,
          },
          'delivery hit an infrastructure error; will retry',
        );
        outcome = { kind: 'busy', delayMs };
      }
      switch (outcome.kind) {
        case 'sent':
          // Up to the provider's answer: the `sent` record written after it is not part of this time.
          this.metrics.observeQueueToProvider(
            queue,
            Math.max(0, outcome.acceptedAt.getTime() - job.timestamp) / 1000,
          );
          return;
        case 'expired':
        case 'duplicate':
          return;
        case 'retry':
        case 'busy':
        case 'paused':
          if (!token) {
            throw new Error('worker token missing');
          }
          await this.delay(queue, job, token, outcome.delayMs);
          throw new DelayedError();
        case 'failed':
          // A short reason code; it ends up in the job's failedReason, so never anything personal.
          throw new UnrecoverableError(outcome.reason);
      }
    });
  }

  /**
   * Moves the job to the delayed set. If Redis refuses (it is away too), the job is still never
   * failed: the worker lets go of it (DelayedError), its lock lapses and BullMQ's stalled check puts
   * it back in the queue once Redis answers. A plain error here would make BullMQ fail the job, and a
   * failed notification job is removed (`removeOnFail`), with the code in it.
   */
  private async delay(
    queue: NotificationQueue,
    job: NotificationJob,
    token: string,
    delayMs: number,
  ): Promise<void> {
    try {
      await job.moveToDelayed(Date.now() + delayMs, token);
    } catch (error) {
      this.logger.warn(
        { queue, messageId: job.data?.messageId, err: error instanceof Error ? error.name : typeof error },
        'could not delay the job; it returns to the queue when its lock lapses',
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.yields.map((y) => y.stop()));
    // Lets jobs in progress finish, so none is left holding a claim.
    await Promise.all(this.workers.map((w) => w.close()));
    this.connections.forEach((c) => c.disconnect());
  }
}

/**
 * The wait after an infrastructure error: the capped backoff over the job's runs, and for a message
 * with an expiry never past its expiry, so a code is closed `expired` as soon as it expires (if the
 * database is back by then) rather than one backoff later.
 */
function infrastructureDelayMs(job: NotificationJob, maxDelayMs: number): number {
  const backoffMs = retryDelayMs(job.attemptsStarted, maxDelayMs);
  const expiresAt = job.data?.expiresAt === undefined ? NaN : new Date(job.data.expiresAt).getTime();
  const leftMs = expiresAt - Date.now();
  // Once expired, the plain backoff: the next run still needs the database to record `expired`.
  return leftMs > 0 ? Math.min(backoffMs, leftMs) : backoffMs;
}
