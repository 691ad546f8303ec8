import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditEvent } from '@app/contracts';
import { parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventQueryRepository, tenantTypeRange } from '@app/audit/query/audit-event-query.repository';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
import { newAuditEvent, uniqueName } from './support/audit-harness';
import { OwnAuditDatabase } from './support/audit-database';

jest.setTimeout(120_000);

/** Rows of other tenants, all of a type the asked tenant has none of. */
const OTHERS = 20_000;

/**
 * A tenant's query by type prefix reads the tenant's rows of that type through the
 * IndexTenantTypeAuditEvents indexes, so a type the tenant lacks costs nothing however many rows
 * other tenants have of it (before, PostgreSQL could walk every row newest first), and the answer
 * is the same as the plain filter's, account-level facts of several tenants included.
 */
describe('audit query by tenant and type', () => {
  const db = new OwnAuditDatabase();
  const tenant = uniqueName('tt');
  const other = uniqueName('tu');
  let runtime: DataSource;
  let owner: Client;
  let queries: AuditEventQueryRepository;
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  beforeAll(async () => {
    await db.create();
    runtime = await db.dataSource(db.runtimeUrl).initialize();
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    // The asked tenant's own facts, and an account-level fact of a user in both tenants (tagged
    // with both): through the real append.
    const stated: AuditEvent[] = [
      ...Array.from({ length: 30 }, (_, i) =>
        newAuditEvent({
          type: i % 2 ? 'auth.login.failed' : 'auth.login.succeeded',
          occurredAt: new Date(Date.now() - i * 60_000).toISOString(),
          actor: { tenant, ip: '203.0.113.7' },
        }),
      ),
      newAuditEvent({ type: 'auth.password.changed', actor: {}, tenants: [tenant, other] }),
    ];
    await new AuditEventRepository(runtime).appendBatch(
      stated.map((event) => {
        const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(event)));
        if (!parsed.ok) {
          throw new Error(parsed.problems.join());
        }
        return parsed.event;
      }),
      new Date(),
    );
    // Many rows of other tenants, newer than all of the above (generated, not chained: only read).
    await owner.query(
      `INSERT INTO audit.event (seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id,
                                tenants, user_id, received_at, prev_hash, hash)
       SELECT -g, gen_random_uuid(), 'case-management.case.created', now() + g * interval '1 ms',
              jsonb_build_object('tenant', 'o' || (g % 50)), NULL, 'success', '{}', 'generated',
              ARRAY['o' || (g % 50)], NULL, now(), repeat('0', 64), repeat('0', 64)
         FROM generate_series(1, $1::int) g`,
      [OTHERS],
    );
    await owner.query('ANALYZE audit.event');
    queries = new AuditEventQueryRepository(runtime);
  });

  afterAll(async () => {
    await owner?.end();
    await runtime?.destroy();
    await db.drop();
  });

  it('answers as the plain prefix filter does, shared facts included', async () => {
    expect(await queries.page(tenant, { typePrefix: 'case-management' }, undefined, 50)).toEqual([]);
    const logins = await queries.page(tenant, { typePrefix: 'auth.login' }, undefined, 50);
    const { rows: expected } = await owner.query<{ id: string }>(
      `SELECT id FROM audit.event WHERE visible_to @> ARRAY[$1]::text[] AND starts_with(type, 'auth.login')
        ORDER BY occurred_at DESC, id DESC`,
      [tenant],
    );
    expect(logins).toHaveLength(30);
    expect(ids(logins)).toEqual(ids(expected));
    expect(ids(await queries.page(tenant, { typePrefix: 'auth.log' }, undefined, 50))).toEqual(ids(expected));
    const shared = await queries.page(tenant, { typePrefix: 'auth.password' }, undefined, 50);
    expect(shared.map((r) => r.type)).toEqual(['auth.password.changed']);
    expect(ids(await queries.page(other, { typePrefix: 'auth' }, undefined, 50))).toEqual(ids(shared));
    expect(await queries.page(other, { typePrefix: 'auth.login' }, undefined, 50)).toEqual([]);
  });

  it('reads only the tenant-and-type indexes for a type the tenant lacks', async () => {
    const plans: unknown[] = [];
    const explaining = {
      query: async (sql: string, params: unknown[]) => {
        plans.push(await runtime.query(`EXPLAIN (FORMAT JSON) ${sql}`, params));
        return [];
      },
    } as unknown as DataSource;
    await new AuditEventQueryRepository(explaining).page(
      tenant,
      { typePrefix: 'case-management' },
      undefined,
      50,
    );
    const used = [...JSON.stringify(plans).matchAll(/"Index Name":\s*"([^"]+)"/g)].map((m) => m[1]);
    const { rows } = await owner.query<{ partition_index: string; parent: string }>(
      `SELECT c.relname AS partition_index, p.relname AS parent
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE c.relname = ANY($1::text[])`,
      [used],
    );
    const parents = new Set(rows.map((r) => r.parent));
    expect(parents).toContain('event_tenant_type_idx');
    expect([...parents].sort()).toEqual(
      ['event_shared_visible_to_gin_idx', 'event_tenant_type_idx'].filter((name) => parents.has(name)),
    );
    // Every row is in this month's partition: it is read through the indexes, never scanned whole
    // (the other, empty partitions may be).
    const { rows: holding } = await owner.query<{ partition: string }>(
      'SELECT DISTINCT tableoid::regclass::text AS partition FROM audit.event',
    );
    const scannedWhole = [
      ...JSON.stringify(plans).matchAll(/"Node Type":\s*"Seq Scan"[^}]*?"Relation Name":\s*"([^"]+)"/g),
    ].map((m) => m[1]);
    expect(holding.length).toBeGreaterThan(0);
    for (const { partition } of holding) {
      expect(scannedWhole).not.toContain(partition.replace(/^audit\./, ''));
    }
  });

  it('makes the key range of a printable prefix and none of any other', () => {
    expect(tenantTypeRange('t1', 'auth.login')).toEqual({ from: 't1 auth.login', to: 't1 auth.logio' });
    expect(tenantTypeRange('t1', 'a~')).toEqual({ from: 't1 a~', to: 't1 a\u007f' });
    expect(tenantTypeRange('t1', '')).toBeUndefined();
    expect(tenantTypeRange('t1', 'auth.ログ')).toBeUndefined();
  });
});
