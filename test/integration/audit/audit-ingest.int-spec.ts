import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { SystemClock } from '@app/config';
import { AuditEvent } from '@app/contracts';
import {
  createOutboxParkingSql,
  createOutboxTableSql,
  OutboxRelay,
  OutboxWriter,
  serviceDataSourceOptions,
} from '@app/database';
import { natsSettingsAs, silentLogger } from '@app/testing';
import { verifyChain } from '@app/audit/chain/verify-chain';
import {
  configureAuditService,
  newAuditEvent,
  startAuditService,
  storedRows,
  StreamHarness,
  testEnv,
  uniqueName,
} from './support/audit-harness';

// The integration project's testTimeout is not applied per project by Jest 29; set it here.
jest.setTimeout(60_000);

const CONSUMER = uniqueName('audit-test-ingest');
const PRODUCER_SCHEMA = 'audit_test_producer';

/**
 * AUDIT-1 end to end on the real stream: producer outbox → relay → JetStream → durable consumer →
 * audit.event, exactly once per event id, with nothing lost while the audit service is down.
 */
describe('audit ingest from the AUDIT stream', () => {
  let stream: StreamHarness;
  let pool: Pool;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    configureAuditService(CONSUMER);
    stream = await StreamHarness.connect();
    pool = new Pool({ connectionString: testEnv.databaseUrl, max: 2 });
    app = await startAuditService();
  });

  afterAll(async () => {
    await app?.close();
    await stream.deleteConsumer(CONSUMER);
    await stream.close();
    await pool.end();
  });

  it('stores events relayed from a producer outbox, with the actor tenant among the tenants', async () => {
    const producer = new DataSource(
      serviceDataSourceOptions({
        url: testEnv.databaseUrl,
        schema: PRODUCER_SCHEMA,
        entities: [],
        migrations: [],
      }),
    );
    await producer.initialize();
    await producer.query(`DROP SCHEMA IF EXISTS ${PRODUCER_SCHEMA} CASCADE`);
    await producer.query(`CREATE SCHEMA ${PRODUCER_SCHEMA}`);
    for (const sql of [
      ...createOutboxTableSql(PRODUCER_SCHEMA),
      ...createOutboxParkingSql(PRODUCER_SCHEMA),
    ]) {
      await producer.query(sql);
    }
    const writer = new OutboxWriter(PRODUCER_SCHEMA, new SystemClock());
    const relay = new OutboxRelay(
      PRODUCER_SCHEMA,
      producer,
      {
        database: testEnv.databaseUrl,
        // The relay of a made-up producer: the unrestricted test user (no service may publish all of audit.>).
        nats: natsSettingsAs('test-harness', testEnv.natsUrl),
      },
      silentLogger(),
    );
    try {
      const tenant = uniqueName('t');
      const userId = randomUUID();
      const written = await producer.transaction(async (manager) => [
        await writer.record(manager, {
          type: 'auth.login.failed',
          actor: { userId, tenant },
          outcome: 'failure',
          reasons: ['invalid_credentials'],
        }),
        // An account-wide fact (AUDIT_EVENT_SCOPES): it keeps every tenant the writer names.
        await writer.record(manager, {
          type: 'auth.password.changed',
          actor: { userId },
          target: { type: 'user', id: randomUUID() },
          outcome: 'success',
          tenants: [tenant, 'other-tenant'],
        }),
      ]);
      await relay.onApplicationBootstrap();
      await relay.drain();
      const last = await stream.jsm.streams.info('AUDIT');
      await stream.settled(CONSUMER, last.state.last_seq);

      const rows = await storedRows(
        pool,
        written.map((e) => e.id),
      );
      expect(rows).toHaveLength(2);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const failed = byId.get(written[0].id)!;
      expect(failed).toMatchObject({
        type: 'auth.login.failed',
        outcome: 'failure',
        reasons: ['invalid_credentials'],
        tenants: [tenant],
        user_id: userId,
        correlation_id: written[0].correlationId,
        actor: { userId, tenant },
      });
      expect((failed.occurred_at as Date).toISOString()).toBe(written[0].occurredAt);
      expect(byId.get(written[1].id)).toMatchObject({
        tenants: [tenant, 'other-tenant'].sort(),
        target: written[1].target,
      });
      const left = await producer.query(`SELECT count(*)::int AS n FROM ${PRODUCER_SCHEMA}.outbox`);
      expect(left[0].n).toBe(0);
    } finally {
      await relay.beforeApplicationShutdown();
      await producer.query(`DROP SCHEMA IF EXISTS ${PRODUCER_SCHEMA} CASCADE`);
      await producer.destroy();
    }
  });

  it('stores an event once when it is published again under other message ids', async () => {
    const event = newAuditEvent();
    await stream.publish(event, randomUUID());
    await stream.publish(event, randomUUID());
    // And once more with a message id already seen: the stream itself drops that one.
    const msgId = randomUUID();
    await stream.publish(event, msgId);
    const ack = await stream.publish(event, msgId);
    expect(ack.duplicate).toBe(true);
    await stream.settled(CONSUMER, ack.seq);

    expect(await storedRows(pool, [event.id])).toHaveLength(1);
    // That a duplicate leaves the chain head alone is shown exactly in audit-chain.int-spec.ts.
    await expect(verifyChain(app!.get(DataSource))).resolves.toMatchObject({ ok: true });
  });

  it('terminates malformed payloads without storing them and goes on with the next event', async () => {
    const valid = newAuditEvent({ type: 'auth.session.ended' });
    const bad: AuditEvent[] = [
      { ...newAuditEvent(), id: 'not-a-uuid' },
      { ...newAuditEvent(), outcome: 'maybe' as AuditEvent['outcome'] },
      { ...newAuditEvent(), actor: { userId: 'someone' } },
      { ...newAuditEvent(), correlationId: 'nul\u0000inside' },
    ];
    for (const event of bad) {
      await stream.publishRaw('audit.auth.login.succeeded', JSON.stringify(event));
    }
    await stream.publishRaw('audit.auth.login.succeeded', 'this is not json');
    await stream.publishRaw('audit.auth.login.succeeded', new Uint8Array([0xff, 0xfe, 0x00]));
    // Unknown fields are dropped, so a producer's mistake cannot put a secret into the trail.
    const withExtra = { ...newAuditEvent(), password: 'hunter2', actor: { tenant: 't', code: '123456' } };
    await stream.publishRaw('audit.auth.login.failed', JSON.stringify(withExtra));
    const ack = await stream.publish(valid);
    // The ack floor passes a message only once it and every earlier one were acked or terminated:
    // reaching the valid event's sequence proves no malformed payload was left to block the stream.
    // (Other files' events also reach this consumer and may still be in flight, so num_ack_pending need not be 0.)
    await stream.settled(CONSUMER, ack.seq);

    expect(await storedRows(pool, [valid.id])).toHaveLength(1);
    const bads = bad.map((e) => e.id).filter((id) => /^[0-9a-f-]{36}$/.test(id));
    expect(await storedRows(pool, bads)).toHaveLength(0);
    const [extra] = await storedRows(pool, [withExtra.id]);
    expect(extra.actor).toEqual({ tenant: 't' });
    expect(JSON.stringify(extra)).not.toContain('hunter2');
    expect(JSON.stringify(extra)).not.toContain('123456');
  });

  it('stores what was published while the audit service was stopped once it is back', async () => {
    await app!.close();
    app = undefined;
    await stream.noPullWaiting(CONSUMER);
    const events = Array.from({ length: 25 }, () => newAuditEvent({ type: 'auth.session.started' }));
    let lastSeq = 0;
    for (const event of events) {
      lastSeq = (await stream.publish(event)).seq;
    }
    // The durable consumer keeps them for the stopped service. (Rows may already exist: another
    // test file's consumer, in another worker, can be reading the same stream into the same database.)
    const waiting = await stream.jsm.consumers.info('AUDIT', CONSUMER);
    expect(waiting.num_pending).toBeGreaterThanOrEqual(25);
    expect(waiting.ack_floor.stream_seq).toBeLessThan(lastSeq);

    app = await startAuditService();
    await stream.settled(CONSUMER, lastSeq);
    expect(
      await storedRows(
        pool,
        events.map((e) => e.id),
      ),
    ).toHaveLength(25);
  });

  it('loses nothing when the service is stopped in the middle of a burst', async () => {
    // Several batches' worth (a batch is up to 1,000). The stop begins while the burst is still being
    // published: a replica stores as fast as one publisher publishes, so a stop after the last
    // publish could find everything stored already. The last chunk goes out once the stop has ended:
    // on a loaded machine the stop may take as long as the rest of the burst, and the restart must
    // still find a backlog.
    const events = Array.from({ length: 6500 }, () => newAuditEvent({ type: 'auth.session.refreshed' }));
    const ids = events.map((e) => e.id);
    const publishChunk = async (i: number) =>
      (await Promise.all(events.slice(i, i + 500).map((e) => stream.publish(e)))).map((a) => a.seq);
    const seqs = await publishChunk(0);
    const first = Math.min(...seqs);
    const rest = (async () => {
      for (let i = 500; i < 6000; i += 500) {
        seqs.push(...(await publishChunk(i)));
      }
    })();
    await stream.settled(CONSUMER, first + 10);
    await app!.close();
    app = undefined;
    await rest;
    seqs.push(...(await publishChunk(6000)));
    const last = Math.max(...seqs);
    await stream.noPullWaiting(CONSUMER);
    const atStop = await stream.jsm.consumers.info('AUDIT', CONSUMER);
    expect(atStop.ack_floor.stream_seq).toBeLessThan(last);

    app = await startAuditService();
    // Well within the 30 s ack wait, which is what a message lost in a stopped instance would cost.
    await stream.settled(CONSUMER, last, 20_000);
    expect(await storedRows(pool, ids)).toHaveLength(6500);
    await expect(verifyChain(app.get(DataSource))).resolves.toMatchObject({ ok: true });
  });

  it('keeps one linear chain and one row per event id when two replicas share the consumer', async () => {
    const second = await startAuditService();
    try {
      const events = Array.from({ length: 150 }, () =>
        newAuditEvent({ type: 'auth.second_factor.succeeded' }),
      );
      // 50 of them again under fresh message ids, as a relay republishing after a crash would.
      const again = events.slice(0, 50);
      const acks = await Promise.all([...events, ...again].map((e) => stream.publish(e, randomUUID())));
      await stream.settled(CONSUMER, Math.max(...acks.map((a) => a.seq)));

      const rows = await storedRows(
        pool,
        events.map((e) => e.id),
      );
      expect(rows).toHaveLength(150);
      const seqs = rows.map((r) => Number(r.seq));
      expect(new Set(seqs).size).toBe(150);
      await expect(verifyChain(app!.get(DataSource))).resolves.toMatchObject({ ok: true });
    } finally {
      await second.close();
    }
  });
});
