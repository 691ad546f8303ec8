import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { baseEnvSchema } from '@app/config';
import { runCli } from '@app/cli/run-cli';
import { parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
import { newAuditEvent } from './support/audit-harness';
import { OwnAuditDatabase } from './support/audit-database';

jest.setTimeout(60_000);

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/**
 * `npm run cli -- audit:verify` (AUDIT-3) on a database of its own: the trail is written by the
 * service's repository as the runtime role, then tampered with as the owner (the only role that can,
 * with the guard trigger switched off), and the command must name the first broken record and why.
 */
describe('audit:verify', () => {
  const db = new OwnAuditDatabase();
  let runtime: DataSource;
  let owner: Client;
  let rows: { seq: string; id: string; occurred_at: Date }[];

  const verify = async (...args: string[]): Promise<Run> => {
    const run: Run = { code: -1, out: [], err: [] };
    const config = baseEnvSchema.parse({ DATABASE_URL: db.ownerUrl });
    run.code = await runCli(
      ['audit:verify', ...args],
      config,
      () => {
        throw new Error('audit:verify needs no NATS');
      },
      { out: (line) => run.out.push(line), err: (line) => run.err.push(line) },
    );
    return run;
  };

  /** Does `change` as the owner with the append-only trigger off, then puts the trigger back. */
  const tamper = async (...statements: [string, unknown[]][]): Promise<void> => {
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit.event DISABLE TRIGGER event_append_only');
    for (const [sql, params] of statements) {
      await owner.query(sql, params);
    }
    await owner.query('ALTER TABLE audit.event ENABLE TRIGGER event_append_only');
    await owner.query('COMMIT');
  };

  beforeEach(async () => {
    await db.create();
    runtime = await db.dataSource(db.runtimeUrl).initialize();
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const repository = new AuditEventRepository(runtime);
    for (let i = 0; i < 10; i++) {
      const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(newAuditEvent())));
      if (!parsed.ok) {
        throw new Error(parsed.problems.join());
      }
      await repository.append(parsed.event, new Date(Date.UTC(2026, 0, 1 + i)));
    }
    rows = (await owner.query('SELECT seq, id, occurred_at FROM audit.event ORDER BY seq')).rows;
  });

  afterEach(async () => {
    await owner?.end();
    await runtime?.destroy();
    await db.drop();
  });

  it('prints the count of a whole chain and exits 0', async () => {
    const run = await verify();
    expect(run).toMatchObject({ code: 0, err: [] });
    expect(run.out.join('\n')).toMatch(/^audit trail verified: 10 records, head [0-9a-f]{64} /);
  });

  it('verifies only the records received in --from/--to', async () => {
    const run = await verify('--from', '2026-01-03T00:00:00Z', '--to', '2026-01-06T00:00:00Z');
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toMatch(/verified: 3 records/);
  });

  it('names a record whose field was changed: hash mismatch', async () => {
    const victim = rows[4];
    await tamper([`UPDATE audit.event SET outcome = 'failure' WHERE seq = $1`, [victim.seq]]);
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.out[0]).toBe(
      `audit trail BROKEN at record ${victim.id} (seq ${victim.seq}, occurred ${victim.occurred_at.toISOString()}): ` +
        'hash mismatch: its content no longer gives its hash (a field was changed)',
    );
    expect(run.out[1]).toBe('4 records before it verified');
  });

  it('names the record after a deleted one: gap', async () => {
    await tamper(['DELETE FROM audit.event WHERE seq = $1', [rows[6].seq]]);
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.out[0]).toContain(`at record ${rows[7].id} (seq ${rows[7].seq}, `);
    expect(run.out[0]).toContain('): gap: ');
  });

  it('names the first record out of place when two are swapped: reordered', async () => {
    const [a, b] = [rows[2], rows[3]];
    // seq is unique: through a free number.
    await tamper(
      ['UPDATE audit.event SET seq = -1 WHERE seq = $1', [a.seq]],
      ['UPDATE audit.event SET seq = $1 WHERE seq = $2', [a.seq, b.seq]],
      ['UPDATE audit.event SET seq = $1 WHERE seq = -1', [b.seq]],
    );
    const run = await verify();
    expect(run.code).toBe(1);
    // b now sits where a was, and names a (further on) as its previous record.
    expect(run.out[0]).toContain(`at record ${b.id} (seq ${a.seq}, `);
    expect(run.out[0]).toContain('): reordered: ');
  });

  it('refuses a --from that is not a time', async () => {
    const run = await verify('--from', 'yesterday');
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/--from must be an ISO 8601 time/);
  });
});
