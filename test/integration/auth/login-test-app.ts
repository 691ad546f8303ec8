// First: loads the entities in an order where the User <-> Membership import cycle resolves under
// @swc/jest's decorator metadata (user.entity loaded first throws "Cannot access 'User' before initialization").
import '../../../apps/auth/src/auth.entities';
import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { connect, Consumer, DeliverPolicy, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { Clock } from '@app/config';
import {
  AUDIT_STREAM,
  AuditEvent,
  CallContext,
  DomainError,
  ERROR_CATALOG,
  ErrorPayload,
  Language,
  NotificationJobData,
  NotificationQueue,
} from '@app/contracts';
import { createRedis } from '@app/messaging';
import { RequestContext } from '@app/observability';
import { FakeClock } from '@app/testing';
import { AuthModule } from '../../../apps/auth/src/auth.module';
import { AuthHealthController } from '../../../apps/auth/src/health/auth-health.controller';
import { LoginController } from '../../../apps/auth/src/login-flow/login.controller';
import { PasswordHasher } from '../../../apps/auth/src/password/password-hasher';
import { SessionsController } from '../../../apps/auth/src/sessions/sessions.controller';
import { SessionsService } from '../../../apps/auth/src/sessions/sessions.service';
import { Membership } from '../../../apps/auth/src/tenants/membership.entity';
import { Tenant } from '../../../apps/auth/src/tenants/tenant.entity';
import { normalizeUserId } from '../../../apps/auth/src/users/normalize-user-id.util';
import { User } from '../../../apps/auth/src/users/user.entity';

/** What a NATS caller would get back: the value, or the error as status + `{code, details}`. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; body: ErrorPayload };

export interface NewUserOptions {
  password?: string | null;
  phone?: string | null;
  email?: string;
  language?: Language;
  isOperator?: boolean;
  mfaRequired?: boolean;
  loginDisabled?: boolean;
  emailUndeliverable?: boolean;
  /** Tenants with the user's role in each. */
  tenants?: { number: string; role: 'admin' | 'user' }[];
}

export interface TestUser {
  id: string;
  userId: string;
  email: string;
  phone: string | null;
  password: string;
}

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

/** A password meeting the default policy; the login side never checks policy, only the hash. */
export function strongPassword(): string {
  return `Qz7#${randomBytes(6).toString('hex')}!Wv`;
}

/** Six digits other than `code`: a guaranteed wrong entry. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/**
 * The auth service in-process (AuthModule as in production) against the run's real PostgreSQL,
 * Redis and NATS, with a FakeClock for every time rule. Handlers are called directly (not over
 * NATS): other test files run auth instances in parallel on the same NATS, and a shared queue group
 * would hand our requests to them.
 */
export class LoginTestApp {
  private nc?: NatsConnection;
  private audit?: Consumer;
  private readonly seenAudit: AuditEvent[] = [];
  private readonly queues = new Map<NotificationQueue, Queue>();

  private constructor(
    readonly app: INestApplication,
    readonly clock: FakeClock,
    readonly dataSource: DataSource,
    readonly redis: Redis,
    readonly redisPrefix: string,
    private readonly startedAt: Date,
  ) {}

  static async create(): Promise<LoginTestApp> {
    const startedAt = new Date();
    const clock = new FakeClock(new Date());
    const moduleRef = await Test.createTestingModule({ imports: [AuthModule] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    return new LoginTestApp(
      app,
      clock,
      app.get(DataSource),
      redis,
      process.env.REDIS_PREFIX ?? 'mamori',
      startedAt,
    );
  }

  get login(): LoginController {
    return this.app.get(LoginController);
  }
  get sessions(): SessionsController {
    return this.app.get(SessionsController);
  }
  get sessionsService(): SessionsService {
    return this.app.get(SessionsService);
  }
  get health(): AuthHealthController {
    return this.app.get(AuthHealthController);
  }

  /** Runs a handler as the RPC interceptor would (inside the caller's request context). */
  async call<T>(
    handler: (ctx: CallContext) => Promise<T>,
    ctx: Partial<CallContext> = {},
  ): Promise<Outcome<T>> {
    const full: CallContext = {
      requestId: ctx.requestId ?? randomUUID(),
      ip: '192.0.2.10',
      userAgent: 'jest',
      ...ctx,
    };
    try {
      return { ok: true, value: await RequestContext.run(full, () => handler(full)) };
    } catch (error) {
      if (error instanceof DomainError) {
        return { ok: false, status: ERROR_CATALOG[error.code].status, body: error.toPayload() };
      }
      throw error;
    }
  }

  async newTenant(options: { mfaAlways?: boolean; name?: string } = {}): Promise<Tenant> {
    const tenant = this.dataSource.getRepository(Tenant).create({
      number: `T${suffix().toUpperCase()}${suffix().toUpperCase()}`.slice(0, 16),
      name: options.name ?? `Tenant ${suffix()}`,
      mfaAlways: options.mfaAlways ?? false,
    });
    await this.dataSource.getRepository(Tenant).insert(tenant);
    return tenant;
  }

  async newUser(options: NewUserOptions = {}): Promise<TestUser> {
    const password = options.password === undefined ? strongPassword() : options.password;
    const userId = `user-${suffix()}@example.com.fm`;
    const email = options.email ?? `mail-${suffix()}@example.com`;
    const id = randomUUID();
    await this.dataSource.getRepository(User).insert({
      id,
      userId,
      userIdKey: normalizeUserId(userId),
      email,
      familyName: 'Yamada',
      givenName: 'Taro',
      phone: options.phone ?? null,
      language: options.language ?? 'ja',
      passwordHash: password === null ? null : await this.app.get(PasswordHasher).hash(password),
      isOperator: options.isOperator ?? false,
      mfaRequired: options.mfaRequired ?? false,
      loginDisabled: options.loginDisabled ?? false,
      emailUndeliverable: options.emailUndeliverable ?? false,
    });
    for (const t of options.tenants ?? []) {
      await this.dataSource
        .getRepository(Membership)
        .insert({ userId: id, tenantNumber: t.number, role: t.role });
    }
    return { id, userId, email, phone: options.phone ?? null, password: password ?? '' };
  }

  /** The newest security-code job queued for a user on a channel, read from BullMQ under REDIS_PREFIX. */
  async lastCodeJob(userId: string, channel: 'sms' | 'email'): Promise<NotificationJobData<'security-code'>> {
    const name = channel === 'sms' ? NotificationQueue.Sms : NotificationQueue.Email;
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.redisPrefix });
      this.queues.set(name, queue);
    }
    const jobs = await queue.getJobs(['prioritized', 'waiting', 'delayed', 'active', 'completed', 'failed']);
    const mine = jobs
      .map((j) => j?.data as NotificationJobData<'security-code'> | undefined)
      .filter(
        (d): d is NotificationJobData<'security-code'> =>
          !!d && d.userId === userId && d.template === 'security-code',
      )
      // One TTL per channel, so the latest expiry is the latest code.
      .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''));
    if (mine.length === 0) {
      throw new Error(`no security code queued for ${userId} on ${channel}`);
    }
    return mine[mine.length - 1];
  }

  async lastCode(userId: string, channel: 'sms' | 'email'): Promise<string> {
    return (await this.lastCodeJob(userId, channel)).params.code;
  }

  /** Audit events of one request as they arrived in the JetStream stream AUDIT (through the outbox relay). */
  async auditEvents(correlationId: string, wantTypes: string[], timeoutMs = 15_000): Promise<AuditEvent[]> {
    if (!this.audit) {
      this.nc = await connect({ servers: [process.env.NATS_URL ?? 'nats://127.0.0.1:4222'] });
      this.audit = await this.nc.jetstream().consumers.get(AUDIT_STREAM, {
        // One subject as a string: the server may predate 2.10 (no filter_subjects).
        filterSubjects: 'audit.auth.>',
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: this.startedAt.toISOString(),
      });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mine = this.seenAudit.filter((e) => e.correlationId === correlationId);
      if (wantTypes.every((t) => mine.some((e) => e.type === t)) || Date.now() > deadline) {
        return mine;
      }
      const batch = await this.audit.fetch({ max_messages: 500, expires: 1000 });
      for await (const m of batch) {
        this.seenAudit.push(m.json<AuditEvent>());
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.nc?.close();
    this.redis.disconnect();
    await this.app.close();
  }
}
