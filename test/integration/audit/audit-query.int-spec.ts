import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import {
  AuditEvent,
  AuditEventType,
  AuditRecordView,
  DomainError,
  ErrorCode,
  RpcRequest,
} from '@app/contracts';
import { AuditHealthController } from '../../../apps/audit/src/health/audit-health.controller';
import { parseAuditEventPayload } from '../../../apps/audit/src/ingest/audit-event-payload.schema';
import { AuditEventsController } from '../../../apps/audit/src/query/audit-events.controller';
import { AuditEventRepository } from '../../../apps/audit/src/store/audit-event.repository';
import {
  configureAuditService,
  newAuditEvent,
  startAuditService,
  StreamHarness,
  uniqueName,
} from './support/audit-harness';

jest.setTimeout(60_000);

const CONSUMER = uniqueName('audit-test-query');
const TYPES: AuditEventType[] = ['auth.login.succeeded', 'auth.login.failed', 'auth.session.ended'];
const DAY = 24 * 60 * 60 * 1000;
const BASE = Date.parse('2026-03-01T00:00:00.000Z');

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];

/** AUDIT-4 query over events that went through the real stream: tenant isolation and filters. */
describe('audit events query', () => {
  let stream: StreamHarness;
  let app: INestApplication;
  let controller: AuditEventsController;
  const tenants = [uniqueName('ta'), uniqueName('tb'), uniqueName('tc')];
  const users = [randomUUID(), randomUUID(), randomUUID()];
  const events: AuditEvent[] = [];

  /** Asked as the tenant's admin would be, through the gateway. */
  const query = (data: RpcRequest<'audit-trail.events.query'>): Promise<AuditRecordView[]> =>
    controller.query({
      ctx: {
        requestId: randomUUID(),
        principal: {
          id: users[0],
          sessionId: randomUUID(),
          tenant: data.tenant,
          role: 'admin',
          secondFactorAt: null,
        },
      },
      data,
    });
  const seen = (tenant: string) =>
    events.filter((e) => e.actor.tenant === tenant || e.tenants?.includes(tenant));
  const newestFirst = (list: AuditEvent[]) =>
    [...list].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).map((e) => e.id);

  beforeAll(async () => {
    configureAuditService(CONSUMER);
    stream = await StreamHarness.connect();
    app = await startAuditService();
    controller = app.get(AuditEventsController);
    for (let i = 0; i < 90; i += 1) {
      events.push(
        newAuditEvent({
          type: pick(TYPES),
          // Distinct times (one per 37 minutes, shuffled) so "newest first" has a single right answer.
          occurredAt: new Date(BASE + ((i * 7919) % 90) * 37 * 60 * 1000).toISOString(),
          actor: { userId: pick(users), tenant: pick(tenants), ip: '198.51.100.1' },
        }),
      );
    }
    // A fact about two tenants (a user in both): each of them sees it.
    events.push(
      newAuditEvent({
        actor: { userId: users[0] },
        tenants: [tenants[0], tenants[1]],
        occurredAt: new Date(BASE - DAY).toISOString(),
      }),
    );
    let lastSeq = 0;
    for (const event of events) {
      lastSeq = (await stream.publish(event)).seq;
    }
    await stream.settled(CONSUMER, lastSeq);
  });

  afterAll(async () => {
    await app.close();
    await stream.deleteConsumer(CONSUMER);
    await stream.close();
  });

  it("returns only the asked tenant's events, newest first", async () => {
    for (const tenant of tenants) {
      const result = await query({ tenant });
      const foreign = result.filter((r) => !r.tenants!.includes(tenant));
      expect(foreign).toHaveLength(0);
      expect(result.map((r) => r.id)).toEqual(newestFirst(seen(tenant)));
    }
    expect(await query({ tenant: uniqueName('nobody') })).toEqual([]);
  });

  it('returns the record as stored, with its place in the chain', async () => {
    const event = seen(tenants[2])[0];
    const [record] = (await query({ tenant: tenants[2] })).filter((r) => r.id === event.id);
    expect(record).toEqual({
      ...event,
      reasons: [],
      tenants: [tenants[2]],
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('filters by type, user and time (from inclusive, to exclusive)', async () => {
    const tenant = tenants[0];
    const mine = seen(tenant);
    for (const type of TYPES) {
      const result = await query({ tenant, type });
      expect(result.map((r) => r.id)).toEqual(newestFirst(mine.filter((e) => e.type === type)));
    }
    for (const userId of users) {
      const result = await query({ tenant, userId: userId.toUpperCase() });
      expect(result.map((r) => r.id)).toEqual(newestFirst(mine.filter((e) => e.actor.userId === userId)));
    }
    const sorted = [...mine].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    const from = sorted[3].occurredAt;
    const to = sorted[sorted.length - 3].occurredAt;
    const result = await query({ tenant, from, to });
    expect(result.map((r) => r.id)).toEqual(
      newestFirst(mine.filter((e) => e.occurredAt >= from && e.occurredAt < to)),
    );
    const combined = await query({ tenant, type: TYPES[0], userId: users[1], from });
    expect(combined.map((r) => r.id)).toEqual(
      newestFirst(
        mine.filter((e) => e.type === TYPES[0] && e.actor.userId === users[1] && e.occurredAt >= from),
      ),
    );
  });

  it('pages with limit: default 100, at most 1000', async () => {
    const all = await query({ tenant: tenants[1] });
    expect(await query({ tenant: tenants[1], limit: 2 })).toEqual(all.slice(0, 2));
    // 1,050 events of one tenant, appended straight to the store: the stream adds nothing here.
    const big = uniqueName('big');
    const repository = app.get(AuditEventRepository);
    for (let i = 0; i < 1050; i += 1) {
      const parsed = parseAuditEventPayload(
        Buffer.from(JSON.stringify(newAuditEvent({ actor: { tenant: big } }))),
      );
      if (!parsed.ok) {
        throw new Error(parsed.problems.join());
      }
      await repository.append(parsed.event, new Date());
    }
    expect(await query({ tenant: big })).toHaveLength(100);
    expect(await query({ tenant: big, limit: 5000 })).toHaveLength(1000);
  });

  it('refuses a user id that is no uuid and a tenant user asking for another tenant', async () => {
    await expect(query({ tenant: tenants[0], userId: 'admin01' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    const principal = {
      id: users[0],
      sessionId: randomUUID(),
      tenant: tenants[1],
      role: 'admin' as const,
      secondFactorAt: null,
    };
    const asked = controller.query({
      ctx: { requestId: randomUUID(), principal },
      data: { tenant: tenants[0] },
    });
    await expect(asked).rejects.toBeInstanceOf(DomainError);
    await expect(asked).rejects.toMatchObject({ code: ErrorCode.Forbidden });
  });

  it('reports its health with the database and NATS checks', async () => {
    const health = await app
      .get(AuditHealthController)
      .health({ ctx: { requestId: randomUUID() }, data: {} });
    expect(health).toEqual({ service: 'audit', status: 'up', checks: { database: 'up', nats: 'up' } });
  });
});
