import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { AuditEventRow, chainHash, chainRecordOfRow, CheckpointSigner, GENESIS_HASH } from '@app/audit-chain';
import { baseEnvSchema } from '@app/config';
import { AUDIT_CHECKPOINT_STREAM, AuditCheckpoint } from '@app/contracts';
import { natsSettingsAs } from '@app/testing';
import { CheckpointPublisher } from '@app/audit/checkpoint/checkpoint.publisher';
import { SigningKeyController } from '@app/audit/checkpoint/signing-key.controller';
import { runCli } from '@app/cli/run-cli';
import {
  configureAuditService,
  newAuditEvent,
  startAuditService,
  StreamHarness,
  uniqueName,
} from './support/audit-harness';
import { OwnAuditDatabase } from './support/audit-database';

jest.setTimeout(90_000);

const CONSUMER = uniqueName('audit-checkpoints');

/**
 * Signed checkpoints (AUDIT-3): the service signs its chain's head every N records and publishes it
 * into AUDIT_CHECKPOINTS; `audit:verify --checkpoints` catches what the chain alone cannot: a chain
 * rewritten consistently, and records cut off its end.
 */
describe('signed audit checkpoints', () => {
  const db = new OwnAuditDatabase();
  // A key of this file's own: other audit services of the run publish into the same stream.
  const signingKey = randomBytes(48).toString('base64url');
  let stream: StreamHarness;
  let app: INestApplication;
  let owner: Client;
  let publicKey: string;

  const verify = async (...args: string[]): Promise<{ code: number; out: string[] }> => {
    const out: string[] = [];
    const config = baseEnvSchema.parse({
      DATABASE_URL: db.ownerUrl,
      ...natsSettingsAs('test-harness'),
    });
    const code = await runCli(
      ['audit:verify', ...args],
      config,
      () => {
        throw new Error('no RPC');
      },
      { out: (line) => out.push(line), err: (line) => out.push(line) },
    );
    return { code, out };
  };

  /**
   * As the owner with the trigger off: set the outcome of the record at `seq` and re-hash the chain
   * from there on, so the chain alone still looks whole.
   */
  const rewrite = async (seq: string, outcome: AuditEventRow['outcome']): Promise<void> => {
    const rows = (await owner.query('SELECT * FROM audit.event ORDER BY seq')).rows as AuditEventRow[];
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit.event DISABLE TRIGGER event_append_only');
    let prev = GENESIS_HASH;
    for (const row of rows) {
      if (BigInt(row.seq) >= BigInt(seq)) {
        if (row.seq === seq) {
          row.outcome = outcome;
        }
        const hash = chainHash(prev, chainRecordOfRow(row));
        await owner.query('UPDATE audit.event SET outcome = $1, prev_hash = $2, hash = $3 WHERE seq = $4', [
          row.outcome,
          prev,
          hash,
          row.seq,
        ]);
        row.hash = hash;
      }
      prev = row.hash;
    }
    await owner.query('ALTER TABLE audit.event ENABLE TRIGGER event_append_only');
    await owner.query('COMMIT');
  };

  beforeAll(async () => {
    await db.create();
    configureAuditService(CONSUMER);
    process.env.DATABASE_URL = db.ownerUrl;
    process.env.AUDIT_DATABASE_URL = db.runtimeUrl;
    process.env.AUDIT_SIGNING_KEY = signingKey;
    process.env.AUDIT_CHECKPOINT_EVERY = '5';
    stream = await StreamHarness.connect();
    app = await startAuditService();
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    publicKey = (await app.get(SigningKeyController).signingKey({} as never)).publicKey;
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await owner?.end();
    await stream.deleteConsumer(CONSUMER);
    await stream.close();
    await db.drop();
  });

  it('signs the head every N records with the key it serves', async () => {
    // Two bursts of 6, stored as two batches: each crosses N = 5 and is signed.
    for (let burst = 0; burst < 2; burst++) {
      let last = 0;
      for (let i = 0; i < 6; i++) {
        last = (await stream.publish(newAuditEvent())).seq;
      }
      await stream.settled(CONSUMER, last);
    }
    const final = await app.get(CheckpointPublisher).checkpoint();
    // The service is stopped before the table is tampered with. Its consumer also takes what other
    // test files of the run publish meanwhile, so the count is read, not assumed.
    await app.close();
    const stored = Number((await owner.query('SELECT count(*) FROM audit.event')).rows[0].count);
    expect(stored).toBeGreaterThanOrEqual(12);
    expect(final).toMatchObject({ count: stored, keyId: new CheckpointSigner(signingKey).keyId });

    const signed: AuditCheckpoint[] = [];
    const info = await stream.jsm.streams.info(AUDIT_CHECKPOINT_STREAM);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const checkpoint = (
        await stream.jsm.streams.getMessage(AUDIT_CHECKPOINT_STREAM, { seq })
      ).json<AuditCheckpoint>();
      if (checkpoint.keyId === final?.keyId) {
        signed.push(checkpoint);
      }
    }
    // One per burst at least; the last one is the head at the end.
    expect(signed.map((c) => c.count)).toContain(stored);
    expect(signed.length).toBeGreaterThanOrEqual(2);

    const run = await verify('--checkpoints', '--public-key', publicKey);
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toMatch(
      new RegExp(`verified: ${stored} records, head [0-9a-f]{64}, ${signed.length} signed checkpoints match`),
    );
  });

  it('catches a chain rewritten consistently, which the chain alone takes for whole', async () => {
    // Other test files of the run publish events too, with outcomes of their own: the original value
    // is kept and put back, not guessed.
    const { rows } = await owner.query('SELECT seq, outcome FROM audit.event ORDER BY seq');
    const target = rows[2] as Pick<AuditEventRow, 'seq' | 'outcome'>;
    await rewrite(target.seq, target.outcome === 'success' ? 'failure' : 'success');
    expect((await verify()).code).toBe(0);
    const run = await verify('--checkpoints', '--public-key', publicKey);
    expect(run.code).toBe(1);
    expect(run.out[0]).toMatch(
      /does NOT MATCH the checkpoint signed .*: the record at its head has another hash/,
    );

    // The same change undone, hashes and all: the signed checkpoints match again.
    await rewrite(target.seq, target.outcome);
    expect((await verify('--checkpoints', '--public-key', publicKey)).code).toBe(0);
  });

  it('catches records cut off the end of the chain', async () => {
    const { rows } = await owner.query('SELECT seq FROM audit.event ORDER BY seq DESC LIMIT 2');
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit.event DISABLE TRIGGER event_append_only');
    await owner.query('DELETE FROM audit.event WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
    await owner.query('ALTER TABLE audit.event ENABLE TRIGGER event_append_only');
    await owner.query('COMMIT');
    expect((await verify()).code).toBe(0);
    const run = await verify('--checkpoints', '--public-key', publicKey);
    expect(run.code).toBe(1);
    expect(run.out[0]).toMatch(/the table has no record at its head/);
  });

  it('refuses checkpoints verified with another key', async () => {
    const other = new CheckpointSigner(randomBytes(48).toString('base64url')).view().publicKey;
    const run = await verify('--checkpoints', '--public-key', other);
    // None is signed by that key: nothing to compare, which is a failure, not a pass.
    expect(run.code).toBe(1);
    expect(run.out.join('\n')).toMatch(/signed by another key, not compared/);
    expect(run.out.join('\n')).toMatch(/none signed by the given key/);
  });

  it('audit:retention reads the signed checkpoints and drops only old months', async () => {
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const config = baseEnvSchema.parse({ DATABASE_URL: db.ownerUrl, ...natsSettingsAs('test-harness') });
      const code = await runCli(
        ['audit:retention', ...args],
        config,
        () => {
          throw new Error('no RPC');
        },
        { out: (line) => out.push(line), err: (line) => out.push(line) },
      );
      return { code, out };
    };
    expect((await run('--public-key', publicKey)).code).toBe(2);
    // An empty month long ago goes; the months holding this file's records are recent and stay.
    const now = new Date();
    const old = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1));
    await owner.query('SELECT audit.create_event_partition($1::date)', [old.toISOString().slice(0, 10)]);
    const name = `event_y${old.getUTCFullYear()}m${String(old.getUTCMonth() + 1).padStart(2, '0')}`;
    await expect(run('--months', '3', '--public-key', publicKey)).resolves.toEqual({
      code: 0,
      out: [`audit retention: dropped ${name} (0 records)`],
    });
    await expect(run('--months', '3', '--public-key', publicKey)).resolves.toEqual({
      code: 0,
      out: ['audit retention: no partition older than 3 months'],
    });
  });
});
