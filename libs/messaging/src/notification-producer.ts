import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { APP_CONFIG, BaseEnv } from '@app/config';
import {
  DomainError,
  ErrorCode,
  JOB_PRIORITY,
  liveMessageKey,
  NOTIFICATION_QUEUES,
  NotificationJob,
  NotificationQueue,
  queueForChannel,
} from '@app/contracts';
import { AppLogger, InjectLogger } from '@app/observability';
import { createRedis } from './redis';

/** Longer than any healthy enqueue (a few ms), shorter than the caller's NATS request timeout. */
const ENQUEUE_DEADLINE_MS = 3000;
/**
 * Jobs per `addBulk` call: one Redis round trip (a MULTI) each, short enough that a security code
 * queued meanwhile is not held behind a long transaction, and a deadline per chunk that holds.
 */
export const BULK_CHUNK = 500;
/**
 * A chunk's deadline: nobody waits on a bulk enqueue (it runs after the operator's answer), so it
 * may take far longer than one message's on a busy Redis before it counts as Redis being down.
 */
const BULK_CHUNK_DEADLINE_MS = 15_000;
/** How long a slot remembers its newest message: far longer than any message of it stays worth sending. */
const LIVE_SLOT_TTL_MS = 24 * 60 * 60 * 1000;

export type JobPriority = keyof typeof JOB_PRIORITY;

/**
 * Puts messages on the notification service's queues (NOTIF-1). The job id is the message id, so a
 * message queued twice is delivered once (NOTIF-4).
 */
@Injectable()
export class NotificationProducer implements OnApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly connection: Redis;
  private readonly queues: Record<NotificationQueue, Queue>;

  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: BaseEnv, @InjectLogger() logger: AppLogger) {
    this.logger = logger.child({ component: NotificationProducer.name });
    this.prefix = config.REDIS_PREFIX;
    this.connection = createRedis(config.REDIS_URL);
    const opts = { connection: this.connection, prefix: config.REDIS_PREFIX };
    this.queues = Object.fromEntries(
      NOTIFICATION_QUEUES.map((name) => [name, new Queue(name, opts)]),
    ) as Record<NotificationQueue, Queue>;
    // Connection trouble is reported by readiness and by the enqueue deadline; here it is only
    // noted, once per distinct message, rather than printed on every reconnect attempt.
    let lastError = '';
    for (const queue of Object.values(this.queues)) {
      queue.on('error', (error: Error) => {
        if (error.message !== lastError) {
          lastError = error.message;
          this.logger.warn({ err: error.message }, 'notification queue connection problem');
        }
      });
    }
  }

  /**
   * Resolves once the job is in Redis. With Redis down BullMQ would wait for it indefinitely, so the
   * enqueue has a deadline: the caller then answers `service_unavailable` while the user is still
   * there, instead of the request timing out.
   */
  async enqueue(job: NotificationJob, priority: JobPriority): Promise<void> {
    await this.withDeadline(this.add(job, priority));
  }

  /**
   * Queues many messages at once (an announcement): on the bulk queues, in chunks of BULK_CHUNK per
   * Redis round trip, at bulk priority. The bulk queues are worked under the provider's rate limit,
   * apart from the code queues, so no code waits behind them (NOTIF-1). Each chunk has a deadline of
   * its own (nobody waits on a bulk enqueue, so a long one); a failure leaves the earlier chunks queued, and queuing the same jobs again is harmless
   * (the job id is the message id).
   */
  async enqueueBulk(jobs: NotificationJob[]): Promise<void> {
    // Bulk messages are never superseded.
    if (jobs.some((job) => job.data.liveSlot !== undefined)) {
      throw new Error('bulk messages have no live slot');
    }
    for (let start = 0; start < jobs.length; start += BULK_CHUNK) {
      const chunk = jobs.slice(start, start + BULK_CHUNK);
      const byQueue = new Map<NotificationQueue, NotificationJob[]>();
      for (const job of chunk) {
        const name = queueForChannel(job.data.channel, true);
        byQueue.set(name, [...(byQueue.get(name) ?? []), job]);
      }
      await this.withDeadline(
        Promise.all(
          [...byQueue].map(([name, queued]) =>
            this.queues[name].addBulk(
              queued.map((job) => ({
                name: job.name,
                data: job.data,
                opts: {
                  jobId: job.data.messageId,
                  priority: JOB_PRIORITY.bulk,
                  removeOnComplete: true,
                  removeOnFail: true,
                },
              })),
            ),
          ),
        ),
        BULK_CHUNK_DEADLINE_MS,
      );
    }
  }

  private async withDeadline<T>(work: Promise<T>, ms = ENQUEUE_DEADLINE_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DomainError(ErrorCode.ServiceUnavailable)), ms);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async add(job: NotificationJob, priority: JobPriority): Promise<void> {
    // Bulk mail goes to the bulk queues, worked apart from codes under the provider's rate limit.
    const queue = this.queues[queueForChannel(job.data.channel, priority === 'bulk')];
    // The slot names this message before the job exists, so the worker never finds the job without
    // it; the message it names no longer may be sent from now on. Both go over the one connection the
    // queues share, the slot's command written first, and Redis runs a connection's commands in the
    // order they came: so they need not wait for each other, and a code costs the caller one round
    // trip instead of two. Should the slot's command fail and the job's not, the enqueue still fails
    // (the caller says so), and the worker refuses the job (its slot does not name it): never sent.
    const naming = job.data.liveSlot
      ? this.connection.set(
          liveMessageKey(this.prefix, job.data.liveSlot),
          job.data.messageId,
          'PX',
          LIVE_SLOT_TTL_MS,
          'GET',
        )
      : Promise.resolve(null);
    const adding = queue.add(job.name, job.data, {
      jobId: job.data.messageId,
      priority: JOB_PRIORITY[priority],
      // The job's data holds the code or link; keep nothing of it once the job is done.
      removeOnComplete: true,
      removeOnFail: true,
    });
    const [superseded] = await Promise.all([naming, adding]);
    if (superseded && superseded !== job.data.messageId) {
      await this.withdraw(superseded);
    }
  }

  /**
   * Removes a superseded message's job if no worker has touched it yet (in either queue: a resend may
   * change the channel). A job a worker has seen (now sending, or waiting to be retried) stays: the
   * notification service has a record of it, and its worker refuses it at send time and records why.
   */
  private async withdraw(messageId: string): Promise<void> {
    await Promise.all(
      Object.values(this.queues).map(async (queue) => {
        try {
          const job = await queue.getJob(messageId);
          if (job && !job.processedOn) {
            await job.remove();
          }
        } catch (error) {
          // Taken by a worker meanwhile: refused at send time all the same.
          this.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'superseded message not withdrawn',
          );
        }
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.connection.disconnect();
  }
}
