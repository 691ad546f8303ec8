import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { verifyChain } from '@app/audit/chain/verify-chain';
import {
  configureAuditService,
  newAuditEvent,
  startAuditService,
  StreamHarness,
  testEnv,
  uniqueName,
} from './support/audit-harness';

jest.setTimeout(120_000);

const CONSUMER = uniqueName('audit-replicas');

/**
 * Batched ingest (AUDIT-1, AUDIT-4): two replicas of the audit service pull batches from one durable
 * consumer and insert each with one statement under the chain lock; nothing is lost, nothing is
 * stored twice, and the chain stays one verifiable line.
 */
describe('audit ingest by two replicas in batches', () => {
  let stream: StreamHarness;
  let pool: Pool;
  let replicas: INestApplication[] = [];

  beforeAll(async () => {
    configureAuditService(CONSUMER);
    stream = await StreamHarness.connect();
    pool = new Pool({ connectionString: testEnv.databaseUrl, max: 2 });
    replicas = [await startAuditService(), await startAuditService()];
  });

  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    // A beforeAll that failed (NATS unreachable) leaves some of these unset.
    await stream?.deleteConsumer(CONSUMER);
    await stream?.close();
    await pool?.end();
  });

  it('stores 5,000 events once each, 500 of them published twice, in one verifiable chain', async () => {
    const events = Array.from({ length: 5000 }, () => newAuditEvent({ type: 'auth.session.started' }));
    // 500 again under fresh message ids, as a relay republishing after a crash would.
    const published = [...events, ...events.slice(0, 500)];
    let last = 0;
    for (let i = 0; i < published.length; i += 500) {
      const acks = await Promise.all(published.slice(i, i + 500).map((e) => stream.publish(e, randomUUID())));
      last = Math.max(last, ...acks.map((a) => a.seq));
    }
    await stream.settled(CONSUMER, last, 90_000);

    const { rows } = await pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, count(DISTINCT seq)::int AS seqs FROM audit.event WHERE id = ANY($1::uuid[])',
      [events.map((e) => e.id)],
    );
    expect(rows[0]).toEqual({ n: 5000, ids: 5000, seqs: 5000 });
    await expect(verifyChain(replicas[0].get(DataSource))).resolves.toMatchObject({ ok: true });
    // The head row's running count is the table's (one snapshot: other files may be ingesting too),
    // and the head is the last record.
    const head = await pool.query(
      `SELECT h.count::int AS counted, (SELECT count(*)::int FROM audit.event) AS stored,
              h.seq = (SELECT max(seq) FROM audit.event) AS last
         FROM audit.chain_head h`,
    );
    expect(head.rows[0]).toEqual({ counted: head.rows[0].stored, stored: expect.any(Number), last: true });
  });
});
