import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '@app/config';
import {
  AuditEvent,
  Language,
  NotificationJobData,
  NotificationQueue,
  Principal,
  RpcEnvelope,
} from '@app/contracts';
import { OutboxRelay } from '@app/database';
import { createRedis } from '@app/messaging';
import { RequestContext } from '@app/observability';
import { FakeClock } from '@app/testing';
import { AuthModule } from '../../../apps/auth/src/auth.module';
import { PasswordHasher } from '../../../apps/auth/src/password/password-hasher';
import { Membership } from '../../../apps/auth/src/tenants/membership.entity';
import { Tenant } from '../../../apps/auth/src/tenants/tenant.entity';
import { normalizeUserId } from '../../../apps/auth/src/users/normalize-user-id.util';
import { User } from '../../../apps/auth/src/users/user.entity';

/**
 * The auth service as a Nest application against the real PostgreSQL and Redis named by the
 * environment (DATABASE_URL, REDIS_URL, REDIS_PREFIX, …; `npm test` gives each run a fresh database).
 * Migrations run at init as in production. The only replacements:
 *  - `Clock` is a FakeClock the test moves by hand (`clock.advance(ms)`), so windows are tested at
 *    their boundaries without sleeping;
 *  - unless `outboxRelay: true`, the outbox relay is not started, so the audit events a test caused
 *    stay in `auth.outbox` for `auditEvents()` to read (the relay itself is tested in libs/database
 *    and end to end).
 */
export interface AuthTestAppOptions {
  outboxRelay?: boolean;
  /** Start of the fake clock; default: the real time now. */
  startAt?: Date;
}

export interface TenantFixture {
  number: string;
  name: string;
}

export interface NewUserOptions {
  /** Membership in this tenant (make one with `newTenant()`). */
  tenant?: TenantFixture | string;
  role?: 'admin' | 'user';
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
}

export interface UserFixture {
  /** Internal uuid. */
  id: string;
  /** Login ID as stored. */
  userId: string;
  userIdKey: string;
  email: string;
  password: string | null;
  tenant: string | null;
  role: 'admin' | 'user' | null;
  entity: User;
}

export interface AuthTestApp {
  app: INestApplication;
  clock: FakeClock;
  moduleRef: TestingModule;
  dataSource: DataSource;
  get<T>(cls: Type<T> | string | symbol): T;
  newTenant(overrides?: Partial<TenantFixture>): Promise<TenantFixture>;
  newUser(options?: NewUserOptions): Promise<UserFixture>;
  /** A principal as the gateway would build it from this user's access token. */
  principalOf(user: UserFixture, overrides?: Partial<Principal>): Principal;
  /** `{ctx, data}` as an RPC handler receives it. */
  envelope<T>(data: T, principal?: Principal): RpcEnvelope<T>;
  /** Runs `fn` inside a request context with this request id (what the RPC interceptor does). */
  inRequest<T>(requestId: string, fn: () => Promise<T>): Promise<T>;
  /** E-mail jobs queued on BullMQ `notification-email` (REDIS_PREFIX) to this address, oldest first. */
  emailsTo(address: string): Promise<NotificationJobData[]>;
  /** Audit events still in `auth.outbox` (relay off) matching the filter, oldest first. */
  auditEvents(filter?: { type?: string; targetId?: string; actorUserId?: string }): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

/** Strong enough for the portal policy (AUTH-2) and unrelated to any generated ID or name. */
export function strongPassword(): string {
  return `Qz7#${randomBytes(6).toString('hex')}!Wv`;
}

export function randomId(length = 10): string {
  return randomBytes(16).toString('hex').slice(0, length);
}

export async function createAuthTestApp(options: AuthTestAppOptions = {}): Promise<AuthTestApp> {
  const clock = new FakeClock(options.startAt ?? new Date());
  let builder = Test.createTestingModule({ imports: [AuthModule] })
    .overrideProvider(Clock)
    .useValue(clock);
  if (!options.outboxRelay) {
    builder = builder.overrideProvider(OutboxRelay).useValue({ drain: async () => 0 });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await app.init();

  const dataSource = moduleRef.get(DataSource);
  const hasher = moduleRef.get(PasswordHasher, { strict: false });
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const emailQueue = new Queue(NotificationQueue.Email, {
    connection: redis,
    prefix: process.env.REDIS_PREFIX ?? 'mamori',
  });

  const newTenant = async (overrides: Partial<TenantFixture> = {}): Promise<TenantFixture> => {
    const tenant = {
      number: overrides.number ?? `T${randomId(12).toUpperCase()}`,
      name: overrides.name ?? `Tenant ${randomId(6)}`,
    };
    await dataSource.manager.insert(Tenant, { ...tenant, createdAt: clock.now() });
    return tenant;
  };

  const newUser = async (o: NewUserOptions = {}): Promise<UserFixture> => {
    const userId = o.userId ?? `u${randomId(12)}@example.test.fm`;
    const password = o.password === undefined ? strongPassword() : o.password;
    const tenant = o.tenant === undefined ? null : typeof o.tenant === 'string' ? o.tenant : o.tenant.number;
    const entity = dataSource.manager.create(User, {
      id: randomUUID(),
      userId,
      userIdKey: normalizeUserId(userId),
      email: o.email ?? `m${randomId(12)}@example.test`,
      familyName: o.familyName ?? 'Sato',
      givenName: o.givenName === undefined ? 'Hanako' : o.givenName,
      phone: o.phone ?? null,
      language: o.language ?? 'ja',
      passwordHash: password === null ? null : await hasher.hash(password),
      isOperator: o.operator ?? false,
      mfaRequired: o.mfaRequired ?? false,
      loginDisabled: o.loginDisabled ?? false,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    await dataSource.manager.insert(User, entity);
    const role = tenant ? (o.role ?? 'user') : null;
    if (tenant && role) {
      await dataSource.manager.insert(Membership, {
        userId: entity.id,
        tenantNumber: tenant,
        role,
        createdAt: clock.now(),
      });
    }
    const stored = await dataSource.manager.findOneByOrFail(User, { id: entity.id });
    return {
      id: entity.id,
      userId,
      userIdKey: entity.userIdKey,
      email: entity.email,
      password,
      tenant,
      role,
      entity: stored,
    };
  };

  return {
    app,
    clock,
    moduleRef,
    dataSource,
    get: <T>(cls: Type<T> | string | symbol) => moduleRef.get<T>(cls, { strict: false }),
    newTenant,
    newUser,
    principalOf: (user, overrides = {}) => ({
      id: user.id,
      sessionId: randomUUID(),
      tenant: user.tenant,
      role: user.entity.isOperator ? 'operator' : (user.role ?? 'user'),
      secondFactorAt: clock.now().toISOString(),
      ...overrides,
    }),
    envelope: <T>(data: T, principal?: Principal) => ({
      ctx: { requestId: randomUUID(), ...(principal ? { principal } : {}) },
      data,
    }),
    inRequest: <T>(requestId: string, fn: () => Promise<T>) => RequestContext.run({ requestId }, fn),
    emailsTo: async (address: string) => {
      const jobs = await emailQueue.getJobs([
        'waiting',
        'prioritized',
        'delayed',
        'active',
        'completed',
        'failed',
      ]);
      return jobs
        .filter((job) => (job.data as NotificationJobData).to.includes(address))
        .sort((a, b) => a.timestamp - b.timestamp)
        .map((job) => job.data as NotificationJobData);
    },
    auditEvents: async (filter = {}) => {
      const rows: { payload: AuditEvent }[] = await dataSource.query(
        `SELECT payload FROM auth.outbox
         WHERE ($1::text IS NULL OR payload->>'type' = $1)
           AND ($2::text IS NULL OR payload->'target'->>'id' = $2)
           AND ($3::text IS NULL OR payload->'actor'->>'userId' = $3)
         ORDER BY created_at, id`,
        [filter.type ?? null, filter.targetId ?? null, filter.actorUserId ?? null],
      );
      return rows.map((r) => r.payload);
    },
    close: async () => {
      await emailQueue.close();
      redis.disconnect();
      await app.close();
    },
  };
}
