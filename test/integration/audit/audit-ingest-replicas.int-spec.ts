import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { verifyChain } from '@app/audit/chain/verify-chain';
import { AuditStreamConsumer } from '@app/audit/ingest/audit-stream.consumer';
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

/** The replicas storing the stream now: those holding the ingest lease. */
function storing(apps: INestApplication[]): INestApplication[] {
  return apps.filter((app) => app.get(AuditStreamConsumer).storing);
}

/** Waits (up to 10 s) until exactly one of `apps` holds the ingest lease, and returns it. */
async function holder(apps: INestApplication[]): Promise<INestApplication> {
  const until = Date.now() + 10_000;
  while (storing(apps).length !== 1) {
    if (Date.now() > until) {
      throw new Error(`${storing(apps).length} of ${apps.length} replicas hold the ingest lease after 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return storing(apps)[0];
}

/**
 * Batched ingest (AUDIT-1, AUDIT-4): two replicas of the audit service share one durable consumer;
 * the one holding the ingest lease stores batches with one statement under the chain lock, the
 * other takes over when it goes. Nothing is lost, nothing is stored twice, and the chain stays one
 * verifiable line.
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

  /** Publishes `events` in rounds of 100 and waits until the consumer has settled them all. */
  async function publishAll(events: ReturnType<typeof newAuditEvent>[], midway?: () => Promise<void>) {
    let last = 0;
    for (let i = 0; i < events.length; i += 100) {
      if (i === events.length / 2) {
        await midway?.();
      }
      const acks = await Promise.all(events.slice(i, i + 100).map((e) => stream.publish(e)));
      last = Math.max(last, ...acks.map((a) => a.seq));
    }
    await stream.settled(CONSUMER, last, 60_000);
  }

  async function storedOnce(events: ReturnType<typeof newAuditEvent>[]): Promise<void> {
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM audit.event WHERE id = ANY($1::uuid[])',
      [events.map((e) => e.id)],
    );
    expect(rows[0]).toEqual({ n: events.length, ids: events.length });
  }

  it('one replica stores at a time; when it stops mid-stream the other takes over and loses nothing', async () => {
    const first = await holder(replicas);
    const events = Array.from({ length: 1000 }, () => newAuditEvent({ type: 'auth.session.started' }));
    await publishAll(events, async () => {
      await first.close();
      replicas = replicas.filter((app) => app !== first);
    });
    await storedOnce(events);
    expect(storing(replicas)).toHaveLength(1);
    replicas.push(await startAuditService());
  });

  it('a holder whose lease session is cut stops pulling; one replica holds it again and nothing is lost', async () => {
    await holder(replicas);
    const events = Array.from({ length: 1000 }, () => newAuditEvent({ type: 'auth.session.started' }));
    await publishAll(events, async () => {
      // The lease's session ends as a network cut or a database restart would end it.
      const { rowCount } = await pool.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
          WHERE l.locktype = 'advisory'
            AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('mamori.audit.ingest:' || $1, 0)`,
        [CONSUMER],
      );
      expect(rowCount).toBe(1);
    });
    await holder(replicas);
    await storedOnce(events);
  });
});
