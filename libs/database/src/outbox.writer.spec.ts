import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuditEvent } from '@app/contracts';
import { RequestContext } from '@app/observability';
import { OutboxWriter } from './outbox.writer';

/** A manager that keeps the statements it was given, in order: the writer's only I/O. */
function recordingManager(failOn?: RegExp): { manager: EntityManager; statements: string[] } {
  const statements: string[] = [];
  const manager = {
    query: async (sql: string) => {
      statements.push(sql);
      if (failOn?.test(sql)) {
        throw new Error('refused');
      }
      return [];
    },
  } as unknown as EntityManager;
  return { manager, statements };
}

describe(OutboxWriter.name, () => {
  const clock: Clock = { now: () => new Date('2025-04-01T00:00:00Z') };

  it('hands every projection the full event after the outbox insert, in the same transaction', async () => {
    const sut = new OutboxWriter('auth', clock);
    const { manager, statements } = recordingManager();
    const seen: { event: AuditEvent; manager: EntityManager; statementsBefore: number }[] = [];
    sut.addProjection(async (m, event) => {
      seen.push({ event, manager: m, statementsBefore: statements.length });
    });

    const recorded = await RequestContext.run(
      { requestId: 'req-1', ip: '203.0.113.9', userAgent: 'Firefox/140' },
      () =>
        sut.record(manager, {
          type: 'auth.login.failed',
          actor: { userId: 'u-1' },
          outcome: 'failure',
          reasons: ['wrong_password'],
          tenants: ['N1'],
        }),
    );

    expect(seen).toHaveLength(1);
    expect(seen[0].manager).toBe(manager);
    expect(seen[0].event).toEqual(recorded);
    expect(seen[0].event).toMatchObject({
      type: 'auth.login.failed',
      occurredAt: '2025-04-01T00:00:00.000Z',
      correlationId: 'req-1',
      actor: { userId: 'u-1', ip: '203.0.113.9', userAgent: 'Firefox/140' },
      outcome: 'failure',
      reasons: ['wrong_password'],
      tenants: ['N1'],
    });
    // The outbox row is written first, then the projection; the outbox's trigger wakes the relay.
    expect(seen[0].statementsBefore).toBe(1);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('INSERT INTO "auth".outbox');
  });

  it('runs several projections in the order they were added, for every event', async () => {
    const sut = new OutboxWriter('auth', clock);
    const { manager } = recordingManager();
    const order: string[] = [];
    sut.addProjection(async (_m, e) => void order.push(`a:${e.type}`));
    sut.addProjection(async (_m, e) => void order.push(`b:${e.type}`));

    await sut.record(manager, { type: 'auth.session.started', actor: {}, outcome: 'success' });
    await sut.record(manager, { type: 'auth.tenant.created', actor: {}, outcome: 'success' });

    expect(order).toEqual([
      'a:auth.session.started',
      'b:auth.session.started',
      'a:auth.tenant.created',
      'b:auth.tenant.created',
    ]);
  });

  it('writes a statement projection in the outbox insert itself, its parameters after the outbox row', async () => {
    const sut = new OutboxWriter('auth', clock);
    const sent: { sql: string; params: unknown[] }[] = [];
    const manager = {
      query: async (sql: string, params: unknown[]) => void sent.push({ sql, params }),
    } as unknown as EntityManager;
    sut.addStatementProjection(([event]) =>
      event.type === 'auth.login.failed'
        ? { sql: 'INSERT INTO auth.model (id, kind) VALUES ($1, $2)', params: [event.id, 'failed'] }
        : null,
    );

    const failed = await sut.record(manager, { type: 'auth.login.failed', actor: {}, outcome: 'failure' });
    await sut.record(manager, { type: 'auth.tenant.created', actor: {}, outcome: 'success' });

    // One round trip per fact, with or without its read model.
    expect(sent).toHaveLength(2);
    expect(sent[0].sql).toBe(
      'WITH p0 AS (INSERT INTO auth.model (id, kind) VALUES ($4, $5)) ' +
        'INSERT INTO "auth".outbox (id, subject, payload) VALUES ($1, $2, $3)',
    );
    expect(sent[0].params).toEqual([
      failed.id,
      expect.any(String),
      JSON.stringify(failed),
      failed.id,
      'failed',
    ]);
    expect(sent[1].sql).toBe('INSERT INTO "auth".outbox (id, subject, payload) VALUES ($1, $2, $3)');
  });

  it('writes several facts, their read model and the changes of one outcome in one statement', async () => {
    const sut = new OutboxWriter('auth', clock);
    const sent: { sql: string; params: unknown[] }[] = [];
    const manager = {
      query: async (sql: string, params: unknown[]) => void sent.push({ sql, params }),
    } as unknown as EntityManager;
    sut.addStatementProjection((events) => ({
      sql: 'INSERT INTO auth.model (kinds) VALUES ($1)',
      params: [events.map((e) => e.type).join(',')],
    }));

    const [first, second] = await sut.recordAll(
      manager,
      [
        { type: 'auth.second_factor.succeeded', actor: {}, outcome: 'success' },
        { type: 'auth.login.succeeded', actor: {}, outcome: 'success' },
      ],
      [{ sql: 'UPDATE auth.flow SET done = $1', params: [true] }],
    );

    expect(sent).toHaveLength(1);
    expect(sent[0].sql).toBe(
      'WITH p0 AS (UPDATE auth.flow SET done = $7), p1 AS (INSERT INTO auth.model (kinds) VALUES ($8)) ' +
        'INSERT INTO "auth".outbox (id, subject, payload) VALUES ($1, $2, $3), ($4, $5, $6)',
    );
    expect(sent[0].params).toEqual([
      first.id,
      expect.any(String),
      JSON.stringify(first),
      second.id,
      expect.any(String),
      JSON.stringify(second),
      true,
      'auth.second_factor.succeeded,auth.login.succeeded',
    ]);
  });

  it('writes a fact under its condition and hands back the facts the statement wrote', async () => {
    const sut = new OutboxWriter('auth', clock);
    const sent: { sql: string; params: unknown[] }[] = [];
    let written: { id: string }[] = [];
    const manager = {
      query: async (sql: string, params: unknown[]) => {
        sent.push({ sql, params });
        return written;
      },
    } as unknown as EntityManager;
    const seen: (string | undefined)[][] = [];
    sut.addStatementProjection((_events, onlyIf) => {
      seen.push([...onlyIf]);
      return null;
    });
    const settle = { sql: 'UPDATE t SET n = n + 1 RETURNING n >= $1 AS locks', params: [5], name: 'settled' };
    const events = [
      {
        id: '00000000-0000-4000-8000-000000000001',
        type: 'auth.login.failed',
        actor: {},
        outcome: 'failure',
      },
      {
        id: '00000000-0000-4000-8000-000000000002',
        type: 'auth.login.locked_out',
        actor: {},
        outcome: 'denied',
      },
    ] as const;
    const when = 'EXISTS (SELECT 1 FROM settled WHERE locks)';

    written = [{ id: events[0].id }];
    const first = await sut.recordAll(manager, [...events], [settle], [undefined, when]);
    written = [{ id: events[0].id }, { id: events[1].id }];
    const second = await sut.recordAll(manager, [...events], [settle], [undefined, when]);

    expect(sent[0].sql).toBe(
      'WITH settled AS (UPDATE t SET n = n + 1 RETURNING n >= $7 AS locks) ' +
        'INSERT INTO "auth".outbox (id, subject, payload) SELECT $1::uuid, $2::text, $3::jsonb WHERE true ' +
        `UNION ALL SELECT $4::uuid, $5::text, $6::jsonb WHERE ${when} RETURNING id`,
    );
    expect(first.map((e) => e.type)).toEqual(['auth.login.failed']);
    expect(second.map((e) => e.type)).toEqual(['auth.login.failed', 'auth.login.locked_out']);
    // The read models are written under the same conditions.
    expect(seen[0]).toEqual([undefined, when]);
  });

  it("fails the record when a projection fails, so the caller's transaction rolls back", async () => {
    const sut = new OutboxWriter('auth', clock);
    const { manager, statements } = recordingManager();
    sut.addProjection(async () => {
      throw new Error('projection broke');
    });

    await expect(
      sut.record(manager, { type: 'auth.login.succeeded', actor: {}, outcome: 'success' }),
    ).rejects.toThrow('projection broke');
    expect(statements).toHaveLength(1);
  });

  it('tags every fact with the tenants its type gives it, for the outbox and the projections alike', async () => {
    const sut = new OutboxWriter('auth', clock);
    const { manager } = recordingManager();
    const seen: AuditEvent[] = [];
    sut.addProjection(async (_m, event) => void seen.push(event));

    // An admin of T2 acts on a user of T1 and T2: T2's alone (issue 16).
    const action = await sut.record(manager, {
      type: 'auth.account.unlocked',
      actor: { userId: 'admin', tenant: 'T2' },
      outcome: 'success',
      tenants: ['T1', 'T2'],
    });
    // The user changes their password in T2's session: every tenant's, without T2's number.
    const account = await sut.record(manager, {
      type: 'auth.password.changed',
      actor: { userId: 'u', tenant: 'T2' },
      outcome: 'success',
      tenants: ['T1', 'T2'],
    });

    expect(action).toMatchObject({ actor: { userId: 'admin', tenant: 'T2' }, tenants: ['T2'] });
    expect(account.tenants).toEqual(['T1', 'T2']);
    expect(account.actor.tenant).toBeUndefined();
    expect(seen).toEqual([action, account]);
  });

  it('records as before when no projection is registered', async () => {
    const sut = new OutboxWriter('audit', clock);
    const { manager, statements } = recordingManager();
    const event = await sut.record(manager, { type: 'auth.login.succeeded', actor: {}, outcome: 'success' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(statements).toHaveLength(1);
  });
});
