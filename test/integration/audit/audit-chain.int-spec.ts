import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrationsLocked, serviceDataSourceOptions } from '@app/database';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '@app/audit/audit.entities';
import { GENESIS_HASH } from '@app/audit-chain';
import { verifyChain } from '@app/audit/chain/verify-chain';
import { NormalizedAuditEvent, parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
import { newAuditEvent, testEnv } from './support/audit-harness';

jest.setTimeout(60_000);

/**
 * AUDIT-3 on a database of its own (created and dropped here), because tampering with rows is
 * exactly what no other test sharing the run's database should ever see.
 */
describe('audit trail tamper evidence', () => {
  const dbName = `mamori_audit_chain_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const adminUrl = testEnv.databaseUrl;
  const url = (() => {
    const u = new URL(testEnv.databaseUrl);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  // Two data sources, two pools: two replicas of the audit service appending at once.
  let replicaA: DataSource;
  let replicaB: DataSource;
  let sql: Client;

  const dataSource = () =>
    new DataSource(
      serviceDataSourceOptions({
        url,
        schema: AUDIT_SCHEMA,
        entities: AUDIT_ENTITIES,
        migrations: AUDIT_MIGRATIONS,
      }),
    );
  const normalized = (overrides = {}): NormalizedAuditEvent => {
    const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(newAuditEvent(overrides))));
    if (!parsed.ok) {
      throw new Error(parsed.problems.join());
    }
    return parsed.event;
  };
  const count = async () =>
    (await sql.query('SELECT count(*)::int AS n FROM audit.event')).rows[0].n as number;

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    replicaA = await dataSource().initialize();
    replicaB = await dataSource().initialize();
    await Promise.all([
      runMigrationsLocked(replicaA, AUDIT_SCHEMA),
      runMigrationsLocked(replicaB, AUDIT_SCHEMA),
    ]);
    sql = new Client({ connectionString: url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await replicaA?.destroy();
    await replicaB?.destroy();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('chains each record to the one before, and a duplicate id neither inserts nor moves the head', async () => {
    const repository = new AuditEventRepository(replicaA);
    const first = normalized();
    const stored = await repository.append(first, new Date());
    expect(stored).toEqual({
      stored: true,
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await repository.append(first, new Date())).toEqual({ stored: false });
    const next = await repository.append(normalized(), new Date());

    const { rows } = await sql.query('SELECT seq, prev_hash, hash FROM audit.event ORDER BY seq');
    expect(rows).toHaveLength(2);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    expect(rows[1].prev_hash).toBe(stored.stored && stored.hash);
    expect(next).toMatchObject({ stored: true, hash: rows[1].hash });
    await expect(verifyChain(replicaA)).resolves.toMatchObject({ ok: true, count: 2 });
  });

  it('stays one linear chain when two replicas append 200 events at once, 40 of them twice', async () => {
    const before = await count();
    const events = Array.from({ length: 200 }, () => normalized({ tenants: ['T1'] }));
    const a = new AuditEventRepository(replicaA);
    const b = new AuditEventRepository(replicaB);
    const results = await Promise.all([
      ...events.map((e, i) => (i % 2 === 0 ? a : b).append(e, new Date())),
      ...events.slice(0, 40).map((e, i) => (i % 2 === 0 ? b : a).append(e, new Date())),
    ]);
    expect(results.filter((r) => r.stored)).toHaveLength(200);
    expect(await count()).toBe(before + 200);
    await expect(verifyChain(replicaB)).resolves.toMatchObject({ ok: true, count: before + 200 });
  });

  it('keeps one chain with no gap or repeat when two replicas append overlapping batches at once', async () => {
    const before = await sql.query('SELECT seq::int AS seq, count::int AS count FROM audit.chain_head');
    const events = Array.from({ length: 2400 }, (_, i) =>
      normalized({ tenants: [`T${i % 7}`], reasons: i % 3 === 0 ? ['bad_password'] : [] }),
    );
    // Batches of 200 from two replicas, four at a time each; every fifth batch comes back whole on
    // the other replica (a redelivery), and a batch repeats one of its own ids.
    const batches: NormalizedAuditEvent[][] = [];
    for (let i = 0; i < events.length; i += 200) {
      batches.push(events.slice(i, i + 200));
    }
    batches.push(...batches.filter((_, i) => i % 5 === 0));
    batches[1] = [...batches[1], batches[1][7]];
    const repositories = [new AuditEventRepository(replicaA), new AuditEventRepository(replicaB)];
    const outcomes = await Promise.all(
      batches.map((batch, i) => repositories[i % 2].appendBatch(batch, new Date())),
    );

    const stored = outcomes.flat().filter((r) => r.stored);
    expect(stored).toHaveLength(2400);
    // Each record got its own position, and the positions follow the head's without a hole.
    const seqs = stored.map((r) => (r.stored ? r.seq : 0)).sort((x, y) => x - y);
    expect(seqs[0]).toBe(before.rows[0].seq + 1);
    expect(new Set(seqs).size).toBe(2400);
    expect(seqs[2399]).toBe(before.rows[0].seq + 2400);
    expect(outcomes[1].slice(-1)).toEqual([{ stored: false }]);
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids,
              (SELECT count::int FROM audit.chain_head) AS head_count,
              (SELECT seq::int FROM audit.chain_head) AS head_seq
         FROM audit.event WHERE id = ANY($1::uuid[])`,
      [events.map((e) => e.id)],
    );
    expect(rows[0]).toEqual({
      n: 2400,
      ids: 2400,
      head_count: before.rows[0].count + 2400,
      head_seq: before.rows[0].seq + 2400,
    });
    await expect(verifyChain(replicaA)).resolves.toMatchObject({ ok: true });
  });

  it('hashes in PostgreSQL exactly what the chain record says, whatever the text', async () => {
    const repository = new AuditEventRepository(replicaA);
    const odd = [
      normalized({ tenants: ['テナント'], reasons: ['パスワード違い', 'line\nbreak', 'tab\there'] }),
      normalized({ correlationId: 'quote " backslash \\ emoji 😀 \u2028 end', reasons: ['{"json":[1,2]}'] }),
      normalized({ tenants: ['T1', 'T2'], reasons: [] }),
    ];
    const results = await repository.appendBatch(odd, new Date());
    expect(results.every((r) => r.stored)).toBe(true);
    const { rows } = await sql.query('SELECT id::text, hash FROM audit.event WHERE id = ANY($1::uuid[])', [
      odd.map((e) => e.id),
    ]);
    expect(Object.fromEntries(rows.map((r: { id: string; hash: string }) => [r.id, r.hash]))).toEqual(
      Object.fromEntries(odd.map((e, i) => [e.id, results[i].stored && results[i].hash])),
    );
    await expect(verifyChain(replicaA)).resolves.toMatchObject({ ok: true });
  });

  it('never lets reception times go back along the chain, whatever a replica’s clock says', async () => {
    const repository = new AuditEventRepository(replicaA);
    const later = new Date(Date.now() + 60_000);
    await repository.appendBatch([normalized()], later);
    const early = normalized();
    await repository.appendBatch([early], new Date(Date.now() - 60_000));
    const { rows } = await sql.query('SELECT received_at FROM audit.event WHERE id = $1', [early.id]);
    expect(rows[0].received_at.toISOString()).toBe(later.toISOString());
    await expect(verifyChain(replicaA)).resolves.toMatchObject({ ok: true });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows, even to the owner', async () => {
    const [{ id }] = (await sql.query('SELECT id FROM audit.event ORDER BY seq LIMIT 1')).rows;
    await expect(sql.query(`UPDATE audit.event SET outcome = 'failure' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query('DELETE FROM audit.event WHERE id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(sql.query('TRUNCATE audit.event')).rejects.toThrow(/append-only/);
    await expect(replicaA.query('UPDATE audit.event SET tenants = $1', [['T9']])).rejects.toThrow(
      /append-only/,
    );
    await expect(verifyChain(replicaA)).resolves.toMatchObject({ ok: true });
  });

  it('names the first changed record when a row is altered behind the trigger', async () => {
    const { rows } = await sql.query('SELECT seq FROM audit.event ORDER BY seq');
    const victim = rows[Math.floor(rows.length / 2)].seq;
    // A superuser (or the owner) can switch the trigger off; the chain still tells.
    await sql.query('ALTER TABLE audit.event DISABLE TRIGGER event_append_only');
    await sql.query(`UPDATE audit.event SET actor = actor || '{"ip":"192.0.2.1"}' WHERE seq = $1`, [victim]);
    await sql.query('ALTER TABLE audit.event ENABLE TRIGGER event_append_only');
    await expect(verifyChain(replicaA)).resolves.toMatchObject({
      ok: false,
      broken: { seq: Number(victim), reason: 'hash_mismatch' },
    });
  });

  it('names the record after a removed one', async () => {
    const { rows } = await sql.query('SELECT seq FROM audit.event ORDER BY seq');
    await sql.query('ALTER TABLE audit.event DISABLE TRIGGER event_append_only');
    await sql.query('DELETE FROM audit.event WHERE seq = $1', [rows[3].seq]);
    await sql.query('ALTER TABLE audit.event ENABLE TRIGGER event_append_only');
    await expect(verifyChain(replicaA)).resolves.toMatchObject({
      ok: false,
      broken: { seq: Number(rows[4].seq), reason: 'gap' },
    });
  });
});
