import { randomBytes, randomUUID } from 'node:crypto';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  createOutboxNotifyTriggerSql,
  createOutboxParkingSql,
  createOutboxTableSql,
  OutboxRelay,
  serviceDataSourceOptions,
} from '@app/database';
import { DEFAULT_AUDIT_STREAM_SETTINGS, natsConnectionOptions } from '@app/messaging';
import { natsSettingsAs, PrivateNats, silentLogger, startPrivateNats, testEnv, waitFor } from '@app/testing';

jest.setTimeout(60_000);

/**
 * The outbox relay against a real JetStream (a nats-server of this file's own, so the stream can be
 * deleted and reconfigured) and the run's PostgreSQL, on an outbox table in a schema of its own.
 */
describe('outbox relay and the AUDIT stream', () => {
  const env = testEnv();
  let nats: PrivateNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let db: DataSource;
  const schema = `outbox_relay_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    nats = await startPrivateNats();
    nc = await connect(natsConnectionOptions(natsSettingsAs('test-harness', nats.url)));
    jsm = await nc.jetstreamManager();
    db = new DataSource(
      serviceDataSourceOptions({ url: env.DATABASE_URL, schema, entities: [], migrations: [] }),
    );
    await db.initialize();
    await db.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of [
      ...createOutboxTableSql(schema),
      ...createOutboxNotifyTriggerSql(schema),
      ...createOutboxParkingSql(schema),
    ]) {
      await db.query(sql);
    }
  });

  afterAll(async () => {
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.destroy();
    await nc?.close();
    await nats?.stop();
  });

  async function insertRows(
    count: number,
    payload: (i: number) => unknown = (i) => ({ n: i }),
  ): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await db.query(
        `INSERT INTO "${schema}".outbox (id, subject, payload) VALUES ($1, 'audit.test.event', $2)`,
        [id, JSON.stringify(payload(i))],
      );
    }
    return ids;
  }

  async function pendingRows(): Promise<number> {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE parked_at IS NULL`,
    );
    return n;
  }

  /** The Nats-Msg-Id of every message now in the stream. */
  async function streamIds(): Promise<string[]> {
    const info = await jsm.streams.info('AUDIT');
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage('AUDIT', { seq }).catch(() => undefined);
      const id = msg?.header.get('Nats-Msg-Id');
      if (id) {
        ids.push(id);
      }
    }
    return ids;
  }

  function relayWith(
    registry: Registry,
    maxMsgBytes = DEFAULT_AUDIT_STREAM_SETTINGS.maxMsgBytes,
    batchWindowMs?: number,
  ): OutboxRelay {
    return new OutboxRelay(
      schema,
      db,
      { database: env.DATABASE_URL, nats: natsSettingsAs('test-harness', nats.url) },
      silentLogger(),
      { stream: { ...DEFAULT_AUDIT_STREAM_SETTINGS, maxMsgBytes }, maxAttempts: 3, registry, batchWindowMs },
    );
  }

  function metricValue(metrics: string, name: string): number {
    const line = metrics.split('\n').find((l) => l.startsWith(`${name}{schema="${schema}"}`));
    return Number(line?.split(' ').pop());
  }

  /** Rows committed one transaction each, `concurrency` writers at a time, as a busy service does. */
  async function insertBurst(count: number, concurrency: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          await db.query(
            `INSERT INTO "${schema}".outbox (id, subject, payload) VALUES ($1, 'audit.test.event', $2)`,
            [id, JSON.stringify({ id })],
          );
        }
      }),
    );
    return ids;
  }

  it('makes the AUDIT stream again when it is deleted while running, and loses no row', async () => {
    const registry = new Registry();
    const relay = relayWith(registry);
    await relay.onApplicationBootstrap();
    try {
      const before = await insertRows(10);
      await waitFor(async () => (await pendingRows()) === 0, { description: 'the first rows published' });
      expect(await streamIds()).toEqual(expect.arrayContaining(before));

      await jsm.streams.delete('AUDIT');
      const after = await insertRows(25);
      await waitFor(async () => (await pendingRows()) === 0, {
        timeoutMs: 20_000,
        description: 'the rows written after the deletion published',
      });

      expect((await streamIds()).sort()).toEqual([...after].sort());
      const metrics = await registry.metrics();
      expect(metrics).toMatch(new RegExp(`mamori_outbox_stream_created_total\\{schema="${schema}"\\} 1\\b`));
      expect(metrics).toMatch(new RegExp(`mamori_outbox_published_total\\{schema="${schema}"\\} 35\\b`));
      expect(metrics).toMatch(new RegExp(`mamori_outbox_rows\\{schema="${schema}",state="pending"\\} 0\\b`));
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });

  it('parks a row JetStream refuses after 3 attempts while the rows around it flow', async () => {
    const registry = new Registry();
    // The stream is reconciled at start to take messages of at most 2 kB.
    const relay = relayWith(registry, 2048);
    await relay.onApplicationBootstrap();
    try {
      expect((await jsm.streams.info('AUDIT')).config.max_msg_size).toBe(2048);
      const beforeIds = await insertRows(5);
      const [bigId] = await insertRows(1, () => ({ blob: 'x'.repeat(4096) }));
      const afterIds = await insertRows(5);

      await waitFor(
        async () => {
          const [row] = await db.query(`SELECT parked_at FROM "${schema}".outbox WHERE id = $1`, [bigId]);
          return row?.parked_at !== null && (await pendingRows()) === 0;
        },
        { timeoutMs: 20_000, description: 'the big row parked and the rest published' },
      );

      const [big] = await db.query(
        `SELECT attempts, parked_at, last_error FROM "${schema}".outbox WHERE id = $1`,
        [bigId],
      );
      expect(big.attempts).toBe(3);
      expect(big.parked_at).toBeInstanceOf(Date);
      expect(big.last_error).toMatch(/message size/i);
      const inStream = await streamIds();
      expect(inStream).toEqual(expect.arrayContaining([...beforeIds, ...afterIds]));
      expect(inStream).not.toContain(bigId);

      const metrics = await registry.metrics();
      expect(metrics).toMatch(new RegExp(`mamori_outbox_rows\\{schema="${schema}",state="parked"\\} 1\\b`));
      expect(metrics).toMatch(new RegExp(`mamori_outbox_parked_total\\{schema="${schema}"\\} 1\\b`));
      expect(metrics).toMatch(new RegExp(`mamori_outbox_refusals_total\\{schema="${schema}"\\} 3\\b`));
      expect(metrics).toMatch(
        new RegExp(`mamori_outbox_oldest_pending_age_seconds\\{schema="${schema}"\\} 0\\b`),
      );
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });

  it('takes a burst of facts in far fewer passes than facts, and a lone fact at once', async () => {
    const registry = new Registry();
    const relay = relayWith(registry, undefined, 20);
    await relay.onApplicationBootstrap();
    try {
      const seqBefore = (await jsm.streams.info('AUDIT')).state.last_seq;
      // Each committed row wakes the relay by NOTIFY; without the batch window nearly every one of
      // them would be a pass of its own.
      const burst = await insertBurst(600, 8);
      await waitFor(async () => (await pendingRows()) === 0, {
        timeoutMs: 20_000,
        description: 'the burst published',
      });
      const metrics = await registry.metrics();
      const passes = metricValue(metrics, 'mamori_outbox_passes_total');
      expect(metricValue(metrics, 'mamori_outbox_published_total')).toBe(600);
      expect(passes).toBeGreaterThan(0);
      expect(passes).toBeLessThanOrEqual(600 / 5);
      expect((await jsm.streams.info('AUDIT')).state.last_seq - seqBefore).toBe(600);
      const [first, last] = await Promise.all(
        [seqBefore + 1, seqBefore + 600].map((seq) => jsm.streams.getMessage('AUDIT', { seq })),
      );
      expect(burst).toContain(first.header.get('Nats-Msg-Id'));
      expect(burst).toContain(last.header.get('Nats-Msg-Id'));

      // Idle for longer than the window: a lone fact goes out at once, neither after the idle poll
      // (1 s) nor after a window.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const [lone] = await insertRows(1);
      await waitFor(async () => (await pendingRows()) === 0, {
        timeoutMs: 5_000,
        intervalMs: 2,
        description: 'the lone fact published',
      });
      expect(Date.now() - started).toBeLessThan(500);
      const latest = await jsm.streams.getMessage('AUDIT', { last_by_subj: 'audit.test.event' });
      expect(latest.header.get('Nats-Msg-Id')).toBe(lone);
      expect(metricValue(await registry.metrics(), 'mamori_outbox_passes_total')).toBe(passes + 1);
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });

  it('publishes the rows of one writer in the order they were committed', async () => {
    const relay = relayWith(new Registry());
    await relay.onApplicationBootstrap();
    try {
      const seqBefore = (await jsm.streams.info('AUDIT')).state.last_seq;
      const ids = await insertRows(150);
      await waitFor(async () => (await pendingRows()) === 0, { description: 'the rows published' });
      const inStream: string[] = [];
      for (let seq = seqBefore + 1; seq <= seqBefore + ids.length; seq++) {
        inStream.push((await jsm.streams.getMessage('AUDIT', { seq })).header.get('Nats-Msg-Id'));
      }
      expect(inStream).toEqual(ids);
    } finally {
      await relay.beforeApplicationShutdown();
    }
  });
});
