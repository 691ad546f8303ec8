import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication, Type } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Test, TestingModule } from '@nestjs/testing';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { Clock, NotificationEnv, notificationEnvSchema, loadConfig } from '@app/config';
import {
  AuditEvent,
  NotificationJob,
  NOTIFICATION_QUEUES,
  NotificationJobData,
  NotificationQueue,
  TemplateName,
  TemplateParams,
} from '@app/contracts';
import { OutboxRelay } from '@app/database';
import {
  createRedis,
  JobPriority,
  natsConnectionOptions,
  NotificationProducer,
  RpcErrorFilter,
  RpcServerInterceptor,
} from '@app/messaging';
import { natsSettingsAs, silentLogger } from '@app/testing';
import { LOGGER, REDACTED_PATHS } from '@app/observability';
import { NOTIFICATION_WORKER_OPTIONS } from '@app/notification/delivery/worker-options';
import { MessageStatus } from '@app/notification/messages/message.entity';
import { NotificationModule } from '@app/notification/notification.module';
import { NOTIFICATION_LOGGER, NotificationLogger } from '@app/notification/notification.logger';

const POLL_MS = 25;

/**
 * A Redis prefix of its own for one test file: the queues are shared by name, so without it this
 * file's workers would take jobs queued by the auth tests (or another notification file), and theirs.
 */
export function uniqueRedisPrefix(): string {
  const base = (process.env.REDIS_PREFIX ?? 'test').slice(0, 16);
  return `${base}-ntf-${randomBytes(4).toString('hex')}`;
}

export interface NotificationTestAppOptions {
  /** Configuration over the environment's (DATABASE_URL, REDIS_URL, NATS_URL come from process.env). */
  config?: Partial<NotificationEnv>;
  /** Jobs per worker; default the service's own. */
  concurrency?: number;
  /** Replaces the system clock. */
  clock?: Clock;
  /** Leave the app un-initialised (workers not started) until `init()` is called. */
  deferInit?: boolean;
  /** Replaces the service's pino logger (to read what it prints). */
  logger?: NotificationLogger;
  /** Also answer NATS requests on this NATS (a private one, with a gateway in front), as `notification`. */
  rpcNatsUrl?: string;
}

export interface MessageRecord {
  message_id: string;
  channel: string;
  template: string;
  status: MessageStatus;
  attempts: number;
  last_error: string | null;
  recipient_hashes: string[];
  sent_at: Date | null;
}

/**
 * The notification service in-process against the real PostgreSQL, Redis and NATS of the
 * environment, with its workers running. The outbox relay is not started, so the audit events a test
 * caused stay in `notification.outbox` for `auditEvents()` to read (the relay is tested with the
 * database lib and end to end).
 */
export class NotificationTestApp {
  private initialised = false;
  private serving = false;

  private constructor(
    readonly moduleRef: TestingModule,
    readonly app: INestApplication,
    readonly config: NotificationEnv,
    readonly producer: NotificationProducer,
    private readonly redis: Redis,
    private readonly queues: Record<NotificationQueue, Queue>,
  ) {}

  static async create(options: NotificationTestAppOptions = {}): Promise<NotificationTestApp> {
    // No sweeper unless a test asks for one: the run's files share one database, and a sweeper would
    // take another file's records (whose jobs are under another Redis prefix) for lost ones.
    const overrides: Partial<NotificationEnv> = {
      LOG_LEVEL: 'error',
      SWEEP_INTERVAL_SECONDS: 0,
      ...options.config,
    };
    let builder = Test.createTestingModule({ imports: [NotificationModule.forRoot(overrides)] })
      .overrideProvider(OutboxRelay)
      .useValue({ drain: async () => 0 });
    if (options.concurrency !== undefined) {
      builder = builder
        .overrideProvider(NOTIFICATION_WORKER_OPTIONS)
        .useValue({ concurrency: options.concurrency });
    }
    if (options.logger) {
      builder = builder.overrideProvider(NOTIFICATION_LOGGER).useValue(options.logger);
    }
    if (options.clock) {
      builder = builder.overrideProvider(Clock).useValue(options.clock);
    }
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication({ logger: ['error'] });
    if (options.rpcNatsUrl) {
      // As startService wires it (libs/messaging/src/start-service.ts).
      app.useGlobalFilters(new RpcErrorFilter(app.get(LOGGER)));
      app.useGlobalInterceptors(app.get(RpcServerInterceptor));
      app.connectMicroservice<MicroserviceOptions>(
        {
          transport: Transport.NATS,
          options: {
            ...natsConnectionOptions(natsSettingsAs('notification', options.rpcNatsUrl)),
            queue: 'notification',
            name: 'notification',
          },
        },
        { inheritAppConfig: true },
      );
    }
    const config = { ...loadConfig(notificationEnvSchema), ...overrides };
    const redis = createRedis(config.REDIS_URL);
    const queueOptions = { connection: redis, prefix: config.REDIS_PREFIX };
    const queues = Object.fromEntries(
      NOTIFICATION_QUEUES.map((name) => [name, new Queue(name, queueOptions)]),
    );
    const sut = new NotificationTestApp(
      moduleRef,
      app,
      config,
      new NotificationProducer(config, silentLogger()),
      redis,
      queues as Record<NotificationQueue, Queue>,
    );
    sut.serving = Boolean(options.rpcNatsUrl);
    if (!options.deferInit) {
      await sut.init();
    }
    if (options.rpcNatsUrl) {
      await app.startAllMicroservices();
    }
    return sut;
  }

  /** Runs migrations and starts the workers. */
  async init(): Promise<void> {
    await this.app.init();
    if (this.serving) {
      await this.app.startAllMicroservices();
    }
    this.initialised = true;
  }

  get<T>(cls: Type<T> | string | symbol): T {
    return this.moduleRef.get<T>(cls, { strict: false });
  }

  get dataSource(): DataSource {
    return this.get(DataSource);
  }

  /** Queues a job as the auth service does, through NotificationProducer. */
  async enqueue(job: NotificationJob, priority: JobPriority = 'code'): Promise<NotificationJob> {
    await this.producer.enqueue(job, priority);
    return job;
  }

  async message(messageId: string): Promise<MessageRecord | undefined> {
    const rows: MessageRecord[] = await this.dataSource.query(
      `SELECT message_id, channel, template, status, attempts, last_error, recipient_hashes, sent_at
         FROM notification.message WHERE message_id = $1`,
      [messageId],
    );
    return rows[0];
  }

  /** Waits until the message's record reaches `status`. */
  async waitForStatus(messageId: string, status: MessageStatus, timeoutMs = 10_000): Promise<MessageRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.message(messageId);
      if (row?.status === status) {
        return row;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `message ${messageId} is ${row?.status ?? 'unknown'}, not ${status}, after ${timeoutMs} ms`,
        );
      }
      await sleep(POLL_MS);
    }
  }

  /** The BullMQ job of a message, while it exists (a finished job is removed). */
  job(queue: NotificationQueue, messageId: string): Promise<Job | undefined> {
    return this.queues[queue].getJob(messageId);
  }

  /** Waits until BullMQ has finished with the job (completed jobs are removed at once). */
  async waitForJobDone(queue: NotificationQueue, messageId: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.job(queue, messageId);
      const state = job ? await job.getState() : 'removed';
      if (state === 'removed' || state === 'unknown' || state === 'completed' || state === 'failed') {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`job ${messageId} still ${state} after ${timeoutMs} ms`);
      }
      await sleep(POLL_MS);
    }
  }

  async jobCounts(queue: NotificationQueue): Promise<Record<string, number>> {
    return this.queues[queue].getJobCounts();
  }

  /** Audit events of a message still in `notification.outbox`, oldest first. */
  async auditEvents(messageId: string): Promise<AuditEvent[]> {
    const rows: { payload: AuditEvent }[] = await this.dataSource.query(
      `SELECT payload FROM notification.outbox WHERE payload->'target'->>'id' = $1 ORDER BY created_at, id`,
      [messageId],
    );
    return rows.map((r) => r.payload);
  }

  /** Stops the app and removes every Redis key of this prefix. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    await this.producer.onApplicationShutdown();
    if (this.initialised) {
      await this.app.close();
    } else {
      await this.moduleRef.close();
    }
    this.redis.disconnect();
  }

  /** Deletes the Redis keys of a prefix (queues, dev outbox). */
  static async purgeRedis(prefix: string): Promise<void> {
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length > 0) {
          await redis.del(...keys);
        }
      }
    } finally {
      redis.disconnect();
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let counter = 0;

/** A job as the auth service would queue it; every id random. */
export function newJob<T extends TemplateName>(
  template: T,
  data: Omit<Partial<NotificationJobData<T>>, 'template'> & {
    channel: NotificationJobData['channel'];
    params: TemplateParams[T];
  },
): NotificationJob {
  counter += 1;
  const full = {
    messageId: randomUUID(),
    language: 'ja',
    to: [
      data.channel === 'sms'
        ? `+8190${String(10_000_000 + counter).slice(-8)}`
        : `user${counter}-${randomBytes(3).toString('hex')}@example.test`,
    ],
    correlationId: randomUUID(),
    userId: randomUUID(),
    tenants: ['N202400003'],
    ...data,
    template,
  } as NotificationJobData<T>;
  return { name: template, data: full } as NotificationJob;
}

/** A random 6-digit code, leading zeros kept. */
export function newCode(): string {
  return String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
}

/** A logger like the service's (same redaction) whose JSON lines are kept in `lines`. */
export function capturingLogger(): { logger: NotificationLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  const logger = pino(
    {
      level: 'info',
      base: { service: 'notification' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    stream,
  );
  return { logger, lines };
}
