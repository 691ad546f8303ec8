// bench/notification: security codes from enqueue to the provider's hands while a bulk announcement
// drains (NOTIF-1), side by side with a bare Redis round trip and a bare BullMQ add→process measured
// in the same run on this machine.
//
//   npm run bench:notification            # builds first; or: node bench/notification.mjs
//   node bench/notification.mjs --rate=200 --seconds=60 --bulk=10000 --smtp-per-second=100
//
// It starts its own NATS and Redis, a fresh database on the local PostgreSQL (dropped at the end), the
// notification service from dist/, a local SMTP sink and a local SMS HTTP server. Codes are queued
// through the real NotificationProducer (half e-mail, half SMS, each in a live slot of its own as auth
// queues them); a code's latency runs from just before `enqueue` to the moment the sink has the whole
// message (SMTP end of DATA, or the SMS webhook's request body). Results go in bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
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

const require = createRequire(import.meta.url);
const { SMTPServer } = require('smtp-server');
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');
const { NotificationProducer } = require(path.join(PROJECT_ROOT, 'dist/libs/messaging/src/index.js'));
const { createLogger } = require(path.join(PROJECT_ROOT, 'dist/libs/observability/src/index.js'));

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, Number(v)]),
);
const RATE = args.rate ?? 200;
const SECONDS = args.seconds ?? 60;
const BULK = args.bulk ?? 10_000;
const SMTP_PER_SECOND = args['smtp-per-second'] ?? 100;
const CONCURRENCY = args.concurrency ?? 20;
const SMTP_POOL = args['smtp-pool'] ?? 5;
/** Bare measurements per second, spread over the same run. */
const BARE_RATE = 20;
const DRAIN_MS = 30_000;
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
/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
const cpuMs = (pid) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
};

/** Enqueue start by message id; the sinks turn it into a latency when the message arrives. */
const pending = new Map();
const codeLatencies = [];
const bulkIds = new Set();
const bulkArrivals = [];

function arrived(messageId) {
  const at = performance.now();
  const started = pending.get(messageId);
  if (started !== undefined) {
    pending.delete(messageId);
    codeLatencies.push(at - started);
  } else if (bulkIds.has(messageId)) {
    bulkArrivals.push(at);
  }
}

/** An SMTP server that only reads the X-Mamori-Message-Id header of what it is handed. */
async function startSmtpSink() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    size: 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 16_384) {
          head += chunk.toString('latin1');
        }
      });
      stream.on('end', () => {
        const id = /^X-Mamori-Message-Id:\s*(\S+)/im.exec(head)?.[1];
        if (id) {
          arrived(id);
        }
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/** The SMS webhook: `{messageId, to, body}` per number, answered 200. */
async function startSmsServer() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        arrived(JSON.parse(body).messageId);
      } catch {
        // Not ours.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/sms`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

function codeJob(i) {
  const channel = i % 2 === 0 ? 'email' : 'sms';
  const messageId = randomUUID();
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
  const [nats, redis, smtp, sms] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
    startSmtpSink(),
    startSmsServer(),
  ]);
  const dbName = `mamori_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const httpPort = await getFreePort();
  const service = new ManagedProcess(
    'notification',
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
        SMTP_URL: smtp.url,
        SMTP_REQUIRE_TLS: 'false',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: sms.url,
        SMTP_MAX_PER_SECOND: String(SMTP_PER_SECOND),
        WORKER_CONCURRENCY: String(CONCURRENCY),
        SMTP_POOL_CONNECTIONS: String(SMTP_POOL),
        RECIPIENT_HASH_SECRET: randomBytes(32).toString('base64'),
      },
    },
  );
  const producer = new NotificationProducer(
    { REDIS_URL: redis.url, REDIS_PREFIX: PREFIX },
    createLogger('bench', 'warn'),
  );
  const bareRedis = new IORedis(redis.url, { maxRetriesPerRequest: null });
  bareRedis.on('error', () => undefined);
  const bareConnection = new IORedis(redis.url, { maxRetriesPerRequest: null });
  const bareQueue = new Queue('bench-bare', { connection: bareConnection, prefix: PREFIX });
  const bareStarted = new Map();
  const bareLatencies = [];
  const bareWorker = new Worker(
    'bench-bare',
    async (job) => {
      const started = bareStarted.get(job.id);
      if (started !== undefined) {
        bareLatencies.push(performance.now() - started);
      }
    },
    {
      connection: new IORedis(redis.url, { maxRetriesPerRequest: null }),
      prefix: PREFIX,
      concurrency: 1,
      removeOnComplete: { count: 0 },
    },
  );
  const redisLatencies = [];
  try {
    service.start();
    // Ready once its workers take jobs: a warm-up code must come through.
    const warmUpUntil = Date.now() + 60_000;
    for (let i = 0; ; i++) {
      const job = codeJob(i);
      pending.set(job.data.messageId, performance.now());
      await producer.enqueue(job, 'code');
      await sleep(500);
      if (!pending.has(job.data.messageId)) {
        break;
      }
      if (Date.now() > warmUpUntil) {
        throw new Error(
          `the notification service did not deliver a code in 60 s:\n${service.lines.slice(-20).join('\n')}`,
        );
      }
    }
    for (let i = 0; i < 50; i++) {
      const job = codeJob(i);
      pending.set(job.data.messageId, performance.now());
      await producer.enqueue(job, 'code');
      await sleep(20);
    }
    await sleep(1000);
    pending.clear();
    codeLatencies.length = 0;

    log(`queuing ${BULK} bulk mails (enqueueBulk), then ${RATE} codes/s for ${SECONDS} s`);
    const bulkQueuedAt = performance.now();
    await producer.enqueueBulk(Array.from({ length: BULK }, (_, i) => bulkJob(i)));
    log(`bulk queued in ${(performance.now() - bulkQueuedAt).toFixed(0)} ms`);

    const start = performance.now();
    const cpuAtStart = cpuMs(service.pid);
    const total = RATE * SECONDS;
    const bareEvery = Math.max(1, Math.round(RATE / BARE_RATE));
    const inFlight = [];
    let enqueueFailures = 0;
    for (let i = 0; i < total; i++) {
      await sleep(start + (i * 1000) / RATE - performance.now());
      const job = codeJob(i + 1_000);
      pending.set(job.data.messageId, performance.now());
      inFlight.push(
        producer.enqueue(job, 'code').catch(() => {
          enqueueFailures += 1;
          pending.delete(job.data.messageId);
        }),
      );
      if (i % bareEvery === 0) {
        const id = randomUUID();
        bareStarted.set(id, performance.now());
        inFlight.push(bareQueue.add('bare', { i }, { jobId: id, removeOnComplete: true }));
        const pingStarted = performance.now();
        inFlight.push(bareRedis.ping().then(() => redisLatencies.push(performance.now() - pingStarted)));
      }
    }
    await Promise.all(inFlight);
    const windowEnd = performance.now();
    const bulkInWindow = bulkArrivals.filter((t) => t >= start && t <= windowEnd).length;
    const drainUntil = Date.now() + DRAIN_MS;
    while (pending.size > 0 && Date.now() < drainUntil) {
      await sleep(100);
    }
    const windowS = (windowEnd - start) / 1000;
    // The service's CPU per message it handed over, codes and bulk, from the window's start until the
    // codes are in (or the drain gives up): a figure the machine's load changes much less than latency.
    const serviceCpuMs = cpuMs(service.pid) - cpuAtStart;
    const handedOver = codeLatencies.length + bulkArrivals.filter((t) => t >= start).length;

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
    const p50 = percentile(codeLatencies, 50);
    const p99 = percentile(codeLatencies, 99);
    const bareP50 = percentile(bareLatencies, 50);
    console.log(
      `codes: ${total} queued over ${windowS.toFixed(1)} s, ${codeLatencies.length} delivered, ${pending.size} not delivered within ${DRAIN_MS / 1000} s of the end, ${enqueueFailures} enqueue failures`,
    );
    console.log(
      `bulk: ${bulkInWindow} of ${BULK} handed to SMTP during the code window (${(bulkInWindow / windowS).toFixed(1)}/s, limit ${SMTP_PER_SECOND}/s), ${bulkArrivals.length} by the end`,
    );
    console.log(
      `goal p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'} (${fmt(p99)} ms); goal p50 ≤ 3 × bare BullMQ (${fmt(3 * bareP50)} ms): ${p50 <= 3 * bareP50 ? 'met' : 'NOT met'} (${fmt(p50)} ms); bulk flowing: ${bulkInWindow > 0 ? 'yes' : 'NO'}`,
    );
    console.log(
      `service CPU: ${fmt(serviceCpuMs / 1000)} s for ${handedOver} messages handed over (codes and bulk), ${fmt(serviceCpuMs / handedOver)} ms per message`,
    );
    // Where a code's time went, by the service's own histograms (means over the run, warm-up included).
    const metrics = await fetch(`http://127.0.0.1:${httpPort}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
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
    bareConnection.disconnect();
    bareRedis.disconnect();
    await producer.onApplicationShutdown().catch(() => undefined);
    await service.stop({ timeoutMs: 10_000 }).catch(() => undefined);
    await Promise.all([smtp.stop(), sms.stop()]);
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
