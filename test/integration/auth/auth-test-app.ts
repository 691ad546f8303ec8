import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AckPolicy, Consumer, DeliverPolicy, NatsConnection, nanos } from 'nats';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AuthEnv, authEnvSchema, Clock, loadConfig } from '@app/config';
import {
  AUDIT_STREAM,
  AUDIT_SUBJECT_PREFIX,
  AuditEvent,
  AuditEventType,
  CallContext,
  DomainError,
  ERROR_CATALOG,
  ErrorPayload,
  Language,
  normalizeUserId,
  NotificationChannel,
  NotificationJobData,
  Principal,
  queueForChannel,
  RpcEnvelope,
  TemplateName,
} from '@app/contracts';
import { OutboxRelay } from '@app/database';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import {
  connectNats,
  createRedis,
  natsConnectionOptions,
  RpcErrorFilter,
  RpcServerInterceptor,
} from '@app/messaging';
import { LOGGER, RequestContext } from '@app/observability';
import { FakeClock, natsSettingsAs, randomId, strongPassword } from '@app/testing';
import { AuthModule } from '@app/auth/auth.module';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { PasswordResetService } from '@app/auth/password-reset/password-reset.service';
import { Session } from '@app/auth/sessions/session.entity';
import { Membership } from '@app/auth/tenants/membership.entity';
import { Tenant } from '@app/auth/tenants/tenant.entity';
import { User } from '@app/auth/users/user.entity';

/** What a NATS caller would get back: the value, or the error as status + `{code, details}`. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; body: ErrorPayload };

export interface TenantFixture {
  number: string;
  name: string;
  mfaAlways: boolean;
}

type Role = 'admin' | 'user';

export interface NewUserOptions {
  /** One membership: this tenant (make one with `newTenant()`) with `role` (default 'user'). */
  tenant?: TenantFixture | string;
  role?: Role;
  /** Several memberships, in this order; the first becomes the fixture's `tenant`. Not with `tenant`. */
  tenants?: { tenant: TenantFixture | string; role: Role }[];
  /** Plain password to hash; `null` for a user who has not set one yet (AUTH-14). */
  password?: string | null;
  userId?: string;
  email?: string;
  familyName?: string;
  givenName?: string | null;
  phone?: string | null;
  language?: Language;
  operator?: boolean;
  mfaRequired?: boolean;
  loginDisabled?: boolean;
  emailUndeliverable?: boolean;
}

export interface UserFixture {
  /** Internal uuid. */
  id: string;
  /** Login ID as stored. */
  userId: string;
  userIdKey: string;
  email: string;
  phone: string | null;
  password: string | null;
  /** The first membership's tenant (what `principalOf` makes active), null without one. */
  tenant: string | null;
  role: Role | null;
  entity: User;
}

/** Which audit events to return; at least one of correlationId, targetId, actorUserId (other files write too). */
export interface AuditFilter {
  correlationId?: string;
  type?: AuditEventType | AuditEventType[];
  targetId?: string;
  actorUserId?: string;
}

export interface QueuedFilter<T extends TemplateName> {
  to?: string;
  userId?: string;
  template?: T;
}

/** Six digits other than `code`: a guaranteed wrong entry. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** The DomainError a call fails with (fails the test if it resolves or throws something else). */
export async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

const AUDIT_WAIT_MS = 15_000;
const AUTH_AUDIT_SUBJECTS = `${AUDIT_SUBJECT_PREFIX}.auth.>`;

/**
 * The auth service in-process (AuthModule as in production) against the run's real PostgreSQL,
 * Redis and NATS named by the environment (DATABASE_URL, REDIS_URL, REDIS_PREFIX, NATS_URL; `npm
 * test` gives each run a fresh database). Migrations run at init and the outbox relay runs, as in
 * production. The only replacement is `Clock`: a FakeClock the test moves by hand
 * (`clock.advance(ms)`), so windows are tested at their boundaries without sleeping.
 *
 * Handlers are called directly (not over NATS): other test files run auth instances in parallel on
 * the same NATS, and a shared queue group would hand our requests to them. For the same reason every
 * read here is scoped to what this file made (ids, addresses, request ids): the database, the Redis
 * prefix and the AUDIT stream are shared by all workers of a run.
 */
export class AuthTestApp {
  private nc?: NatsConnection;
  private audit?: Consumer;
  private readonly seenAudit: AuditEvent[] = [];
  private readonly queues = new Map<NotificationChannel, Queue>();

  private constructor(
    readonly app: INestApplication,
    readonly clock: FakeClock,
    readonly dataSource: DataSource,
    readonly redis: Redis,
    readonly redisPrefix: string,
    private readonly startedAt: Date,
    private readonly natsUrl: string,
  ) {}

  /**
   * `config` replaces settings of the environment's configuration for this app only (e.g. a
   * REDIS_URL through a TcpProxy the test can stall); the test's own connections keep the real ones.
   */
  static async create(
    options: {
      startAt?: Date;
      config?: Partial<AuthEnv>;
      /**
       * Also answer NATS requests on this NATS (a private one: see AuthGateway). The outbox relay
       * and the audit reader stay on the run's NATS: the outbox table is shared by every file of the
       * run, and any file's relay may publish a row, so all of them must publish to one stream.
       */
      rpcNatsUrl?: string;
    } = {},
  ): Promise<AuthTestApp> {
    // The stream stamps messages with real time; a second of slack against clock skew.
    const startedAt = new Date(Date.now() - 1000);
    const clock = new FakeClock(options.startAt ?? new Date());
    let builder = Test.createTestingModule({ imports: [AuthModule] })
      .overrideProvider(Clock)
      .useValue(clock);
    // The run's files share one database, each with a clock of its own: a scheduled prune on one
    // file's clock would delete rows another file is still using. Pruning is tested by calling it.
    builder = builder
      .overrideProvider(APP_CONFIG)
      .useValue({ ...loadConfig(authEnvSchema), PRUNE_INTERVAL_SECONDS: 0, ...options.config });
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    const natsUrl = options.config?.NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    if (options.rpcNatsUrl) {
      // As startService wires it (libs/messaging/src/start-service.ts).
      app.useGlobalFilters(new RpcErrorFilter(app.get(LOGGER)));
      app.useGlobalInterceptors(app.get(RpcServerInterceptor));
      app.connectMicroservice<MicroserviceOptions>(
        {
          transport: Transport.NATS,
          options: {
            ...natsConnectionOptions(natsSettingsAs('auth', options.rpcNatsUrl)),
            queue: 'auth',
            name: 'auth',
          },
        },
        { inheritAppConfig: true },
      );
    }
    await app.init();
    if (options.rpcNatsUrl) {
      await app.startAllMicroservices();
    }
    return new AuthTestApp(
      app,
      clock,
      app.get(DataSource),
      createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
      process.env.REDIS_PREFIX ?? 'mamori',
      startedAt,
      natsUrl,
    );
  }

  get<T>(cls: Type<T>): T {
    return this.app.get(cls, { strict: false });
  }

  // ---- factories -------------------------------------------------------------------------------

  async newTenant(overrides: Partial<TenantFixture> = {}): Promise<TenantFixture> {
    const tenant: TenantFixture = {
      number: overrides.number ?? `T${randomId(12).toUpperCase()}`,
      name: overrides.name ?? `Tenant ${randomId(6)}`,
      mfaAlways: overrides.mfaAlways ?? false,
    };
    await this.dataSource.manager.insert(Tenant, { ...tenant, createdAt: this.clock.now() });
    return tenant;
  }

  async newUser(o: NewUserOptions = {}): Promise<UserFixture> {
    if (o.tenant !== undefined && o.tenants !== undefined) {
      throw new Error('newUser: give `tenant` or `tenants`, not both');
    }
    const memberships = (
      o.tenants ?? (o.tenant === undefined ? [] : [{ tenant: o.tenant, role: o.role ?? 'user' }])
    ).map((m) => ({ tenant: typeof m.tenant === 'string' ? m.tenant : m.tenant.number, role: m.role }));
    const userId = o.userId ?? `u${randomId(12)}@example.test.fm`;
    const password = o.password === undefined ? strongPassword() : o.password;
    const now = this.clock.now();
    const id = randomUUID();
    await this.dataSource.manager.insert(User, {
      id,
      userId,
      userIdKey: normalizeUserId(userId),
      // example.com: the login tests check the masked destination `m***@example.com`.
      email: o.email ?? `m${randomId(12)}@example.com`,
      familyName: o.familyName ?? 'Sato',
      givenName: o.givenName === undefined ? 'Hanako' : o.givenName,
      phone: o.phone ?? null,
      language: o.language ?? 'ja',
      passwordHash: password === null ? null : await this.get(PasswordHasher).hash(password),
      isOperator: o.operator ?? false,
      mfaRequired: o.mfaRequired ?? false,
      loginDisabled: o.loginDisabled ?? false,
      emailUndeliverable: o.emailUndeliverable ?? false,
      createdAt: now,
      updatedAt: now,
    });
    for (const m of memberships) {
      await this.dataSource.manager.insert(Membership, {
        userId: id,
        tenantNumber: m.tenant,
        role: m.role,
        createdAt: now,
      });
    }
    const entity = await this.dataSource.manager.findOneByOrFail(User, { id });
    return {
      id,
      userId,
      userIdKey: entity.userIdKey,
      email: entity.email,
      phone: entity.phone,
      password,
      tenant: memberships[0]?.tenant ?? null,
      role: memberships[0]?.role ?? null,
      entity,
    };
  }

  /** A principal as the gateway would build it from this user's access token. */
  principalOf(user: UserFixture, overrides: Partial<Principal> = {}): Principal {
    return {
      id: user.id,
      sessionId: randomUUID(),
      tenant: user.tenant,
      role: user.entity.isOperator ? 'operator' : (user.role ?? 'user'),
      secondFactorAt: this.clock.now().toISOString(),
      ...overrides,
    };
  }

  /**
   * A principal of a live session that completed its second step now (a row in auth.session), for
   * calls that ask for a fresh second step (AUTH-12): `principalOf` names no real session.
   */
  async signedIn(user: UserFixture, overrides: Partial<Principal> = {}): Promise<Principal> {
    const principal = this.principalOf(user, overrides);
    const now = this.clock.now();
    await this.dataSource.getRepository(Session).insert({
      id: principal.sessionId,
      userId: user.id,
      activeTenant: principal.tenant,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + 12 * 60 * 60 * 1000),
      secondFactorAt: now,
      revokedAt: null,
      revokeReason: null,
      ip: null,
      userAgent: null,
    });
    return principal;
  }

  // ---- request contexts ------------------------------------------------------------------------

  /** The call context the gateway would send: a fresh request id and a client address. */
  context(overrides: Partial<CallContext> = {}): CallContext {
    return { requestId: randomUUID(), ip: '192.0.2.10', userAgent: 'jest', ...overrides };
  }

  /** `{ctx, data}` as an RPC handler receives it. */
  envelope<T>(data: T, principal?: Principal): RpcEnvelope<T> {
    return { ctx: this.context(principal ? { principal } : {}), data };
  }

  /** Runs `fn` inside a request context (what the RPC interceptor does); a string is the request id. */
  inRequest<T>(ctx: string | Partial<CallContext>, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
    const full = this.context(typeof ctx === 'string' ? { requestId: ctx } : ctx);
    return RequestContext.run(full, () => fn(full));
  }

  /** `inRequest`, with the answer as a NATS caller would see it. */
  async call<T>(fn: (ctx: CallContext) => Promise<T>, ctx: Partial<CallContext> = {}): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await this.inRequest(ctx, fn) };
    } catch (error) {
      if (error instanceof DomainError) {
        return { ok: false, status: ERROR_CATALOG[error.code].status, body: error.toPayload() };
      }
      throw error;
    }
  }

  // ---- notification jobs -----------------------------------------------------------------------

  /**
   * Jobs queued on BullMQ for a channel (under REDIS_PREFIX; nothing consumes them here), oldest
   * first. First waits for the reset e-mails the service queues after answering, so a mail that is
   * not returned was not queued.
   */
  async queued<T extends TemplateName = TemplateName>(
    channel: NotificationChannel,
    filter: QueuedFilter<T> = {},
  ): Promise<NotificationJobData<T>[]> {
    await this.get(PasswordResetService).idle();
    let queue = this.queues.get(channel);
    if (!queue) {
      queue = new Queue(queueForChannel(channel), { connection: this.redis, prefix: this.redisPrefix });
      this.queues.set(channel, queue);
    }
    // Ascending: within a priority that is the order of queueing, which breaks ties of the
    // millisecond timestamps below (the sort is stable).
    const jobs = await queue.getJobs(
      ['prioritized', 'waiting', 'delayed', 'active', 'completed', 'failed'],
      0,
      -1,
      true,
    );
    return jobs
      .filter((job) => job?.data)
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((job) => job.data as NotificationJobData<T>)
      .filter(
        (d) =>
          (filter.to === undefined || d.to.includes(filter.to)) &&
          (filter.userId === undefined || d.userId === filter.userId) &&
          (filter.template === undefined || d.template === filter.template),
      );
  }

  /** The newest security code queued for a user on a channel. */
  async lastCode(userId: string, channel: NotificationChannel): Promise<string> {
    const jobs = await this.queued(channel, { userId, template: 'security-code' });
    if (jobs.length === 0) {
      throw new Error(`no security code queued for ${userId} on ${channel}`);
    }
    return jobs[jobs.length - 1].params.code;
  }

  // ---- fault injection ------------------------------------------------------------------------

  /**
   * Makes PostgreSQL refuse to write audit events of `type` about `userId` (a trigger on the
   * outbox that raises) until the returned function is called: the transaction writing one fails,
   * which shows what else that transaction held. Scoped to one user, as other files share the table.
   */
  async refuseAuditWrites(userId: string, type: AuditEventType): Promise<() => Promise<void>> {
    if (!/^[0-9a-f-]{36}$/.test(userId) || !/^[a-z_.]+$/.test(type)) {
      throw new Error('refuseAuditWrites: a user uuid and an event type');
    }
    const name = `auth.test_refuse_audit_${randomId(12)}`;
    const trigger = name.slice('auth.'.length);
    await this.dataSource.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.payload->'actor'->>'userId' = '${userId}' AND NEW.payload->>'type' = '${type}' THEN
           RAISE EXCEPTION 'audit write refused by the test';
         END IF;
         RETURN NEW;
       END $$`,
    );
    await this.dataSource.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON auth.outbox FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    );
    return async () => {
      await this.dataSource.query(`DROP TRIGGER ${trigger} ON auth.outbox`);
      await this.dataSource.query(`DROP FUNCTION ${name}()`);
    };
  }

  // ---- audit trail -----------------------------------------------------------------------------

  /**
   * Audit events in the JetStream stream AUDIT (put there by the real outbox relay) matching the
   * filter, in stream order. First waits, boundedly, until every outbox row committed before this
   * call has been published and read, so the answer is complete: an event that is not returned was
   * not written, and "none" is a real assertion.
   */
  async auditEvents(filter: AuditFilter): Promise<AuditEvent[]> {
    if (!filter.correlationId && !filter.targetId && !filter.actorUserId) {
      throw new Error('auditEvents: filter by correlationId, targetId or actorUserId (the stream is shared)');
    }
    await this.settleAudit();
    const types = filter.type === undefined ? undefined : ([] as AuditEventType[]).concat(filter.type);
    return this.seenAudit.filter(
      (e) =>
        (filter.correlationId === undefined || e.correlationId === filter.correlationId) &&
        (types === undefined || types.includes(e.type)) &&
        (filter.targetId === undefined || e.target?.id === filter.targetId) &&
        (filter.actorUserId === undefined || e.actor.userId === filter.actorUserId),
    );
  }

  private async settleAudit(): Promise<void> {
    const deadline = Date.now() + AUDIT_WAIT_MS;
    // 1. Every row committed so far leaves the outbox (any file's relay may take it; ours is nudged).
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM auth.outbox`);
    const ids = rows.map((r) => r.id);
    const relay = this.get(OutboxRelay);
    while (ids.length > 0) {
      await relay.drain();
      const [{ n }] = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM auth.outbox WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      if (n === 0) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`${n} audit events still in auth.outbox after ${AUDIT_WAIT_MS} ms`);
      }
      await sleep(20);
    }
    // 2. A row is deleted only once JetStream acknowledged it: read the stream up to its end.
    const consumer = await this.auditConsumer();
    for (;;) {
      const { num_pending: pending } = await consumer.info();
      if (pending === 0) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`${pending} audit events still unread after ${AUDIT_WAIT_MS} ms`);
      }
      const batch = await consumer.fetch({ max_messages: Math.min(pending, 1000), expires: 2000 });
      for await (const m of batch) {
        try {
          this.seenAudit.push(m.json<AuditEvent>());
        } catch {
          // Not an event of ours: the audit tests publish malformed payloads on purpose.
        }
      }
    }
  }

  private async auditConsumer(): Promise<Consumer> {
    if (!this.audit) {
      // Reads the AUDIT stream through a consumer of its own: the unrestricted test user.
      this.nc = await connectNats(natsSettingsAs('test-harness', this.natsUrl), 'auth-test-audit');
      const info = await (
        await this.nc.jetstreamManager()
      ).consumers.add(AUDIT_STREAM, {
        name: `auth-test-${randomId(12)}`,
        // One subject as a string: the server may predate 2.10 (no filter_subjects).
        filter_subject: AUTH_AUDIT_SUBJECTS,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: this.startedAt.toISOString(),
        ack_policy: AckPolicy.None,
        mem_storage: true,
        num_replicas: 1,
        inactive_threshold: nanos(10 * 60 * 1000),
      });
      this.audit = await this.nc.jetstream().consumers.get(AUDIT_STREAM, info.name);
    }
    return this.audit;
  }

  async close(): Promise<void> {
    await this.audit?.delete().catch(() => undefined);
    await this.nc?.close();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
    await this.app.close();
  }
}
