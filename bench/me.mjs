// bench/me: an authenticated `GET /api/v1/me` through the gateway (access token check, revocation
// mark, rate-limit counters, NATS hop, auth service, PostgreSQL) against a bare handler of the same
// framework (NestJS on Express, one route, a fixed body), measured side by side in one run on this
// machine; and where the time of one call goes.
//
//   npm run build && node bench/me.mjs [--rounds=3] [--requests=2000] [--concurrency=8]
//   node bench/me.mjs --profile=gateway     # also writes a V8 CPU profile of that process to bench/profiles/
//
// It starts its own platform (private NATS and Redis, a fresh database on the local PostgreSQL,
// dropped at the end), so it can run beside `npm start`. Results go in bench/README.md.
import { createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
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
import { ManagedProcess, runCommand } from '../scripts/lib/managed-process.mjs';
import { natsUsers, newNatsPassword } from '../scripts/lib/nats-auth.mjs';
import { newSigningKeys } from '../scripts/lib/signing-keys.mjs';
import { benchArgs } from './support/args.mjs';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');
const Redis = require('ioredis');

const args = benchArgs(['profile']);
const PROFILE = args.profile;
const ROUNDS = args.rounds ?? 3;
const REQUESTS = args.requests ?? 2000;
const CONCURRENCY = args.concurrency ?? 8;
const LATENCY_SAMPLES = 400;
const SERVICES = ['auth', 'notification', 'case-management', 'audit'];

const log = (message) => console.log(`[bench] ${message}`);
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values) => percentile(values, 50);

/**
 * CPU time (ms) so far of every process taking part, by label (Linux /proc; empty elsewhere): the
 * processes this script started (its NATS and Redis are its children) and the PostgreSQL backends of
 * its database (`labels` has their pids), so other work on a shared machine is not counted.
 */
function cpuSnapshot(labels) {
  const totals = new Map();
  let entries = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return totals;
  }
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10; // CLK_TCK is 100 on Linux
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(fields[1]);
      let label = labels.get(Number(pid));
      if (Number(pid) === process.pid) {
        label = 'bench client';
      } else if (comm.startsWith('nats-server') && parent === process.pid) {
        label = 'nats';
      } else if (comm.startsWith('redis-server') && parent === process.pid) {
        label = 'redis';
      }
      if (label) {
        totals.set(label, (totals.get(label) ?? 0) + ms);
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return totals;
}

const cpuDelta = (before, after) => new Map([...after].map(([k, ms]) => [k, ms - (before.get(k) ?? 0)]));

/** Runs `task()` `total` times with `concurrency` in flight; returns operations per second. */
async function throughput(total, concurrency, task) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        await task();
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function request(url, { method = 'GET', token, body } = {}) {
  const headers = {};
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text,
  };
}

/** `sum` and `count` of a Prometheus histogram's series whose labels contain `match`. */
async function histogram(url, name, match) {
  const text = await (await fetch(url)).text();
  const read = (suffix) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}_${suffix}{`) && match.every((m) => line.includes(m)))
      .reduce((total, line) => total + Number(line.split(' ').pop()), 0);
  return { sum: read('sum'), count: read('count') };
}

/** Mean in ms of one operation from a (before, after) pair of histogram readings. */
const meanMs = (before, after) => ((after.sum - before.sum) / Math.max(1, after.count - before.count)) * 1000;

/** p50 of `task`'s own duration (ms), one at a time. */
async function latency(samples, task) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function main() {
  const infra = await startInfra({ components: ['postgres'] });
  // The platform's own NATS users, as npm start runs them: each process connects as itself.
  const natsPasswords = Object.fromEntries(natsUsers().map((user) => [user, newNatsPassword()]));
  const asNatsUser = (user) => ({ NATS_USER: user, NATS_PASSWORD: natsPasswords[user] });
  const [nats, redisServer] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
  ]);
  const dbName = `mamori_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const children = [];
  const labels = new Map();
  const redis = new Redis(redisServer.url);
  try {
    const [port, metricsPort, authPort, barePort] = await Promise.all([
      getFreePort(),
      getFreePort(),
      getFreePort(),
      getFreePort(),
    ]);
    const signingKeys = newSigningKeys();
    // The JWK without its private part `d`: what the bare server verifies with.
    const publicJwk = { ...JSON.parse(signingKeys)[0] };
    delete publicJwk.d;
    const env = {
      ...process.env,
      // Not production: the operator's login code is read from the development outbox.
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: withDatabase(infra.postgresUrl, dbName),
      NATS_URL: nats.url,
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: 'bench',
      ACCESS_TOKEN_SIGNING_KEYS: signingKeys,
      TOKEN_HMAC_SECRET: randomBytes(32).toString('base64'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      HTTP_PORT: '0',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DEV_OUTBOX: 'true',
      // The counters run on every call; they are set high so that one client's load is never refused.
      RATE_LIMIT_SESSION_PER_MINUTE: '100000000',
      RATE_LIMIT_USER_PER_MINUTE: '100000000',
    };
    const launch = (name, script, extraEnv = {}, onLine = undefined) => {
      const child = new ManagedProcess(
        name,
        process.execPath,
        [
          ...(PROFILE === name
            ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROJECT_ROOT, 'bench', 'profiles')}`]
            : []),
          script,
        ],
        { env: { ...env, ...extraEnv }, onLine },
      );
      child.start();
      children.push(child);
      labels.set(child.child?.pid ?? child.pid, name);
      return child;
    };
    for (const service of SERVICES) {
      launch(service, path.join(PROJECT_ROOT, `dist/apps/${service}/src/main.js`), {
        ...asNatsUser(service),
        ...(service === 'auth' ? { HTTP_PORT: String(authPort) } : {}),
      });
    }
    launch('gateway', path.join(PROJECT_ROOT, 'dist/apps/gateway/src/main.js'), asNatsUser('gateway'));
    const root = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${root}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) {
        break;
      }
      if (i > 300) {
        throw new Error('the platform did not become ready in 60 s');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const api = `${root}/api/v1`;

    // An operator, logged in as a person would: password, code by e-mail from the dev outbox.
    const userId = `bench-${randomBytes(4).toString('hex')}`;
    const email = `${userId}@bench.example`;
    const password = `Qz7#${randomBytes(6).toString('hex')}!Wv`;
    const code = await runCommand(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'dist/apps/cli/src/main.js'),
        'operator:create',
        '--user-id',
        userId,
        '--email',
        email,
        '--password',
        password,
      ],
      { env: { ...env, ...asNatsUser('cli') }, stdio: 'ignore' },
    );
    if (code !== 0) {
      throw new Error(`operator:create exited with ${code}`);
    }
    const first = await request(`${api}/auth/login`, { method: 'POST', body: { userId, password } });
    const flowId = first.body.flowId;
    await request(`${api}/auth/login/${flowId}/challenge`, { method: 'POST', body: { method: 'email' } });
    let securityCode;
    for (let i = 0; i < 100 && !securityCode; i++) {
      const outbox = await request(`${api}/dev/outbox`);
      securityCode = (Array.isArray(outbox.body) ? outbox.body : [])
        .find((m) => [m.to].flat().includes(email))
        ?.body.match(/(?<!\d)\d{6}(?!\d)/)?.[0];
      if (!securityCode) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const verified = await request(`${api}/auth/login/${flowId}/verify`, {
      method: 'POST',
      body: { method: 'email', code: securityCode },
    });
    const token = verified.body.accessToken;
    if (!token) {
      const outbox = await request(`${api}/dev/outbox`);
      throw new Error(
        `login failed: ${JSON.stringify(verified.body)}; outbox ${JSON.stringify(outbox).slice(0, 500)}; first ${JSON.stringify(first.body)}`,
      );
    }
    const me = await request(`${api}/me`, { token });
    if (me.status !== 200) {
      throw new Error(`GET /me answered ${me.status}`);
    }

    // The bare handler answers the same body.
    let bareUrl;
    const bare = launch('bare handler', path.join(PROJECT_ROOT, 'bench/support/bare-server.mjs'), {
      PORT: String(barePort),
      BARE_BODY: JSON.stringify(me.body),
    });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`http://127.0.0.1:${barePort}/api/v1/me`).then(
          (r) => r.ok,
          () => false,
        )
      ) {
        bareUrl = `http://127.0.0.1:${barePort}/api/v1/me`;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!bareUrl) {
      throw new Error(`the bare handler did not start: ${bare.tail(5).join(' / ')}`);
    }

    const throughGateway = async () => {
      const r = await request(`${api}/me`, { token });
      if (r.status !== 200) {
        throw new Error(`GET /me answered ${r.status}`);
      }
    };
    const bareCall = async () => {
      const r = await request(bareUrl);
      if (r.status !== 200) {
        throw new Error(`bare handler answered ${r.status}`);
      }
    };

    log(`warming up (${CONCURRENCY} in flight)`);
    await throughput(500, CONCURRENCY, throughGateway);
    await throughput(500, CONCURRENCY, bareCall);

    const gatewayRates = [];
    const bareRates = [];
    for (let round = 1; round <= ROUNDS; round++) {
      bareRates.push(await throughput(REQUESTS, CONCURRENCY, bareCall));
      gatewayRates.push(await throughput(REQUESTS, CONCURRENCY, throughGateway));
      log(
        `round ${round}: bare ${bareRates.at(-1).toFixed(0)}/s, gateway ${gatewayRates.at(-1).toFixed(0)}/s`,
      );
    }

    // CPU per call by process, under the same load.
    const pg = new (require('pg').Client)({ connectionString: env.DATABASE_URL });
    await pg.connect();
    const backends = await pg.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [dbName],
    );
    await pg.end();
    for (const { pid } of backends.rows) {
      labels.set(Number(pid), 'postgresql');
    }
    const cpuBefore = cpuSnapshot(labels);
    await throughput(REQUESTS, CONCURRENCY, throughGateway);
    const cpuGateway = cpuDelta(cpuBefore, cpuSnapshot(labels));
    const bareBefore = cpuSnapshot(labels);
    await throughput(REQUESTS, CONCURRENCY, bareCall);
    const cpuBare = cpuDelta(bareBefore, cpuSnapshot(labels));

    // Where the time of one call goes, one call at a time.
    const gatewayMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
    const authMetrics = `http://127.0.0.1:${authPort}/metrics`;
    const meRoute = ['route="/api/v1/me"', 'status="200"'];
    const meSubject = ['subject="auth.me.get"'];
    const [gwBefore, authBefore] = [
      await histogram(gatewayMetrics, 'mamori_http_request_duration_seconds', meRoute),
      await histogram(authMetrics, 'mamori_rpc_duration_seconds', meSubject),
    ];
    const meP50 = await latency(LATENCY_SAMPLES, throughGateway);
    const [gwAfter, authAfter] = [
      await histogram(gatewayMetrics, 'mamori_http_request_duration_seconds', meRoute),
      await histogram(authMetrics, 'mamori_rpc_duration_seconds', meSubject),
    ];
    const bareP50 = await latency(LATENCY_SAMPLES, bareCall);
    const healthP50 = await latency(LATENCY_SAMPLES, () => request(`${root}/health`));
    const { sid } = jwt.decode(token);
    // The ES256 verify with the public key made from its JWK on every call, and made once.
    const verifyP50 = await latency(2000, async () =>
      jwt.verify(token, createPublicKey({ key: publicJwk, format: 'jwk' }), { algorithms: ['ES256'] }),
    );
    const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' });
    const verifyKeyObjectP50 = await latency(2000, async () =>
      jwt.verify(token, publicKey, { algorithms: ['ES256'] }),
    );
    const revokedP50 = await latency(LATENCY_SAMPLES, () => redis.exists(`bench:session:revoked:${sid}`));
    const { SlidingWindowLimiter } = require(
      path.join(PROJECT_ROOT, 'dist/apps/gateway/src/rate-limit/sliding-window.limiter.js'),
    );
    const limiter = new SlidingWindowLimiter(redis, { REDIS_PREFIX: 'bench' }, { now: () => new Date() });
    const counters = [
      { key: `session:${sid}-probe`, limit: 1e8, scope: 'session' },
      { key: `user:${sid}-probe`, limit: 1e8, scope: 'user' },
    ];
    const countersP50 = await latency(LATENCY_SAMPLES, () => limiter.consume(counters));

    const gatewayRate = median(gatewayRates);
    const bareRate = median(bareRates);
    const cores = os.cpus().length;
    console.log('');
    console.log(
      `machine: ${cores} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}; ${CONCURRENCY} in flight; medians of ${ROUNDS} rounds of ${REQUESTS}`,
    );
    console.log(`bare handler, requests per second        ${bareRate.toFixed(0)}`);
    console.log(`GET /me through the gateway, per second  ${gatewayRate.toFixed(0)}`);
    console.log(
      `ratio gateway / bare                     ${(gatewayRate / bareRate).toFixed(2)}   (goal >= 0.50)`,
    );
    console.log('');
    console.log('one call at a time (ms):');
    console.log(`  bare handler p50                       ${bareP50.toFixed(2)}`);
    console.log(`  gateway GET /health p50 (no token, one counter, no NATS)  ${healthP50.toFixed(2)}`);
    console.log(`  gateway GET /me p50                    ${meP50.toFixed(2)}`);
    console.log(`    gateway, request in to answer out (mean)  ${meanMs(gwBefore, gwAfter).toFixed(2)}`);
    console.log(`    auth handler incl. database (mean)        ${meanMs(authBefore, authAfter).toFixed(2)}`);
    console.log(`    access token verify (ES256, CPU, p50)     ${verifyP50.toFixed(3)}`);
    console.log(`      the same with the key made once         ${verifyKeyObjectP50.toFixed(3)}`);
    console.log(`    revocation check, Redis EXISTS (p50)      ${revokedP50.toFixed(3)}`);
    console.log(`    rate-limit counters, one EVAL (p50)       ${countersP50.toFixed(3)}`);
    if (cpuGateway.size > 0) {
      console.log('');
      console.log('CPU per call by process (ms):');
      const rows = [...cpuGateway].filter(([label]) => label !== 'bare handler').sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((sum, [, ms]) => sum + ms, 0) / REQUESTS;
      console.log(`  all processes, GET /me through the gateway   ${total.toFixed(3)}`);
      for (const [label, ms] of rows) {
        console.log(`    ${label.padEnd(18)} ${(ms / REQUESTS).toFixed(3).padStart(7)}`);
      }
      const bareTotal = ((cpuBare.get('bare handler') ?? 0) + (cpuBare.get('bench client') ?? 0)) / REQUESTS;
      console.log(
        `  bare handler ${((cpuBare.get('bare handler') ?? 0) / REQUESTS).toFixed(3)}, its client ${((cpuBare.get('bench client') ?? 0) / REQUESTS).toFixed(3)}, together ${bareTotal.toFixed(3)}`,
      );
    }
  } finally {
    redis.disconnect();
    await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
    await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    await Promise.all([nats.stop(), redisServer.stop()]);
    await infra.stop();
  }
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
