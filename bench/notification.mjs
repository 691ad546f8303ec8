// bench/notification: security codes from enqueue to the provider's hands while a bulk announcement
// drains (NOTIF-1), side by side with a bare Redis round trip and a bare BullMQ add→process measured
// in the same run on this machine.
//
//   npm run bench:notification            # builds first; or: node bench/notification.mjs
//   node bench/notification.mjs --rate=200 --seconds=60 --bulk=10000 --smtp-per-second=100
//   node bench/notification.mjs --replicas=2   # two service processes sharing the queues
//   node bench/notification.mjs --smtp-max-messages=100   # a new SMTP connection every 100 messages
//   node bench/notification.mjs --warmup=0   # no full-rate warm-up: a fresh process's first seconds
//
// It starts its own NATS and Redis, a fresh database on the local PostgreSQL (dropped at the end), the
// notification service from dist/, a local SMTP sink and a local SMS HTTP server (on a worker thread of
// their own, support/notification-sinks.mjs, so arrivals are not timed by this busy thread). Codes are queued
// through the real NotificationProducer (half e-mail, half SMS, each in a live slot of its own as auth
// queues them); a code's latency runs from just before `enqueue` to the moment the sink has the whole
// message (SMTP end of DATA, or the SMS webhook's request body). Results go in bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker as Thread } from 'node:worker_threads';
import { createRequire } from 'node:module';
import {
  dropDatabase,
  ensureDatabase,
  getFreePort,
  PROJECT_ROOT,
  startInfra,
  startPrivateNats,
  startPrivateRedis,
  withDatabase,
} from '../scripts/infra.mjs';
import { ManagedProcess } from '../scripts/lib/managed-process.mjs';
import { natsUsers, newNatsPassword } from '../scripts/lib/nats-auth.mjs';
import { benchArgs } from './support/args.mjs';
import { cpuMs, syscalls } from './support/proc-cpu.mjs';

const require = createRequire(import.meta.url);
const { Queue, Worker } = require('bullmq');
const pg = require('pg');
const IORedis = require('ioredis');
const { NotificationProducer } = require(path.join(PROJECT_ROOT, 'dist/libs/messaging/src/index.js'));
const { createLogger } = require(path.join(PROJECT_ROOT, 'dist/libs/observability/src/index.js'));

const args = benchArgs();
const RATE = args.rate ?? 200;
const SECONDS = args.seconds ?? 60;
const BULK = args.bulk ?? 10_000;
const SMTP_PER_SECOND = args['smtp-per-second'] ?? 100;
const CONCURRENCY = args.concurrency ?? 20;
const SMTP_POOL = args['smtp-pool'] ?? 5;
/** `--smtp-max-messages=N`: SMTP_MAX_MESSAGES_PER_CONNECTION (default 0, no limit; nodemailer's own was 100). */
const SMTP_MAX_MESSAGES = args['smtp-max-messages'] ?? 0;
/** `--replicas=N`: processes of the notification service sharing the queues (default 1). */
const REPLICAS = args.replicas ?? 1;
/**
 * `--warmup=S`: seconds of codes at the full rate before the bulk is queued and the window starts,
 * not counted (default 5). A fresh process runs its first thousand messages unoptimised, and its SMTP
 * pool opens connections only as messages need them; a service that has run for a while has neither.
 */
const WARMUP_S = args.warmup ?? 5;
/** Bare measurements per second, spread over the same run. */
const BARE_RATE = 20;
const DRAIN_MS = 30_000;
/** Codes of the first seconds of the window are also left out of one line of figures (see there). */
const WARM_AFTER_S = 2;
const PREFIX = 'bench';

const log = (message) => console.log(`[bench] ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const percentile = (values, p) => {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (ms) => (Number.isFinite(ms) ? ms.toFixed(2) : 'n/a');

/**
 * The clock of every measurement: milliseconds since the epoch, sub-millisecond, the same on the
 * sinks' thread as on this one (performance.now() alone counts from each thread's own start).
 */
const now = () => performance.timeOrigin + performance.now();

/** CPU time (ms) all processes of the machine have used so far, from /proc/stat (Linux); NaN elsewhere. */
const machineCpuMs = () => {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
  } catch {
    return NaN;
  }
};

/** Enqueue start by message id; the sinks turn it into a latency when the message arrives. */
const pending = new Map();
const codeLatencies = [];
/** A code's channel by message id, and its latency by channel and by second of the code window. */
const codeChannels = new Map();
const latenciesByChannel = { email: [], sms: [] };
const latenciesBySecond = [];
const latenciesBySecondByChannel = { email: [], sms: [] };
let codeWindowStart = Infinity;
const bulkIds = new Set();
const bulkArrivals = [];
/** When the service opened each SMTP connection to the sink (codes' and bulk mail's pools alike). */
const smtpConnections = [];

/** `at`: when the sink had the whole message, on the sinks' thread (now()). */
function arrived(messageId, at) {
  const started = pending.get(messageId);
  if (started !== undefined) {
    pending.delete(messageId);
    codeLatencies.push(at - started);
    const channel = codeChannels.get(messageId);
    if (channel && started >= codeWindowStart) {
      latenciesByChannel[channel].push(at - started);
      const second = Math.floor((started - codeWindowStart) / 1000);
      (latenciesBySecond[second] ??= []).push(at - started);
      (latenciesBySecondByChannel[channel][second] ??= []).push(at - started);
    }
  } else if (bulkIds.has(messageId)) {
    bulkArrivals.push(at);
  }
}

/**
 * The SMTP sink and the SMS server on a thread of their own (support/notification-sinks.mjs): their
 * event loop does nothing but take messages, so an arrival's time is not held up by the producer and
 * the bare measurements running on this one.
 */
async function startSinks() {
  const thread = new Thread(new URL('./support/notification-sinks.mjs', import.meta.url));
  const replies = [];
  thread.on('message', (message) => {
    if (message.type === 'arrived') {
      arrived(message.id, message.at);
    } else if (message.type === 'connected') {
      smtpConnections.push(message.at);
    } else {
      replies.shift()?.(message);
    }
  });
  const reply = () => new Promise((resolve) => replies.push(resolve));
  const ready = await Promise.race([reply(), new Promise((_, reject) => thread.once('error', reject))]);
  return {
    smtpUrl: ready.smtpUrl,
    smsUrl: ready.smsUrl,
    /** Starts timing the sinks' event-loop delay. */
    measure: () => thread.postMessage({ type: 'measure' }),
    /** The sinks' event-loop delay (ms) since `measure`. */
    report: () => {
      const answer = reply();
      thread.postMessage({ type: 'report' });
      return answer.then((r) => r.loopDelayMs);
    },
    stop: async () => {
      const stopped = reply();
      thread.postMessage({ type: 'stop' });
      await Promise.race([stopped, sleep(5_000)]);
      await thread.terminate();
    },
  };
}

function codeJob(i) {
  const channel = i % 2 === 0 ? 'email' : 'sms';
  const messageId = randomUUID();
  codeChannels.set(messageId, channel);
  return {
    name: 'security-code',
    data: {
      messageId,
      channel,
      template: 'security-code',
      language: i % 3 === 0 ? 'en' : 'ja',
      to: [channel === 'email' ? `user${i}@bench.example` : `+8190${String(10_000_000 + i).slice(-8)}`],
      params: { code: String(100_000 + (i % 900_000)), expiresInMinutes: 10 },
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      correlationId: randomUUID(),
      userId: randomUUID(),
      liveSlot: `login-flow:${messageId}`,
    },
  };
}

function bulkJob(i) {
  const messageId = randomUUID();
  bulkIds.add(messageId);
  return {
    name: 'case-update',
    data: {
      messageId,
      channel: 'email',
      template: 'case-update',
      language: i % 2 === 0 ? 'ja' : 'en',
      to: [`member${i}@bench.example`],
      params: { caseNumber: 'CS0000001', event: 'status_changed', subject: 'Maintenance', status: 'Closed' },
      correlationId: randomUUID(),
    },
  };
}

async function main() {
  log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const infra = await startInfra({ components: ['postgres'] });
  const natsPasswords = Object.fromEntries(natsUsers().map((user) => [user, newNatsPassword()]));
  const [nats, redis, sinks] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
    startSinks(),
  ]);
  const dbName = `mamori_bench_${randomBytes(4).toString('hex')}`;
  // One secret for every replica: a recipient's hash must be the same whichever replica made it.
  const RECIPIENT_HASH_SECRET = randomBytes(32).toString('base64');
  await ensureDatabase(infra.postgresUrl, dbName);
  const httpPorts = await Promise.all(Array.from({ length: REPLICAS }, () => getFreePort()));
  const makeService = (httpPort, i) =>
    new ManagedProcess(
      `notification#${i + 1}`,
      process.execPath,
      // BENCH_SERVICE_NODE_ARGS: extra Node options for the service, e.g. `--cpu-prof --cpu-prof-dir=…`.
      [
        ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
        path.join(PROJECT_ROOT, 'dist/apps/notification/src/main.js'),
      ],
      {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          // A fresh database: the service applies its own migrations (no separate migrate step).
          MIGRATE_AT_BOOT: 'true',
          LOG_LEVEL: 'warn',
          DATABASE_URL: withDatabase(infra.postgresUrl, dbName),
          NATS_URL: nats.url,
          NATS_USER: 'notification',
          NATS_PASSWORD: natsPasswords.notification,
          REDIS_URL: redis.url,
          REDIS_PREFIX: PREFIX,
          HTTP_PORT: String(httpPort),
          SMTP_URL: sinks.smtpUrl,
          SMTP_REQUIRE_TLS: 'false',
          SMS_PROVIDER: 'webhook',
          SMS_WEBHOOK_URL: sinks.smsUrl,
          SMTP_MAX_PER_SECOND: String(SMTP_PER_SECOND),
          WORKER_CONCURRENCY: String(CONCURRENCY),
          SMTP_POOL_CONNECTIONS: String(SMTP_POOL),
          SMTP_MAX_MESSAGES_PER_CONNECTION: String(SMTP_MAX_MESSAGES),
          RECIPIENT_HASH_SECRET,
        },
      },
    );
  const services = httpPorts.map(makeService);
  /** Every replica's CPU time so far (ms), and every replica's metrics as one text. */
  const servicesCpuMs = () => services.reduce((total, service) => total + cpuMs(service.pid), 0);
  const servicesMetrics = async () =>
    (
      await Promise.all(
        httpPorts.map((port) =>
          fetch(`http://127.0.0.1:${port}/metrics`).then(
            (r) => r.text(),
            () => '',
          ),
        ),
      )
    ).join('\n');
  const producer = new NotificationProducer(
    { REDIS_URL: redis.url, REDIS_PREFIX: PREFIX },
    createLogger('bench', 'warn'),
  );
  // Every connection of the bench is closed before its Redis stops (an open one would retry and print
  // `Unhandled error event: ECONNREFUSED`); none may print while the run goes on either.
  const bareConnections = Array.from({ length: 3 }, () => {
    const connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    return connection;
  });
  const [bareRedis, bareConnection, bareWorkerConnection] = bareConnections;
  const bareQueue = new Queue('bench-bare', { connection: bareConnection, prefix: PREFIX });
  const bareStarted = new Map();
  const bareLatencies = [];
  const bareWorker = new Worker(
    'bench-bare',
    async (job) => {
      const started = bareStarted.get(job.id);
      if (started !== undefined) {
        bareLatencies.push(now() - started);
      }
    },
    {
      connection: bareWorkerConnection,
      prefix: PREFIX,
      concurrency: 1,
      removeOnComplete: { count: 0 },
    },
  );
  const redisLatencies = [];
  try {
    // The first replica migrates the fresh database before the others start.
    services[0].start();
    for (const until = Date.now() + 60_000; REPLICAS > 1 && Date.now() < until; await sleep(200)) {
      const ready = await fetch(`http://127.0.0.1:${httpPorts[0]}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) {
        break;
      }
    }
    services.slice(1).forEach((service) => service.start());
    // Ready once its workers take jobs: a warm-up code must come through.
    const warmUpUntil = Date.now() + 60_000;
    for (let i = 0; ; i++) {
      const job = codeJob(i);
      pending.set(job.data.messageId, now());
      await producer.enqueue(job, 'code');
      await sleep(500);
      if (!pending.has(job.data.messageId)) {
        break;
      }
      if (Date.now() > warmUpUntil) {
        throw new Error(
          `the notification service did not deliver a code in 60 s:\n${services[0].lines.slice(-20).join('\n')}`,
        );
      }
    }
    log(`warming up: ${RATE} codes/s for ${WARMUP_S} s, not counted`);
    const warmUpStart = now();
    const warmUps = [];
    for (let i = 0; i < RATE * WARMUP_S; i++) {
      await sleep(warmUpStart + (i * 1000) / RATE - now());
      const job = codeJob(i);
      pending.set(job.data.messageId, now());
      warmUps.push(producer.enqueue(job, 'code'));
    }
    await Promise.all(warmUps);
    for (const until = Date.now() + 10_000; pending.size > 0 && Date.now() < until;) {
      await sleep(100);
    }
    await sleep(1000);
    pending.clear();
    codeLatencies.length = 0;

    log(`queuing ${BULK} bulk mails (enqueueBulk), then ${RATE} codes/s for ${SECONDS} s`);
    const bulkQueuedAt = now();
    await producer.enqueueBulk(Array.from({ length: BULK }, (_, i) => bulkJob(i)));
    log(`bulk queued in ${(now() - bulkQueuedAt).toFixed(0)} ms`);

    // Both threads' event-loop delay over the code window: how long a ready callback (an enqueue, a
    // bare measurement, an arrival) waited for its thread, i.e. how much the bench itself adds.
    // PostgreSQL transactions committed in the bench database over the window: every write of the
    // service, the outbox relay's passes among them (read again once the codes are in, after the
    // statistics collector has had time to see the last of them).
    const statsClient = new pg.Client({ connectionString: withDatabase(infra.postgresUrl, dbName) });
    await statsClient.connect();
    const commits = async () => {
      const { rows } = await statsClient.query(
        'SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()',
      );
      return Number(rows[0].n);
    };
    const outboxFigures = async () => {
      const text = await servicesMetrics();
      const sum = (name) =>
        text
          .split('\n')
          .filter((line) => line.startsWith(`${name}{`))
          .reduce((total, line) => total + Number(line.split(' ').pop()), 0);
      return { published: sum('mamori_outbox_published_total'), passes: sum('mamori_outbox_passes_total') };
    };
    const commitsAtStart = await commits();
    const outboxAtStart = await outboxFigures();
    const benchLoop = monitorEventLoopDelay({ resolution: 1 });
    benchLoop.enable();
    sinks.measure();
    const start = now();
    codeWindowStart = start;
    const cpuAtStart = servicesCpuMs();
    const servicesSyscalls = () =>
      services
        .map((service) => syscalls(service.pid))
        .reduce((a, b) => ({ writes: a.writes + b.writes, reads: a.reads + b.reads }));
    const syscallsAtStart = servicesSyscalls();
    const benchCpuAtStart = process.cpuUsage();
    const machineCpuAtStart = machineCpuMs();
    const total = RATE * SECONDS;
    const bareEvery = Math.max(1, Math.round(RATE / BARE_RATE));
    const inFlight = [];
    let enqueueFailures = 0;
    for (let i = 0; i < total; i++) {
      await sleep(start + (i * 1000) / RATE - now());
      const job = codeJob(i + 1_000);
      pending.set(job.data.messageId, now());
      inFlight.push(
        producer.enqueue(job, 'code').catch(() => {
          enqueueFailures += 1;
          pending.delete(job.data.messageId);
        }),
      );
      if (i % bareEvery === 0) {
        const id = randomUUID();
        bareStarted.set(id, now());
        inFlight.push(bareQueue.add('bare', { i }, { jobId: id, removeOnComplete: true }));
        const pingStarted = now();
        inFlight.push(bareRedis.ping().then(() => redisLatencies.push(now() - pingStarted)));
      }
    }
    await Promise.all(inFlight);
    const windowEnd = now();
    // Over the window only: how much of the machine's CPU was in use, and by whom.
    const windowCpu = {
      machine: machineCpuMs() - machineCpuAtStart,
      service: servicesCpuMs() - cpuAtStart,
      bench: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(benchCpuAtStart)),
    };
    benchLoop.disable();
    const sinksLoop = await sinks.report();
    const bulkInWindow = bulkArrivals.filter((t) => t >= start && t <= windowEnd).length;
    const drainUntil = Date.now() + DRAIN_MS;
    while (pending.size > 0 && Date.now() < drainUntil) {
      await sleep(100);
    }
    const windowS = (windowEnd - start) / 1000;
    // The service's CPU per message it handed over, codes and bulk, from the window's start until the
    // codes are in (or the drain gives up): a figure the machine's load changes much less than latency.
    const serviceCpuMs = servicesCpuMs() - cpuAtStart;
    const syscallsAtEnd = servicesSyscalls();
    const handedOver = codeLatencies.length + bulkArrivals.filter((t) => t >= start).length;
    const outboxAtEnd = await outboxFigures();
    await sleep(1500);
    const commitsInRun = (await commits()) - commitsAtStart;
    await statsClient.end();

    const rows = [
      ['bare Redis round trip (PING)', redisLatencies],
      ['bare BullMQ add → process', bareLatencies],
      ['code: enqueue → provider has it', codeLatencies],
    ];
    console.log('');
    console.log(`| measure | samples | p50 ms | p99 ms |`);
    console.log(`| --- | --- | --- | --- |`);
    for (const [name, values] of rows) {
      console.log(
        `| ${name} | ${values.length} | ${fmt(percentile(values, 50))} | ${fmt(percentile(values, 99))} |`,
      );
    }
    console.log('');
    console.log(
      `codes by channel, p50 / p99 ms: e-mail ${fmt(percentile(latenciesByChannel.email, 50))} / ` +
        `${fmt(percentile(latenciesByChannel.email, 99))}, SMS ${fmt(percentile(latenciesByChannel.sms, 50))} / ` +
        `${fmt(percentile(latenciesByChannel.sms, 99))}`,
    );
    // Whether the slow codes come together (a pause of the whole path) or spread over the run.
    console.log(
      `code p99 by second of the window (ms): ` +
        latenciesBySecond.map((values) => (values ? percentile(values, 99).toFixed(0) : '-')).join(' '),
    );
    for (const channel of ['email', 'sms']) {
      console.log(
        `  ${channel === 'email' ? 'e-mail' : 'SMS'} codes: ` +
          latenciesBySecondByChannel[channel]
            .map((values) => (values ? percentile(values, 99).toFixed(0) : '-'))
            .join(' '),
      );
    }
    // The first seconds carry the start: the code pool's SMTP connections are opened by the first
    // codes (each waiting for the sink's greeting), and the service's code is not yet optimised.
    const warm = (bySecond) => bySecond.slice(WARM_AFTER_S).flatMap((values) => values ?? []);
    const warmLine = (values) =>
      values.length > 0 ? `${fmt(percentile(values, 50))} / ${fmt(percentile(values, 99))}` : 'n/a';
    console.log(
      `codes queued from second ${WARM_AFTER_S} of the window on, p50 / p99 ms: all ${warmLine(warm(latenciesBySecond))}, ` +
        `e-mail ${warmLine(warm(latenciesBySecondByChannel.email))}, SMS ${warmLine(warm(latenciesBySecondByChannel.sms))}`,
    );
    const seconds = latenciesBySecond
      .map((values, second) => ({
        second,
        p99: percentile(values ?? [0], 99),
        max: Math.max(...(values ?? [0])),
      }))
      .sort((a, b) => b.max - a.max)
      .slice(0, 5);
    console.log(
      `the five seconds of the code window with the slowest code (second: p99 / max ms): ` +
        seconds.map((s) => `${s.second}: ${fmt(s.p99)} / ${fmt(s.max)}`).join(', '),
    );
    const p50 = percentile(codeLatencies, 50);
    const p99 = percentile(codeLatencies, 99);
    const bareP50 = percentile(bareLatencies, 50);
    console.log(
      `codes: ${total} queued over ${windowS.toFixed(1)} s, ${codeLatencies.length} delivered, ${pending.size} not delivered within ${DRAIN_MS / 1000} s of the end, ${enqueueFailures} enqueue failures`,
    );
    const connectionsInWindow = smtpConnections.filter((t) => t >= start && t <= windowEnd).length;
    console.log(
      `SMTP connections opened: ${smtpConnections.length} in all, ${connectionsInWindow} during the code window`,
    );
    console.log(
      `bulk: ${bulkInWindow} of ${BULK} handed to SMTP during the code window (${(bulkInWindow / windowS).toFixed(1)}/s, limit ${SMTP_PER_SECOND}/s), ${bulkArrivals.length} by the end`,
    );
    console.log(
      `goal p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'} (${fmt(p99)} ms); goal p50 ≤ 3 × bare BullMQ (${fmt(3 * bareP50)} ms): ${p50 <= 3 * bareP50 ? 'met' : 'NOT met'} (${fmt(p50)} ms); bulk flowing: ${bulkInWindow > 0 ? 'yes' : 'NO'}`,
    );
    console.log(
      `bench event-loop delay over the code window (ms, p50 / p99 / max): producer and bare measurements ` +
        `${fmt(benchLoop.percentile(50) / 1e6)} / ${fmt(benchLoop.percentile(99) / 1e6)} / ${fmt(benchLoop.max / 1e6)}; ` +
        `sinks' thread ${fmt(sinksLoop.p50)} / ${fmt(sinksLoop.p99)} / ${fmt(sinksLoop.max)}`,
    );
    const cores = (ms) => fmt(ms / (windowEnd - start));
    console.log(
      `CPU in use over the code window, in cores of ${os.cpus().length}: the whole machine ${cores(windowCpu.machine)} ` +
        `(the service ${cores(windowCpu.service)}, the bench with its sinks ${cores(windowCpu.bench)}, ` +
        `the rest — PostgreSQL, Redis, NATS, anything else on the machine — ${cores(windowCpu.machine - windowCpu.service - windowCpu.bench)})`,
    );
    console.log(
      `service CPU: ${fmt(serviceCpuMs / 1000)} s for ${handedOver} messages handed over (codes and bulk), ${fmt(serviceCpuMs / handedOver)} ms per message`,
    );
    console.log(
      `service system calls per message: ${fmt((syscallsAtEnd.writes - syscallsAtStart.writes) / handedOver)} writes, ` +
        `${fmt((syscallsAtEnd.reads - syscallsAtStart.reads) / handedOver)} reads`,
    );
    const facts = outboxAtEnd.published - outboxAtStart.published;
    const passes = outboxAtEnd.passes - outboxAtStart.passes;
    console.log(
      `PostgreSQL: ${commitsInRun} transactions committed in the bench database from the window's start until the codes were in; ` +
        `outbox relay: ${facts} facts published in ${passes > 0 ? `${passes} passes (${fmt(facts / passes)} a pass)` : 'passes not counted by this build'}`,
    );
    // Where a code's time went, by the service's own histograms (means over the run, warm-up included).
    const metrics = await servicesMetrics();
    const mean = (name, label) => {
      let sum = 0;
      let count = 0;
      for (const line of metrics.split('\n')) {
        if (!line.includes(label)) {
          continue;
        }
        if (line.startsWith(`${name}_sum{`)) {
          sum += Number(line.split(' ').pop());
        } else if (line.startsWith(`${name}_count{`)) {
          count += Number(line.split(' ').pop());
        }
      }
      return count > 0 ? (sum / count) * 1000 : NaN;
    };
    const q2p = 'mamori_notification_queue_to_provider_seconds';
    const call = 'mamori_notification_send_duration_seconds';
    console.log(
      `service means (ms): queued → provider ${fmt(mean(q2p, 'queue="notification-email"'))} (e-mail codes), ` +
        `${fmt(mean(q2p, 'queue="notification-sms"'))} (SMS codes), ${fmt(mean(q2p, 'queue="notification-email-bulk"'))} (bulk); ` +
        `provider call ${fmt(mean(call, 'provider="smtp"'))} (SMTP), ${fmt(mean(call, 'provider="webhook"'))} (SMS webhook)`,
    );
    log(
      `load average at end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' ',
        )}; ${new Date().toISOString()}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    );
  } finally {
    await bareWorker.close().catch(() => undefined);
    await bareQueue.close().catch(() => undefined);
    bareConnections.forEach((connection) => connection.disconnect());
    await producer.onApplicationShutdown().catch(() => undefined);
    await Promise.all(services.map((service) => service.stop({ timeoutMs: 10_000 }).catch(() => undefined)));
    await sinks.stop().catch(() => undefined);
    await Promise.all([nats.stop(), redis.stop()]);
    await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    await infra.stop?.();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
