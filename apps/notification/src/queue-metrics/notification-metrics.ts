import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Counter, Gauge, Histogram } from 'prom-client';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { NOTIFICATION_QUEUES, NotificationChannel, NotificationQueue } from '@app/contracts';
import { createRedis } from '@app/messaging';
import { Metrics } from '@app/observability';

/** How a provider call ended: taken, refused for good, or failed in a way worth a retry. */
export type SendOutcome = 'accepted' | 'refused' | 'error';

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
/** The head of a prioritized queue looked at for the oldest waiting job (the next ones to run). */
const OLDEST_SCAN = 50;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * What operators see of the queues in `/metrics` (NOTIF-6 item "queue visibility"): the depth of each
 * queue by state and the age of its oldest waiting job, read from Redis at each scrape; the time
 * from queue to provider per queue; and each provider call's duration and outcome per provider.
 */
@Injectable()
export class NotificationMetrics implements OnApplicationShutdown {
  private readonly sendDuration: Histogram<'channel' | 'provider' | 'outcome'>;
  private readonly sends: Counter<'channel' | 'provider' | 'outcome'>;
  private readonly queueToProvider: Histogram<'queue'>;
  private connection: Redis | null = null;
  private queues: Queue[] | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    metrics: Metrics,
  ) {
    const registers = [metrics.registry];
    this.sendDuration = new Histogram({
      name: 'mamori_notification_send_duration_seconds',
      help: 'Time a provider took to take (or refuse) a message',
      labelNames: ['channel', 'provider', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sends = new Counter({
      name: 'mamori_notification_sends_total',
      help: 'Provider calls by outcome: accepted, refused (for good), error (retried)',
      labelNames: ['channel', 'provider', 'outcome'],
      registers,
    });
    this.queueToProvider = new Histogram({
      name: 'mamori_notification_queue_to_provider_seconds',
      help: 'Time from a message being queued to its provider taking it',
      labelNames: ['queue'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const depth = new Gauge({
      name: 'mamori_notification_queue_jobs',
      help: 'Jobs in each notification queue by state',
      labelNames: ['queue', 'state'],
      registers,
      collect: async () => {
        depth.reset();
        await Promise.all(
          this.openQueues().map(async (queue) => {
            const counts = await queue.getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) {
              depth.set({ queue: queue.name, state }, counts[state] ?? 0);
            }
          }),
        );
      },
    });
    const oldest = new Gauge({
      name: 'mamori_notification_queue_oldest_job_age_seconds',
      help: 'Age of the oldest job waiting to run in each queue (0 when none waits)',
      labelNames: ['queue'],
      registers,
      collect: async () => {
        oldest.reset();
        const now = Date.now();
        await Promise.all(
          this.openQueues().map(async (queue) => {
            oldest.set({ queue: queue.name }, (now - ((await oldestWaiting(queue)) ?? now)) / 1000);
          }),
        );
      },
    });
  }

  observeSend(channel: NotificationChannel, provider: string, outcome: SendOutcome, seconds: number): void {
    this.sendDuration.observe({ channel, provider, outcome }, seconds);
    this.sends.inc({ channel, provider, outcome });
  }

  observeQueueToProvider(queue: NotificationQueue, seconds: number): void {
    this.queueToProvider.observe({ queue }, seconds);
  }

  /** Opened at the first scrape: a process nobody scrapes holds no extra Redis connection. */
  private openQueues(): Queue[] {
    if (!this.queues) {
      // A scrape must not hang on a Redis that is away: a command gives up after a second.
      this.connection = createRedis(this.config.REDIS_URL, {
        maxRetriesPerRequest: 1,
        commandTimeout: 1_000,
      });
      const opts = { connection: this.connection, prefix: this.config.REDIS_PREFIX };
      this.queues = NOTIFICATION_QUEUES.map((name) => new Queue(name, opts));
      this.queues.forEach((q) => q.on('error', () => undefined));
    }
    return this.queues;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all((this.queues ?? []).map((q) => q.close()));
    this.connection?.disconnect();
  }
}

/** The enqueue time of the oldest job waiting to run: the tail of the FIFO list, the head of the priority set. */
async function oldestWaiting(queue: Queue): Promise<number | undefined> {
  const [fifo, prioritized] = await Promise.all([
    queue.getJobs(['waiting'], 0, 0, true),
    queue.getJobs(['prioritized'], 0, OLDEST_SCAN - 1, true),
  ]);
  const times = [...fifo, ...prioritized]
    .map((j) => j?.timestamp)
    .filter((t): t is number => typeof t === 'number');
  return times.length > 0 ? Math.min(...times) : undefined;
}
