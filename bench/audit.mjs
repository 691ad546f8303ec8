// bench/audit: the audit trail's ingest and reads, in one run.
//   1. raw JetStream publish rate of audit-sized messages (no consumer running);
//   2. events/s from publish to committed row with 1, then 2 audit replicas (0 lost, 0 duplicated
//      checked by event id), the publisher running on the same machine; and the ingest alone,
//      draining a backlog published while no replica ran, with 1 and 2 replicas;
//   3. `audit:verify` records/s over what was stored;
//   4. a tenant's query as the service sends it (AuditEventQueryRepository.page from dist/), p50/p95,
//      over a large table generated directly with generate_series across 12 monthly partitions,
//      including a type the tenant has no row of.
//   With --rate=N --seconds=S, instead of the burst and backlog runs of 2: N events/s for S seconds
//   with 1, then 2 replicas running, the committed rate and the largest lag (sustained ingest).
//
//   npm run bench:audit            (= npm run build && node bench/audit.mjs)
//   node bench/audit.mjs [--events=100000] [--raw=100000] [--rows=2000000] [--samples=200]
//   node bench/audit.mjs --rate=10000 --seconds=30 --rows=0
//   node bench/audit.mjs --two-first=1 ...  (the 2-replica runs first, on the smaller table)
//
// It starts its own NATS (Mamori's users and permissions) and Redis, and a fresh database on the local
// PostgreSQL with the audit runtime role, all dropped at the end, so it can run beside `npm start`.
// Results go in bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import {
  dropDatabase,
  dropRole,
  ensureAuditRuntimeRole,
  ensureDatabase,
  getFreePort,
  PROJECT_ROOT,
  startInfra,
  startPrivateNats,
  startPrivateRedis,
  withDatabase,
} from '../scripts/infra.mjs';
import { ManagedProcess, runCommand } from '../scripts/lib/managed-process.mjs';
import { natsUsers, newNatsPassword } from '../scripts/lib/nats-auth.mjs';
import { serviceNodeArgs } from '../scripts/lib/service-node-args.mjs';
import { benchArgs } from './support/args.mjs';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');
const { connect } = require('nats');

const args = benchArgs();
const EVENTS = args.events ?? 100_000;
const RAW = args.raw ?? 100_000;
const ROWS = args.rows ?? 2_000_000;
const SAMPLES = args.samples ?? 200;
/** `--replicas=1` measures one replica only (the two-replica runs are skipped). */
const MAX_REPLICAS = args.replicas ?? 2;
/** `--ingest=0` skips the ingest runs (and audit:verify): only the generated table and its queries. */
const INGEST = args.ingest !== 0;
/** `--verify=0` skips the audit:verify run. */
const VERIFY = args.verify !== 0;
/** `--two-first=1`: the two-replica runs before the one-replica runs (see where they run). */
const TWO_FIRST = args['two-first'] === 1;
/** `--profile=1`: every replica runs with `--cpu-prof`, its profile written under os.tmpdir() on exit. */
const PROFILE = args.profile === 1;
/**
 * `--rate=10000 --seconds=30`: instead of the burst and backlog runs, publish at that fixed rate for
 * that long while 1 (then 2) replicas run, and report the committed rate and the largest lag
 * between published and committed: what "sustained" means.
 */
const RATE = args.rate;
const SECONDS = args.seconds ?? 30;
/** Publishes in flight at once (acks awaited in windows), as many outbox relays would keep. */
const WINDOW = 2000;
const TENANTS = 1000;

const log = (message) => console.log(`[bench] ${message}`);
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLOCK_TICKS = 100;
/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** A process's peak resident memory in MB (VmHWM, from /proc); 0 once it is gone. */
function peakRssMb(pid) {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Math.round(Number(kb ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** An audit event of the usual size (~450 bytes): a login with actor, IP, user agent, tenants. */
function auditEvent(run, i) {
  return {
    id: randomUUID(),
    type: i % 5 === 0 ? 'auth.login.failed' : 'auth.login.succeeded',
    occurredAt: new Date().toISOString(),
    actor: {
      userId: randomUUID(),
      tenant: `T${String(i % TENANTS).padStart(4, '0')}`,
      ip: `203.0.113.${i % 250}`,
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0',
    },
    outcome: i % 5 === 0 ? 'failure' : 'success',
    reasons: i % 5 === 0 ? ['bad_password'] : [],
    correlationId: run,
  };
}

/**
 * `count` events as the outbox relay publishes them (subject audit.<type>, Nats-Msg-Id), made and
 * encoded before any timing starts, so the publisher's own work is the publish alone.
 */
function makeEvents(run, count) {
  return Array.from({ length: count }, (_, i) => {
    const event = auditEvent(run, i);
    return { id: event.id, subject: `audit.${event.type}`, data: encoder.encode(JSON.stringify(event)) };
  });
}
const encoder = new TextEncoder();

/**
 * Publishes the events with WINDOW publishes always in flight (a sliding window: a new publish
 * starts as soon as one is acknowledged, no pause at window boundaries); returns the ids.
 */
async function publish(js, events) {
  let next = 0;
  const lane = async () => {
    while (next < events.length) {
      const event = events[next++];
      await js.publish(event.subject, event.data, { msgID: event.id });
    }
  };
  await Promise.all(Array.from({ length: Math.min(WINDOW, events.length) }, lane));
  return events.map((e) => e.id);
}

/**
 * Publishes the events at `rate` per second (each on its schedule, at most WINDOW in flight: a
 * publisher that cannot keep up falls behind its schedule, which the caller sees in `done`).
 * `published()` is how many the stream has acknowledged so far.
 */
function publishAtRate(js, events, rate) {
  let acked = 0;
  let next = 0;
  let inFlight = 0;
  /** When each publish was acknowledged, in the order of the acknowledgements. */
  const ackedAt = new Float64Array(events.length);
  const start = performance.now();
  const done = new Promise((resolve, reject) => {
    const tick = () => {
      const due = Math.min(events.length, Math.floor(((performance.now() - start) / 1000) * rate));
      while (next < due && inFlight < WINDOW) {
        const event = events[next++];
        inFlight++;
        js.publish(event.subject, event.data, { msgID: event.id }).then(() => {
          inFlight--;
          ackedAt[acked++] = performance.now();
          if (acked === events.length) {
            clearInterval(timer);
            resolve(performance.now());
          }
        }, reject);
      }
    };
    const timer = setInterval(tick, 5);
  });
  return { start, done, published: () => acked, publishedAt: (i) => ackedAt[i] };
}

async function main() {
  const infra = await startInfra({ components: ['postgres'] });
  const natsPasswords = Object.fromEntries(natsUsers().map((user) => [user, newNatsPassword()]));
  const asNatsUser = (user) => ({ NATS_USER: user, NATS_PASSWORD: natsPasswords[user] });
  const [nats, redisServer] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
  ]);
  const suffix = randomBytes(4).toString('hex');
  const dbName = `mamori_bench_${suffix}`;
  const roleName = `mamori_audit_bench_${suffix}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const ownerUrl = withDatabase(infra.postgresUrl, dbName);
  const runtimeUrl = await ensureAuditRuntimeRole(ownerUrl, roleName, randomBytes(16).toString('hex'));
  const children = [];
  let nc;
  const pool = new Pool({ connectionString: ownerUrl, max: 2 });
  try {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: ownerUrl,
      AUDIT_DATABASE_URL: runtimeUrl,
      NATS_URL: nats.url,
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: 'bench',
      AUDIT_SIGNING_KEY: randomBytes(32).toString('base64url'),
      AUDIT_CONSUMER_START: 'new',
    };
    const cli = path.join(PROJECT_ROOT, 'dist/apps/cli/src/main.js');
    const migrated = await runCommand(process.execPath, [cli, 'migrate', '--service', 'audit'], {
      env: { ...env, ...asNatsUser('cli') },
      stdio: 'ignore',
    });
    if (migrated !== 0) {
      throw new Error(`migrate exited with ${migrated}`);
    }

    // 1. Raw publish: the stream alone, as the auth service's NATS user publishes its facts.
    nc = await connect({
      servers: nats.url,
      user: 'auth',
      pass: natsPasswords.auth,
      inboxPrefix: '_INBOX.auth',
    });
    const jsm = await nc.jetstreamManager();
    await jsm.streams
      .add({ name: 'AUDIT', subjects: ['audit.>'], duplicate_window: 2 * 60 * 1_000_000_000 })
      .catch(() => undefined);
    const js = nc.jetstream();
    await publish(js, makeEvents('warm-up', 2000));
    const rawEvents = makeEvents('raw', RAW);
    let started = performance.now();
    await publish(js, rawEvents);
    const rawRate = RAW / ((performance.now() - started) / 1000);
    log(`raw publish: ${rawRate.toFixed(0)}/s (${RAW} messages)`);

    const launchReplica = async (n) => {
      const httpPort = await getFreePort();
      const child = new ManagedProcess(
        `audit-${n}`,
        process.execPath,
        [
          // As `npm start` and the Helm chart run it; BENCH_AUDIT_NODE_ARGS, when set, instead (e.g. an
          // empty value, for Node's defaults).
          ...(process.env.BENCH_AUDIT_NODE_ARGS?.split(' ').filter(Boolean) ?? serviceNodeArgs('audit')),
          ...(PROFILE
            ? ['--cpu-prof', `--cpu-prof-dir=${path.join(os.tmpdir(), `audit-bench-profile-${suffix}`)}`]
            : []),
          path.join(PROJECT_ROOT, 'dist/apps/audit/src/main.js'),
        ],
        {
          env: {
            ...env,
            ...asNatsUser('audit'),
            AUDIT_INGEST_NATS_USER: 'audit-ingest',
            AUDIT_INGEST_NATS_PASSWORD: natsPasswords['audit-ingest'],
            HTTP_PORT: String(httpPort),
            METRICS_PORT: '0',
          },
        },
      );
      child.start();
      children.push(child);
      for (let i = 0; ; i++) {
        const ready = await fetch(`http://127.0.0.1:${httpPort}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) {
          return child;
        }
        if (i > 300) {
          throw new Error('the audit service did not become ready in 60 s');
        }
        await sleep(200);
      }
    };
    const headCount = async () =>
      Number((await pool.query('SELECT count FROM audit.chain_head')).rows[0].count);

    /** Publishes EVENTS and waits for their rows: events/s from first publish to last commit. */
    /** The replicas' processes and their PostgreSQL sessions (the runtime role's), for CPU time. */
    const ingestPids = async () => [
      ...children.map((c) => c.pid),
      ...(await pool.query('SELECT pid FROM pg_stat_activity WHERE usename = $1', [roleName])).rows.map(
        (r) => r.pid,
      ),
    ];
    const ingest = async (label) => {
      const run = `bench-${label}-${randomUUID()}`;
      const before = await headCount();
      const events = makeEvents(run, EVENTS);
      const pids = await ingestPids();
      const cpuBefore = pids.map((pid) => cpuSeconds(pid));
      const machineBefore = os.cpus().reduce((t, c) => t + c.times.user + c.times.sys + c.times.nice, 0);
      started = performance.now();
      const publishing = publish(js, events);
      let published;
      publishing.then(() => {
        published = performance.now();
      });
      for (;;) {
        const stored = (await headCount()) - before;
        if (stored >= EVENTS) {
          break;
        }
        if (performance.now() - started > 600_000) {
          throw new Error(`${label}: ${stored} of ${EVENTS} stored after 10 minutes`);
        }
        await sleep(20);
      }
      const ids = await publishing;
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = pids.map((pid) => cpuSeconds(pid));
      const replicaCpu = cpuAfter.slice(0, children.length).reduce((t, v, i) => t + v - cpuBefore[i], 0);
      const postgresCpu = cpuAfter
        .slice(children.length)
        .reduce((t, v, i) => t + v - cpuBefore[children.length + i], 0);
      const machineCpu =
        (os.cpus().reduce((t, c) => t + c.times.user + c.times.sys + c.times.nice, 0) - machineBefore) / 1000;
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids,
                count(*) FILTER (WHERE id = ANY($2::uuid[]))::int AS ours
           FROM audit.event WHERE correlation_id = $1`,
        [run, ids],
      );
      const lost = EVENTS - rows[0].ours;
      const duplicated = rows[0].n - rows[0].distinct_ids;
      const rate = EVENTS / seconds;
      log(
        `${label}: ${rate.toFixed(0)} events/s publish→committed (${EVENTS} events; publishing alone took ` +
          `${((published - started) / 1000).toFixed(1)} s, the last commit ${(seconds * 1000 - (published - started)).toFixed(0)} ms after ` +
          `the last publish); lost ${lost}, duplicated ${duplicated}`,
      );
      const perK = (cpu) => ((cpu / EVENTS) * 1000 * 1000).toFixed(0);
      log(
        `${label}: CPU per 1,000 events: audit replicas ${perK(replicaCpu)} ms, their PostgreSQL sessions ` +
          `${perK(postgresCpu)} ms; replicas' peak RSS ${children.map((c) => peakRssMb(c.pid)).join(', ')} MB; machine busy ${((machineCpu / seconds / os.cpus().length) * 100).toFixed(0)}% ` +
          `(load average ${os.loadavg()[0].toFixed(1)})`,
      );
      return {
        rate,
        lost,
        duplicated,
        seconds,
        replicaCpuMs: Number(perK(replicaCpu)),
        postgresCpuMs: Number(perK(postgresCpu)),
      };
    };

    /**
     * Sustained ingest: RATE events/s for SECONDS published while the replicas run; the committed
     * count is read every 100 ms. Lag is how many acknowledged publishes were not yet committed,
     * and in time how long the oldest of them (in the order acknowledged) had been waiting.
     */
    const sustained = async (label) => {
      const run = `bench-${label}-${randomUUID()}`;
      const total = Math.round(RATE * SECONDS);
      const events = makeEvents(run, total);
      const before = await headCount();
      const pids = await ingestPids();
      const cpuBefore = pids.map((pid) => cpuSeconds(pid));
      const publisher = publishAtRate(js, events, RATE);
      let publishedAt;
      publisher.done.then((t) => {
        publishedAt = t;
      });
      let maxLag = 0;
      let maxLagSeconds = 0;
      let committed = 0;
      while (committed < total) {
        await sleep(100);
        committed = (await headCount()) - before;
        const now = performance.now();
        maxLag = Math.max(maxLag, publisher.published() - committed);
        if (committed < publisher.published()) {
          // How long the (committed + 1)-th acknowledged publish has been waiting for its row.
          maxLagSeconds = Math.max(maxLagSeconds, (now - publisher.publishedAt(committed)) / 1000);
        }
        if (now - publisher.start > (SECONDS + 600) * 1000) {
          throw new Error(`${label}: ${committed} of ${total} stored 10 minutes after the last publish`);
        }
      }
      const endedAt = performance.now();
      await publisher.done;
      const ids = events.map((e) => e.id);
      const cpuAfter = pids.map((pid) => cpuSeconds(pid));
      const replicaCpu = cpuAfter.slice(0, children.length).reduce((t, v, i) => t + v - cpuBefore[i], 0);
      const postgresCpu = cpuAfter
        .slice(children.length)
        .reduce((t, v, i) => t + v - cpuBefore[children.length + i], 0);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids,
                count(*) FILTER (WHERE id = ANY($2::uuid[]))::int AS ours
           FROM audit.event WHERE correlation_id = $1`,
        [run, ids],
      );
      const result = {
        label,
        published: total / ((publishedAt - publisher.start) / 1000),
        committed: total / ((endedAt - publisher.start) / 1000),
        maxLag,
        maxLagSeconds,
        lost: total - rows[0].ours,
        duplicated: rows[0].n - rows[0].distinct_ids,
        replicaCpuMs: Math.round((replicaCpu / total) * 1e6),
        postgresCpuMs: Math.round((postgresCpu / total) * 1e6),
      };
      log(
        `${label}: ${RATE}/s for ${SECONDS} s: published at ${result.published.toFixed(0)}/s, committed ` +
          `${result.committed.toFixed(0)}/s (first publish to last commit); largest lag ${maxLag} events ` +
          `(${maxLagSeconds.toFixed(2)} s); lost ${result.lost}, duplicated ${result.duplicated}; CPU per 1,000: ` +
          `replicas ${result.replicaCpuMs} ms, PostgreSQL ${result.postgresCpuMs} ms (load average ${os.loadavg()[0].toFixed(1)})`,
      );
      return result;
    };

    // 2. One replica, then two.
    /**
     * The ingest alone, without a publisher competing for the CPU: EVENTS published while no replica
     * runs (the durable consumer keeps them), then `replicas` started; events/s from the first row
     * committed to the last.
     */
    const drain = async (replicas) => {
      await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
      children.length = 0;
      await publish(js, makeEvents(`bench-drain-${replicas}-${randomUUID()}`, EVENTS));
      const before = await headCount();
      await Promise.all(Array.from({ length: replicas }, (_, i) => launchReplica(i + 1)));
      const pids = await ingestPids();
      let first;
      let firstCount = 0;
      let cpuAtFirst = [];
      for (;;) {
        const stored = (await headCount()) - before;
        if (stored > 0 && first === undefined) {
          first = performance.now();
          firstCount = stored;
          cpuAtFirst = pids.map((pid) => cpuSeconds(pid));
        }
        if (stored >= EVENTS) {
          break;
        }
        await sleep(20);
      }
      const rate = (EVENTS - firstCount) / ((performance.now() - first) / 1000);
      const cpu = pids.map((pid, i) => cpuSeconds(pid) - cpuAtFirst[i]);
      const perK = (seconds) => ((seconds / (EVENTS - firstCount)) * 1000 * 1000).toFixed(0);
      const replicaCpu = cpu.slice(0, children.length).reduce((t, v) => t + v, 0);
      const postgresCpu = cpu.slice(children.length).reduce((t, v) => t + v, 0);
      log(
        `drain, ${replicas} replica(s): ${rate.toFixed(0)} events/s from a backlog of ${EVENTS}; CPU per 1,000 ` +
          `events: audit ${perK(replicaCpu)} ms, PostgreSQL ${perK(postgresCpu)} ms; peak RSS ` +
          `${children.map((c) => peakRssMb(c.pid)).join(', ')} MB (load average ${os.loadavg()[0].toFixed(1)})`,
      );
      return rate;
    };

    if (INGEST) {
      await launchReplica(1);
    }
    const BURST = INGEST && RATE === undefined;
    const sustainedRuns = [];
    if (INGEST && RATE !== undefined) {
      sustainedRuns.push(await sustained('sustained, 1 replica'));
      if (MAX_REPLICAS >= 2) {
        await launchReplica(2);
        sustainedRuns.push(await sustained('sustained, 2 replicas'));
      }
    }
    // Each run stores into a larger table than the one before it (and PostgreSQL's cost per row grows
    // with it once the table outgrows shared_buffers), so --two-first=1 runs the same steps the other
    // way round: 2 replicas, their backlog, the backlog with 1, then 1 replica.
    let one;
    let two;
    let drainOne;
    let drainTwo;
    if (BURST && TWO_FIRST && MAX_REPLICAS >= 2) {
      await launchReplica(2);
      two = await ingest('2 replicas');
      drainTwo = await drain(2);
      drainOne = await drain(1);
      one = await ingest('1 replica');
    } else if (BURST) {
      one = await ingest('1 replica');
      drainOne = await drain(1);
      drainTwo = MAX_REPLICAS >= 2 ? await drain(2) : undefined;
      two = MAX_REPLICAS >= 2 ? await ingest('2 replicas') : undefined;
    }

    // 3. audit:verify over everything stored.
    const records = await headCount();
    started = performance.now();
    const verified =
      VERIFY && INGEST
        ? await runCommand(process.execPath, [cli, 'audit:verify'], {
            env: { ...env, DATABASE_URL: runtimeUrl },
            stdio: 'ignore',
          })
        : 'skipped';
    const verifySeconds = (performance.now() - started) / 1000;
    const verifyRate = records / verifySeconds;
    if (VERIFY && INGEST) {
      log(
        `audit:verify: ${records} records in ${verifySeconds.toFixed(1)} s (${verifyRate.toFixed(0)}/s), exit ${verified}`,
      );
    }
    await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
    children.length = 0;

    // 4. A large table, generated in SQL over the last 360 days; every tenant has facts of every type
    //    (type and tenant vary independently) (not chained: its prev_hash and hash
    //    are zeros, which query timing does not read; audit:verify is not run over it). One
    //    INSERT … SELECT generate_series per monthly partition, with the table's secondary indexes
    //    dropped first and built again once the rows are in (building an index from sorted rows is
    //    far cheaper than keeping it up to date row by row), as an operator's bulk load would.
    started = performance.now();
    const now = new Date();
    const windowStart = new Date(now.getTime() - 360 * 86_400_000);
    const months = [];
    for (let m = 12; m >= 0; m--) {
      const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1));
      const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m + 1, 1));
      await pool.query('SELECT audit.create_event_partition($1::date)', [first.toISOString().slice(0, 10)]);
      const from = first < windowStart ? windowStart : first;
      const to = next > now ? now : next;
      if (to > from) {
        months.push({ from, to });
      }
    }
    const { rows: secondary } = await pool.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'audit' AND i.tablename = 'event'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const index of secondary) {
      await pool.query(`DROP INDEX audit.${index.indexname}`);
    }
    const windowMs = now.getTime() - windowStart.getTime();
    let offset = 0;
    for (const [i, { from, to }] of months.entries()) {
      const n =
        i === months.length - 1
          ? ROWS - offset
          : Math.round((ROWS * (to.getTime() - from.getTime())) / windowMs);
      if (n <= 0) {
        continue;
      }
      await pool.query(
        `INSERT INTO audit.event (seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id,
                                  tenants, user_id, received_at, prev_hash, hash)
         SELECT -($3::bigint + g), gen_random_uuid(),
                CASE WHEN g % ${TENANTS} >= ${TENANTS / 2} AND (g / ${TENANTS}) % 5 = 4 THEN 'auth.login.succeeded'
                     ELSE (ARRAY['auth.login.succeeded','auth.login.failed','auth.session.started',
                                 'case-management.case.created','notification.message.sent'])[1 + (g / ${TENANTS}) % 5]
                END,
                t, jsonb_build_object('tenant', 'G' || lpad((g % ${TENANTS})::text, 4, '0'), 'ip', '203.0.113.9'),
                NULL, CASE WHEN (g / ${TENANTS}) % 5 = 1 THEN 'failure' ELSE 'success' END, '{}', 'generated',
                ARRAY['G' || lpad((g % ${TENANTS})::text, 4, '0')],
                CASE WHEN g % 3 = 0 THEN md5((g % 50000)::text)::uuid END, t, repeat('0', 64), repeat('0', 64)
           FROM generate_series(1, $4::int) g,
                LATERAL (SELECT $1::timestamptz + (g::double precision / $4) * ($2::timestamptz - $1::timestamptz)
                         AS t) tt`,
        [from, to, offset, n],
      );
      offset += n;
      log(`generated ${offset} of ${ROWS} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    const loadSeconds = (performance.now() - started) / 1000;
    await pool.query(`SET maintenance_work_mem = '256MB'`);
    for (const index of secondary) {
      // pg_indexes gives a partitioned table's index as `ON ONLY`, which would build it on no partition.
      await pool.query(index.indexdef.replace(' ON ONLY ', ' ON '));
    }
    await pool.query('ANALYZE audit.event');
    const generateSeconds = (performance.now() - started) / 1000;
    const total = Number((await pool.query('SELECT count(*) FROM audit.event')).rows[0].count);
    log(
      `generated ${ROWS} rows in ${generateSeconds.toFixed(0)} s (rows ${loadSeconds.toFixed(0)} s, ` +
        `${secondary.length} indexes ${(generateSeconds - loadSeconds).toFixed(0)} s; table: ${total} rows)`,
    );

    // The query a tenant's admin runs (AuditEventQueryRepository.page, from dist/: the statement the
    // service sends, type prefix and all): newest 50 of a tenant, with filters. Tenants G0500 and up
    // have no `notification.message.sent` (the others have), so the last-but-one row asks for a type
    // the tenant lacks while other tenants have many rows of it.
    const { AuditEventQueryRepository } = require(
      path.join(PROJECT_ROOT, 'dist/apps/audit/src/query/audit-event-query.repository.js'),
    );
    const repository = new AuditEventQueryRepository({
      query: async (text, params) => (await pool.query(text, params)).rows,
    });
    const tenantOf = (i, from = 0) => `G${String(from + ((i * 37) % (TENANTS - from))).padStart(4, '0')}`;
    const queries = [
      ['tenant', (i) => [tenantOf(i), {}]],
      ['tenant + type', (i) => [tenantOf(i), { typePrefix: 'auth.login.failed' }]],
      ['tenant + type prefix', (i) => [tenantOf(i), { typePrefix: 'auth.login' }]],
      [
        'tenant + type + last 30 days',
        (i) => [
          tenantOf(i),
          { typePrefix: 'auth.login.failed', from: new Date(Date.now() - 30 * 86_400_000) },
        ],
      ],
      [
        'tenant + 1 month, 3 months ago',
        (i) => [
          tenantOf(i),
          { from: new Date(Date.now() - 120 * 86_400_000), to: new Date(Date.now() - 90 * 86_400_000) },
        ],
      ],
      [
        'tenant + a type it has no row of',
        (i) => [tenantOf(i, TENANTS / 2), { typePrefix: 'notification.message.sent' }],
      ],
    ];
    const queryFigures = [];
    for (const [label, args] of queries) {
      const times = [];
      for (let i = 0; i < SAMPLES; i++) {
        const [tenant, filter] = args(i);
        const t0 = performance.now();
        await repository.page(tenant, filter, undefined, 50);
        times.push(performance.now() - t0);
      }
      queryFigures.push({
        label: `${label}, newest 50`,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
      });
    }

    const cores = os.cpus().length;
    console.log('');
    console.log(
      `load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (other work on the machine)`,
    );
    console.log(
      `machine: ${cores} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; ${new Date().toISOString()}`,
    );
    console.log(
      `raw JetStream publish (${RAW} msgs, ${WINDOW} in flight)      ${rawRate.toFixed(0).padStart(7)}/s`,
    );
    for (const [label, r] of [
      ['1 replica', one],
      ['2 replicas', two],
    ].filter(([, r]) => r !== undefined)) {
      console.log(
        `publish→committed, ${label.padEnd(10)} (${EVENTS} events)      ${r.rate.toFixed(0).padStart(7)}/s  ` +
          `(${(r.rate / rawRate).toFixed(2)}× raw; lost ${r.lost}, duplicated ${r.duplicated}; CPU ms per 1,000: ` +
          `replicas ${r.replicaCpuMs}, PostgreSQL ${r.postgresCpuMs})`,
      );
    }
    if (drainOne !== undefined) {
      console.log(
        `ingest alone, draining a backlog of ${EVENTS}: 1 replica ${drainOne.toFixed(0)}/s` +
          (drainTwo === undefined ? '' : `, 2 replicas ${drainTwo.toFixed(0)}/s`),
      );
    }
    for (const r of sustainedRuns) {
      console.log(
        `${r.label.padEnd(22)} ${RATE}/s × ${SECONDS} s: published ${r.published.toFixed(0)}/s, committed ` +
          `${r.committed.toFixed(0)}/s (${(r.committed / rawRate).toFixed(2)}× raw); largest lag ${r.maxLag} events, ` +
          `${r.maxLagSeconds.toFixed(2)} s; lost ${r.lost}, duplicated ${r.duplicated}; CPU ms per 1,000: ` +
          `replicas ${r.replicaCpuMs}, PostgreSQL ${r.postgresCpuMs}`,
      );
    }
    if (VERIFY && INGEST) {
      console.log(
        `audit:verify (${records} records)                   ${verifyRate.toFixed(0).padStart(7)}/s`,
      );
    }
    console.log(`filtered tenant query over ${total} rows, ${SAMPLES} samples (ms)   p50     p95`);
    for (const q of queryFigures) {
      console.log(`  ${q.label.padEnd(48)} ${q.p50.toFixed(1).padStart(7)} ${q.p95.toFixed(1).padStart(7)}`);
    }
  } finally {
    await nc?.close().catch(() => undefined);
    await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
    await pool.end().catch(() => undefined);
    await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    await dropRole(infra.postgresUrl, roleName).catch(() => undefined);
    await Promise.all([nats.stop(), redisServer.stop()]);
    await infra.stop();
  }
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
