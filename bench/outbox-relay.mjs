// bench/outbox-relay: the outbox relay alone. Rows are committed into an outbox table at a steady rate
// by 8 writers (one transaction each, as services write facts), and the relay of dist/ publishes them
// to a JetStream of the bench's own; it prints the CPU the relay used per row, in its own process and
// in the PostgreSQL backends serving it, and its passes.
//
//   npm run build && node bench/outbox-relay.mjs --rate=200 --seconds=15 [--window=20]
//
// `--window` sets OUTBOX_BATCH_WINDOW_MS for the relay (0: every wake-up answered at once). The relay
// runs in a child process (this file with `--relay`), so its CPU is its own.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import {
  dropDatabase,
  ensureDatabase,
  PROJECT_ROOT,
  startInfra,
  startPrivateNats,
  withDatabase,
} from '../scripts/infra.mjs';
import { benchArgs } from './support/args.mjs';
import { cpuMs } from './support/proc-cpu.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');
const database = require(path.join(PROJECT_ROOT, 'dist/libs/database/src/index.js'));

const args = benchArgs(['window']);
const SCHEMA = 'relay_bench';
const WRITERS = 8;
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The child: one OutboxRelay with its own registry, reporting its CPU and counters on request. */
async function relayProcess() {
  const { DataSource } = require('typeorm');
  const { Registry } = require('prom-client');
  const { createLogger } = require(path.join(PROJECT_ROOT, 'dist/libs/observability/src/index.js'));
  const url = process.env.BENCH_DATABASE_URL;
  const db = new DataSource(
    database.serviceDataSourceOptions({ url, schema: SCHEMA, entities: [], migrations: [] }),
  );
  await db.initialize();
  const registry = new Registry();
  const window = process.env.BENCH_WINDOW;
  const relay = new database.OutboxRelay(
    SCHEMA,
    db,
    { database: url, nats: { NATS_URL: process.env.BENCH_NATS_URL } },
    createLogger('outbox-relay-bench', 'error'),
    { registry, ...(window === undefined ? {} : { batchWindowMs: Number(window) }) },
  );
  await relay.onApplicationBootstrap();
  const counters = async () => {
    const text = await registry.metrics();
    const value = (name) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${name}{`))
          ?.split(' ')
          .pop() ?? NaN,
      );
    return { passes: value('mamori_outbox_passes_total'), published: value('mamori_outbox_published_total') };
  };
  let cpuAtStart = process.cpuUsage();
  let atStart = await counters();
  process.on('message', async (message) => {
    if (message === 'start') {
      cpuAtStart = process.cpuUsage();
      atStart = await counters();
      process.send('started');
    } else if (message === 'report') {
      const cpu = process.cpuUsage(cpuAtStart);
      const now = await counters();
      process.send({
        cpuMs: (cpu.user + cpu.system) / 1000,
        passes: now.passes - atStart.passes,
        published: now.published - atStart.published,
      });
      await relay.onApplicationShutdown();
      await db.destroy();
      process.exit(0);
    }
  });
  process.send('ready');
}

async function main() {
  const rate = args.rate ?? 200;
  const seconds = args.seconds ?? 15;
  const infra = await startInfra({ components: ['postgres'] });
  const nats = await startPrivateNats();
  const dbName = `mamori_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const url = withDatabase(infra.postgresUrl, dbName);
  const admin = new pg.Client({ connectionString: url });
  const writers = Array.from({ length: WRITERS }, () => new pg.Client({ connectionString: url }));
  let child;
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${SCHEMA}"`);
    for (const sql of [
      ...database.createOutboxTableSql(SCHEMA),
      ...database.createOutboxNotifyTriggerSql(SCHEMA),
      ...database.createOutboxParkingSql(SCHEMA),
    ]) {
      await admin.query(sql);
    }
    await Promise.all(writers.map((w) => w.connect()));
    child = fork(fileURLToPath(import.meta.url), ['--relay'], {
      env: {
        ...process.env,
        BENCH_DATABASE_URL: url,
        BENCH_NATS_URL: nats.url,
        ...(args.window === undefined ? {} : { BENCH_WINDOW: args.window }),
      },
    });
    const reply = () => new Promise((resolve) => child.once('message', resolve));
    await reply();
    // The relay's PostgreSQL backends: every one of the database but the writers' and this one.
    const ours = new Set();
    for (const client of [admin, ...writers]) {
      ours.add((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    }
    const relayBackends = async () =>
      (await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows
        .map((r) => r.pid)
        .filter((pid) => !ours.has(pid));
    child.send('start');
    await reply();
    const backendCpuAtStart = new Map((await relayBackends()).map((pid) => [pid, cpuMs(pid)]));

    const total = rate * seconds;
    const payload = JSON.stringify({ type: 'bench.event', outcome: 'success', tenants: ['t1'] });
    const start = Date.now();
    const inFlight = [];
    for (let i = 0; i < total; i++) {
      await sleep(start + (i * 1000) / rate - Date.now());
      const writer = writers[i % WRITERS];
      inFlight.push(
        writer.query(
          `INSERT INTO "${SCHEMA}".outbox (id, subject, payload) VALUES ($1, 'audit.bench.event', $2)`,
          [randomUUID(), payload],
        ),
      );
      // One statement at a time on each writer: the next waits for the writer's previous one.
      if (inFlight.length >= WRITERS) {
        await inFlight.shift();
      }
    }
    await Promise.all(inFlight);
    for (;;) {
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${SCHEMA}".outbox`);
      if (rows[0].n === 0) {
        break;
      }
      await sleep(50);
    }
    const backendCpu = (await relayBackends()).reduce(
      (sum, pid) => sum + cpuMs(pid) - (backendCpuAtStart.get(pid) ?? 0),
      0,
    );
    child.send('report');
    const relay = await reply();
    // A build without the passes counter (before it existed) answers null for it over IPC.
    const counted = typeof relay.passes === 'number';
    console.log(
      `| rows | passes | rows a pass | relay CPU ms | its PostgreSQL backends' CPU ms | µs a row |`,
    );
    console.log(`| --- | --- | --- | --- | --- | --- |`);
    console.log(
      `| ${relay.published} | ${counted ? relay.passes : 'n/a'} | ${counted ? (relay.published / relay.passes).toFixed(1) : 'n/a'} | ` +
        `${relay.cpuMs.toFixed(0)} | ${backendCpu.toFixed(0)} | ${(((relay.cpuMs + backendCpu) * 1000) / relay.published).toFixed(0)} |`,
    );
  } finally {
    child?.kill();
    await Promise.all(writers.map((w) => w.end().catch(() => undefined)));
    await admin.end().catch(() => undefined);
    await nats.stop();
    await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    await infra.stop?.();
  }
}

(process.argv.includes('--relay') ? relayProcess() : main()).then(
  () => process.argv.includes('--relay') || process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
