import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import {
  AuditEvent,
  AuditEventsPage,
  AuditEventType,
  AuditRecordView,
  DomainError,
  ErrorCode,
  RpcRequest,
} from '@app/contracts';
import { AuditHealthController } from '@app/audit/health/audit-health.controller';
import { parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventsController } from '@app/audit/query/audit-events.controller';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
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

  /** Asked as the tenant's admin would be, through the gateway: one page. */
  const page = (data: RpcRequest<'audit-trail.events.query'>): Promise<AuditEventsPage<AuditRecordView>> =>
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
  const query = async (data: RpcRequest<'audit-trail.events.query'>): Promise<AuditRecordView[]> =>
    (await page(data)).items;
  /** Every page, following the cursors. */
  const allPages = async (
    data: RpcRequest<'audit-trail.events.query'>,
    between: () => Promise<void> = async () => undefined,
  ): Promise<AuditRecordView[][]> => {
    const pages: AuditRecordView[][] = [];
    let cursor: string | undefined;
    do {
      const next = await page({ ...data, ...(cursor ? { cursor } : {}) });
      pages.push(next.items);
      cursor = next.nextCursor ?? undefined;
      await between();
    } while (cursor);
    return pages;
  };
  /** Appends events straight to the store in a few batches: the stream adds nothing here. */
  const store = async (list: AuditEvent[]): Promise<void> => {
    const repository = app.get(AuditEventRepository);
    for (let i = 0; i < list.length; i += 250) {
      const batch = list.slice(i, i + 250).map((event) => {
        const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(event)));
        if (!parsed.ok) {
          throw new Error(parsed.problems.join());
        }
        return parsed.event;
      });
      await repository.appendBatch(batch, new Date());
    }
  };
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

  it('filters by type prefix (also written as a subject wildcard) and by outcome', async () => {
    const tenant = tenants[1];
    const mine = seen(tenant);
    for (const prefix of ['auth.login', 'auth.login.*', 'auth.', 'auth.session.en']) {
      const start = prefix.endsWith('*') ? prefix.slice(0, -1) : prefix;
      const result = await query({ tenant, type: prefix, limit: 500 });
      expect(result.map((r) => r.id)).toEqual(newestFirst(mine.filter((e) => e.type.startsWith(start))));
    }
    const failed = uniqueName('out');
    const outcomes = (['success', 'failure', 'denied', 'info'] as const).flatMap((outcome) =>
      [1, 2].map(() => newAuditEvent({ outcome, actor: { tenant: failed } })),
    );
    await store(outcomes);
    for (const outcome of ['success', 'failure', 'denied', 'info'] as const) {
      const result = await query({ tenant: failed, outcome });
      expect(result.map((r) => r.id).sort()).toEqual(
        outcomes
          .filter((e) => e.outcome === outcome)
          .map((e) => e.id)
          .sort(),
      );
    }
  });

  it('pages with limit (default 100, at most 500) and a cursor: every event once, newest first', async () => {
    const all = await query({ tenant: tenants[1] });
    expect(await query({ tenant: tenants[1], limit: 2 })).toEqual(all.slice(0, 2));
    // 1,050 events of one tenant at only 7 distinct times: the id orders events of one time.
    const big = uniqueName('big');
    const stored = Array.from({ length: 1050 }, (_, i) =>
      newAuditEvent({ actor: { tenant: big }, occurredAt: new Date(BASE + (i % 7) * 1000).toISOString() }),
    );
    await store(stored);
    const first = await page({ tenant: big });
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await query({ tenant: big, limit: 5000 })).toHaveLength(500);

    const pages = await allPages({ tenant: big, limit: 130 });
    expect(pages.map((p) => p.length)).toEqual([130, 130, 130, 130, 130, 130, 130, 130, 10]);
    const ids = pages.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(1050);
    expect(new Set(ids)).toEqual(new Set(stored.map((e) => e.id)));
    const keys = pages.flat().map((r) => `${r.occurredAt}|${r.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it('neither repeats nor skips an event across pages while new events arrive', async () => {
    const busy = uniqueName('busy');
    const before = Array.from({ length: 300 }, (_, i) =>
      newAuditEvent({ actor: { tenant: busy }, occurredAt: new Date(BASE + i * 1000).toISOString() }),
    );
    await store(before);
    const behind: AuditEvent[] = [];
    const ahead: AuditEvent[] = [];
    // Between pages, events arrive: newer than the pages read so far (now, or late but within the
    // time already read), and older than every page (a fact that reached the trail late).
    const pages = await allPages({ tenant: busy, limit: 40 }, async () => {
      const newer = [
        newAuditEvent({ actor: { tenant: busy } }),
        newAuditEvent({ actor: { tenant: busy }, occurredAt: new Date(BASE + 299_500).toISOString() }),
      ];
      const older = newAuditEvent({
        actor: { tenant: busy },
        occurredAt: new Date(BASE - (ahead.length + 1) * 1000).toISOString(),
      });
      behind.push(...newer);
      ahead.push(older);
      await store([...newer, older]);
    });
    const ids = pages.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every event stored before the paging started, and every one that arrived ahead of the cursor.
    for (const event of [...before, ...ahead.slice(0, -1)]) {
      expect(ids).toContain(event.id);
    }
    // What arrived behind the cursor is for a new query, not repeated in this one.
    expect(ids.filter((id) => behind.some((e) => e.id === id))).toHaveLength(0);
    const again = (await allPages({ tenant: busy, limit: 500 })).flat();
    expect(again).toHaveLength(300 + behind.length + ahead.length);
  });

  it('refuses a forged, altered or foreign cursor as validation_failed', async () => {
    const { nextCursor } = await page({ tenant: tenants[0], limit: 1 });
    const cursor = nextCursor as string;
    const [body, signature] = cursor.split('.');
    const altered = JSON.parse(Buffer.from(body, 'base64url').toString());
    altered.t = '2099-01-01T00:00:00.000000Z';
    for (const bad of [
      'x',
      `${body}.`,
      `${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${signature}`,
      `${body}.${signature.slice(0, -1)}A`,
    ]) {
      await expect(page({ tenant: tenants[0], cursor: bad })).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
    }
    // Valid, but for other filters.
    await expect(page({ tenant: tenants[0], cursor, type: 'auth.' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    await expect(page({ tenant: tenants[0], cursor })).resolves.toBeDefined();
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
