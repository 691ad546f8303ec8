import { randomBytes } from 'node:crypto';
import { Client, DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import {
  applyRetention,
  chainHash,
  CheckpointSigner,
  GENESIS_HASH,
  verifyChain as verifyChainSql,
} from '@app/audit-chain';
import { runMigrationsLocked } from '@app/database';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '@app/audit/audit.entities';
import { PartitionAuditEvents1764800000000 } from '@app/audit/migrations/1764800000000-PartitionAuditEvents';
import { AuditCheckpoint } from '@app/contracts';
import { verifyChain } from '@app/audit/chain/verify-chain';
import { parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
import { newAuditEvent } from './support/audit-harness';
import { OwnAuditDatabase } from './support/audit-database';

jest.setTimeout(60_000);

const NOW = new Date();
/** The first instant of the month `offset` months from now (UTC). */
const month = (offset: number, day = 1) =>
  new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() + offset, day));
const partitionOf = (date: Date) =>
  `event_y${date.getUTCFullYear()}m${String(date.getUTCMonth() + 1).padStart(2, '0')}`;

/**
 * The trail partitioned by month of reception (AUDIT-4): rows land in their month's partition, the
 * runtime role gets partitions made ahead without DDL rights, and retention drops old months only
 * once a signed checkpoint covers them, leaving a chain that still verifies.
 */
describe('audit partitions and retention', () => {
  const db = new OwnAuditDatabase();
  const signer = new CheckpointSigner(randomBytes(48).toString('base64url'));
  let runtime: DataSource;
  let repository: AuditEventRepository;
  let owner: Client;
  let ownerSql: (text: string, params?: unknown[]) => Promise<unknown[]>;

  const append = async (count: number, receivedAt: Date) => {
    const events = Array.from({ length: count }, () => {
      const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(newAuditEvent())));
      if (!parsed.ok) {
        throw new Error(parsed.problems.join());
      }
      return parsed.event;
    });
    return repository.appendBatch(events, receivedAt);
  };

  /** A checkpoint of the chain as it is now, signed as the service signs it. */
  const checkpointNow = async (): Promise<AuditCheckpoint> => {
    const head = await repository.head();
    if (!head) {
      throw new Error('empty trail');
    }
    return signer.sign({
      count: head.count,
      headSeq: head.seq,
      headHash: head.hash,
      time: new Date().toISOString(),
    });
  };

  const rowsByPartition = async () =>
    Object.fromEntries(
      (
        await owner.query<{ partition: string; n: number }>(
          `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM audit.event GROUP BY 1`,
        )
      ).rows.map((r) => [r.partition.replace(/^audit\./, ''), r.n]),
    );

  let coversTwoMonthsAgo: AuditCheckpoint;

  beforeAll(async () => {
    await db.create();
    runtime = await db.dataSource(db.runtimeUrl).initialize();
    repository = new AuditEventRepository(runtime);
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    ownerSql = async (text, params) => (await owner.query(text, params)).rows as unknown[];
    // Months before the migration ran are made by the owner (as the migration does for old rows).
    await owner.query(
      'SELECT audit.create_event_partition($1::date), audit.create_event_partition($2::date)',
      [month(-3).toISOString().slice(0, 10), month(-2).toISOString().slice(0, 10)],
    );
    await append(3, month(-3, 10));
    await append(2, month(-3, 20));
    coversTwoMonthsAgo = await checkpointNow();
    await append(4, month(-2, 10));
    await append(3, month(0, 1));
  });

  afterAll(async () => {
    await owner?.end();
    await runtime?.destroy();
    await db.drop();
  });

  it('stores each record in the partition of its month of reception', async () => {
    expect(await rowsByPartition()).toEqual({
      [partitionOf(month(-3))]: 5,
      [partitionOf(month(-2))]: 4,
      [partitionOf(month(0))]: 3,
    });
    await expect(verifyChain(runtime)).resolves.toMatchObject({ ok: true, count: 12 });
  });

  it('has this month and the next three made ahead, which the runtime role can ask for but not make itself', async () => {
    const { rows } = await owner.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit.event'::regclass ORDER BY 1`,
    );
    for (const offset of [0, 1, 2, 3]) {
      expect(rows.map((r) => r.name)).toContain(partitionOf(month(offset)));
    }
    expect(rows.map((r) => r.name)).toContain('event_default');
    await expect(repository.ensurePartitions()).resolves.toBe(0);

    const sql = new Client({ connectionString: db.runtimeUrl });
    await sql.connect();
    try {
      for (const statement of [
        `SELECT audit.create_event_partition('2040-01-01')`,
        `CREATE TABLE audit.event_y2040m01 PARTITION OF audit.event FOR VALUES FROM ('2040-01-01') TO ('2040-02-01')`,
        `DROP TABLE audit.${partitionOf(month(-3))}`,
        `ALTER TABLE audit.event DETACH PARTITION audit.${partitionOf(month(-3))}`,
        `DELETE FROM audit.chain_head`,
        `UPDATE audit.chain_cut SET count = 0`,
      ]) {
        const error: unknown = await sql.query(statement).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DatabaseError);
        expect((error as DatabaseError).code).toBe('42501');
      }
    } finally {
      await sql.end();
    }
  });

  it('keeps every old partition while no signed checkpoint covers it', async () => {
    const decisions = await applyRetention(ownerSql, { months: 1, now: NOW, checkpoints: [] });
    expect(decisions).toEqual([
      { partition: partitionOf(month(-3)), action: 'kept', reason: 'not_covered' },
      { partition: partitionOf(month(-2)), action: 'kept', reason: 'earlier_kept' },
    ]);
    expect(Object.keys(await rowsByPartition())).toHaveLength(3);
  });

  it('ignores a checkpoint the table does not match (another chain, or a rewritten one)', async () => {
    const forged = signer.sign({ ...coversTwoMonthsAgo, headHash: 'f'.repeat(64) });
    const decisions = await applyRetention(ownerSql, { months: 1, now: NOW, checkpoints: [forged] });
    expect(decisions[0]).toMatchObject({ action: 'kept', reason: 'not_covered' });
  });

  it('drops a covered month, keeps the one the checkpoint does not reach, and the chain still verifies', async () => {
    const decisions = await applyRetention(ownerSql, {
      months: 1,
      now: NOW,
      checkpoints: [coversTwoMonthsAgo],
    });
    expect(decisions).toEqual([
      { partition: partitionOf(month(-3)), action: 'dropped', records: 5, upToSeq: 5 },
      { partition: partitionOf(month(-2)), action: 'kept', reason: 'not_covered' },
    ]);
    expect(await rowsByPartition()).toEqual({ [partitionOf(month(-2))]: 4, [partitionOf(month(0))]: 3 });
    const latest = await checkpointNow();
    expect(latest.count).toBe(12);
    // From the first kept record, and the signed count of 12 still matches 5 dropped + 7 kept.
    await expect(verifyChain(runtime, { checkpoints: [latest] })).resolves.toMatchObject({
      ok: true,
      count: 7,
      checkpoints: 1,
    });
  });

  it('drops the next month once a later checkpoint covers it; ingest and verify go on', async () => {
    const latest = await checkpointNow();
    const decisions = await applyRetention(ownerSql, { months: 1, now: NOW, checkpoints: [latest] });
    expect(decisions).toEqual([
      { partition: partitionOf(month(-2)), action: 'dropped', records: 4, upToSeq: 9 },
    ]);
    await append(2, new Date());
    const after = await checkpointNow();
    expect(after).toMatchObject({ count: 14, headSeq: 14 });
    await expect(verifyChain(runtime, { checkpoints: [latest, after] })).resolves.toMatchObject({
      ok: true,
      count: 5,
      checkpoints: 2,
    });
  });

  it('names the first kept record as a gap when records before it were removed without a cut', async () => {
    const { rows } = await owner.query('SELECT seq FROM audit.event ORDER BY seq LIMIT 1');
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit.event DISABLE TRIGGER event_append_only');
    await owner.query('DELETE FROM audit.event WHERE seq = $1', [rows[0].seq]);
    await owner.query('ALTER TABLE audit.event ENABLE TRIGGER event_append_only');
    // Walked inside the tampering transaction, which is then rolled back.
    const result = await verifyChainSql(ownerSql);
    await owner.query('ROLLBACK');
    expect(result).toMatchObject({ ok: false, broken: { reason: 'gap' } });
  });
});

/** The migration that partitions the table keeps what the unpartitioned one held. */
describe('partitioning an existing trail', () => {
  const db = new OwnAuditDatabase();

  afterAll(async () => {
    await db.drop();
  });

  it('moves every record into its month, keeps the chain verifiable and the head where it was', async () => {
    // The migrations before it (the later ones build on the partitioned table).
    const before = AUDIT_MIGRATIONS.slice(0, AUDIT_MIGRATIONS.indexOf(PartitionAuditEvents1764800000000));
    await db.create(before);
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      // Written as the old service wrote it: seq from the sequence, the chain computed in order.
      let prev = GENESIS_HASH;
      for (const receivedAt of [month(-14, 3), month(-14, 9), month(-1, 2), month(0, 1)]) {
        const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(newAuditEvent())));
        if (!parsed.ok) {
          throw new Error(parsed.problems.join());
        }
        const record = { ...parsed.event, receivedAt: receivedAt.toISOString() };
        const hash = chainHash(prev, record);
        await owner.query(
          `INSERT INTO audit.event (id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants,
             user_id, received_at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            record.id,
            record.type,
            record.occurredAt,
            record.actor,
            record.target,
            record.outcome,
            record.reasons,
            record.correlationId,
            record.tenants,
            record.userId,
            record.receivedAt,
            prev,
            hash,
          ],
        );
        prev = hash;
      }
      const migrator = await db.dataSource(db.ownerUrl).initialize();
      await runMigrationsLocked(migrator, AUDIT_SCHEMA);
      await migrator.destroy();

      const { rows } = await owner.query<{ partition: string; n: number }>(
        `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM audit.event GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual([
        { partition: `audit.${partitionOf(month(-14))}`, n: 2 },
        { partition: `audit.${partitionOf(month(-1))}`, n: 1 },
        { partition: `audit.${partitionOf(month(0))}`, n: 1 },
      ]);
      const head = await owner.query('SELECT seq::int, hash, count::int FROM audit.chain_head');
      expect(head.rows).toEqual([{ seq: 4, hash: prev, count: 4 }]);
      const grants = await owner.query(
        `SELECT privilege_type FROM information_schema.role_table_grants
          WHERE table_schema = 'audit' AND table_name = 'event' AND grantee = 'mamori_audit_writer' ORDER BY 1`,
      );
      expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);

      const runtime = await db.dataSource(db.runtimeUrl).initialize();
      try {
        const repository = new AuditEventRepository(runtime);
        const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(newAuditEvent())));
        await repository.appendBatch(parsed.ok ? [parsed.event] : [], new Date());
        await expect(verifyChain(runtime)).resolves.toMatchObject({ ok: true, count: 5 });
      } finally {
        await runtime.destroy();
      }
    } finally {
      await owner.end();
    }
  });
});
