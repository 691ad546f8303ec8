import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { verifyChain } from '@app/audit-chain';
import { runMigrationsLocked, serviceDataSourceOptions } from '@app/database';
import { testEnv } from '@app/testing';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS } from '@app/audit/audit.entities';
import { NormalizedAuditEvent } from '@app/audit/ingest/audit-event-payload.schema';
import { ScopeAuditEvents1764900000000 } from '@app/audit/migrations/1764900000000-ScopeAuditEvents';
import { AppendEventsFunction1765100000000 } from '@app/audit/migrations/1765100000000-AppendEventsFunction';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';

jest.setTimeout(90_000);

const env = testEnv();
const database = `mamori_scope_mig_${randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function source(migrations: (typeof AUDIT_MIGRATIONS)[number][]): DataSource {
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${database}`;
  return new DataSource(
    serviceDataSourceOptions({
      url: url.toString(),
      schema: 'audit',
      entities: AUDIT_ENTITIES,
      migrations,
      poolSize: 2,
    }),
  );
}

const fact = (overrides: Partial<NormalizedAuditEvent>): NormalizedAuditEvent => ({
  id: randomUUID(),
  type: 'auth.login.succeeded',
  occurredAt: new Date().toISOString(),
  actor: {},
  target: null,
  outcome: 'success',
  reasons: [],
  correlationId: randomUUID(),
  tenants: [],
  userId: null,
  ...overrides,
});

/**
 * Issue 16: facts stored before scoping (tagged with every tenant of the user) are re-tagged by the
 * ScopeAuditEvents migration where the fact tells which tenant acted, and the hash chain of every
 * stored record still verifies. A database of its own: the run's has every migration applied.
 */
describe('ScopeAuditEvents migration', () => {
  let before: DataSource;
  let after: DataSource;
  const user = randomUUID();
  const adminOfB = randomUUID();
  const stored = {
    // An admin of B unlocked a user of A and B: B's alone.
    unlock: fact({
      type: 'auth.account.unlocked',
      actor: { userId: adminOfB, tenant: 'B' },
      tenants: ['A', 'B'],
      userId: adminOfB,
    }),
    // The user changed their password in B's session: an account fact, both tenants'.
    password: fact({
      type: 'auth.password.changed',
      actor: { userId: user, tenant: 'B' },
      tenants: ['A', 'B'],
      userId: user,
    }),
    // A step-up written without its session's tenant: the fact does not tell, so it stays.
    stepUp: fact({
      type: 'auth.step_up.succeeded',
      actor: { userId: user },
      tenants: ['A', 'B'],
      userId: user,
    }),
    // The user picked A.
    picked: fact({
      type: 'auth.session.refreshed',
      actor: { userId: user, tenant: 'A' },
      tenants: ['A', 'B'],
      userId: user,
    }),
    // A type this migration does not know, with an acting tenant: that tenant's.
    newer: fact({
      type: 'case-management.work_request.accepted',
      actor: { tenant: 'A' },
      tenants: ['A', 'B'],
    }),
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${database}"`);
    // The migrations before it, then it and the later ones (which build on its column).
    const scope = AUDIT_MIGRATIONS.indexOf(ScopeAuditEvents1764900000000);
    before = await source(AUDIT_MIGRATIONS.slice(0, scope)).initialize();
    await runMigrationsLocked(before, 'audit');
    // The repository appends through audit.append_events, made by a later migration: lent to the
    // old schema for these appends, then taken back so that the migrations below make it again.
    const appendEvents = new AppendEventsFunction1765100000000();
    const runner = before.createQueryRunner();
    try {
      await appendEvents.up(runner);
      await new AuditEventRepository(before).appendBatch(Object.values(stored), new Date());
      await appendEvents.down(runner);
    } finally {
      await runner.release();
    }
    after = await source(AUDIT_MIGRATIONS).initialize();
    expect(await runMigrationsLocked(after, 'audit')).toEqual(
      AUDIT_MIGRATIONS.slice(scope).map((m) => m.name),
    );
  });

  afterAll(async () => {
    await before?.destroy();
    await after?.destroy();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it('re-tags a stored fact to its acting tenant unless it is an account fact or names none', async () => {
    const rows: { id: string; tenants: string[]; visible_to: string[] }[] = await after.query(
      'SELECT id, tenants, visible_to FROM audit.event',
    );
    const tags = new Map(rows.map((r) => [r.id, r.visible_to]));
    expect(tags.get(stored.unlock.id)).toEqual(['B']);
    expect(tags.get(stored.password.id)).toEqual(['A', 'B']);
    expect(tags.get(stored.stepUp.id)).toEqual(['A', 'B']);
    expect(tags.get(stored.picked.id)).toEqual(['A']);
    expect(tags.get(stored.newer.id)).toEqual(['A']);
    // The stated tenants, which the chain hashes, are as they were.
    expect(rows.every((r) => r.tenants.join() === 'A,B')).toBe(true);

    const repository = new AuditEventRepository(after);
    const idsOf = async (tenant: string) =>
      (await repository.findForTenant(tenant, { limit: 100 })).map((r) => r.id).sort();
    expect(await idsOf('A')).toEqual(
      [stored.password.id, stored.stepUp.id, stored.picked.id, stored.newer.id].sort(),
    );
    expect(await idsOf('B')).toEqual([stored.unlock.id, stored.password.id, stored.stepUp.id].sort());
  });

  it('leaves the hash chain verifiable, and the tag unwritable', async () => {
    const verified = await verifyChain((sql, params) => after.query(sql, params));
    expect(verified).toMatchObject({ ok: true, count: 5 });
    await expect(after.query(`UPDATE audit.event SET visible_to = ARRAY['A']`)).rejects.toThrow();
    // New facts get the tag from their (already scoped) tenants.
    const fresh = fact({
      type: 'auth.user.updated',
      actor: { userId: adminOfB, tenant: 'B' },
      tenants: ['B'],
    });
    await new AuditEventRepository(after).appendBatch([fresh], new Date());
    const [row] = await after.query('SELECT visible_to FROM audit.event WHERE id = $1', [fresh.id]);
    expect(row.visible_to).toEqual(['B']);
    expect(await verifyChain((sql, params) => after.query(sql, params))).toMatchObject({
      ok: true,
      count: 6,
    });
  });
});
