// bench/login: full password logins through the gateway (NATS, PostgreSQL, Redis, outbox included)
// against bare argon2id verifies at the same parameters, measured side by side in one run on this
// machine; and the latency of an unknown user ID against a known one (AUTH-3: neither the answer nor
// its timing may tell whether an ID exists).
//
//   npm run build && node bench/login.mjs [--rounds=3] [--requests=200] [--concurrency=4]
//
// It starts its own platform (private NATS and Redis, a fresh database on the local PostgreSQL,
// dropped at the end), so it can run beside `npm start`. Results go in bench/README.md.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { ManagedProcess, runCommand } from '../scripts/lib/managed-process.mjs';
import { natsUsers, newNatsPassword } from '../scripts/lib/nats-auth.mjs';
import { newSigningKeys } from '../scripts/lib/signing-keys.mjs';
import { benchArgs } from './support/args.mjs';

const require = createRequire(import.meta.url);
const { Algorithm, hash, verify } = require('@node-rs/argon2');

const args = benchArgs(['profile']);
/** `--profile=auth` (or gateway, audit…): that service runs with --cpu-prof into bench/profiles/. */
const PROFILE = args.profile;
const ROUNDS = args.rounds ?? 3;
const REQUESTS = args.requests ?? 200;
const CONCURRENCY = args.concurrency ?? 4;
const LATENCY_SAMPLES = 100;
const IDLE_SAMPLE_MS = 5000;
// The same parameters as apps/auth/src/password/password-hasher.ts (AUTH-2, OWASP).
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const SERVICES = ['auth', 'notification', 'case-management', 'audit'];

const log = (message) => console.log(`[bench] ${message}`);
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values) => percentile(values, 50);

/**
 * CPU time (ms) used so far by every process that takes part in a login, by label: each Mamori
 * service (by its command line), this script's own NATS and Redis (its children), the PostgreSQL
 * backends of the bench's database (`pgBackends`, looked up once the platform is up), and this
 * process (the HTTP client and the bare verifies). Other work on a shared machine is not counted.
 * Read from /proc, so Linux only; elsewhere it returns an empty map.
 */
function cpuSnapshot(pgBackends = new Set()) {
  const ticksPerMs = 100 / 1000; // CLK_TCK is 100 on Linux
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
      const ms = (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(fields[1]);
      let label;
      if (Number(pid) === process.pid) {
        label = 'bench client';
      } else if (pgBackends.has(Number(pid))) {
        label = 'postgresql';
      } else if (comm.startsWith('nats-server') && parent === process.pid) {
        label = 'nats';
      } else if (comm.startsWith('redis-server') && parent === process.pid) {
        label = 'redis';
      } else if (comm === 'node' || comm.startsWith('node')) {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const match = parent === process.pid && cmd.match(/dist\/apps\/([a-z-]+)\/src\/main\.js/);
        label = match ? match[1] : undefined;
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

function cpuDelta(before, after) {
  const delta = new Map();
  for (const [label, ms] of after) {
    delta.set(label, ms - (before.get(label) ?? 0));
  }
  return delta;
}

/** Runs `task(i)` `total` times with at most `concurrency` in flight; returns operations per second. */
async function throughput(total, concurrency, task) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        await task(next++);
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function post(url, body) {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

async function main() {
  const infra = await startInfra({ components: ['postgres'] });
  // The platform's NATS as in production: each process as its own user.
  const natsPasswords = Object.fromEntries(natsUsers().map((user) => [user, newNatsPassword()]));
  const asNatsUser = (user) => ({ NATS_USER: user, NATS_PASSWORD: natsPasswords[user] });
  const [nats, redis] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
  ]);
  const dbName = `mamori_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const children = [];
  try {
    const port = await getFreePort();
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: withDatabase(infra.postgresUrl, dbName),
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'bench',
      ACCESS_TOKEN_SIGNING_KEYS: newSigningKeys(),
      TOKEN_HMAC_SECRET: randomBytes(32).toString('base64'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
      HTTP_PORT: '0',
      PORT: String(port),
      // The gateway's credential limits would otherwise stop a load of logins from one address.
      RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: '1000000',
      RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: '1000000',
    };
    // NODE_ENV=production: the services wait for the migrate command, as in a deployment.
    const migrated = await runCommand(
      process.execPath,
      [path.join(PROJECT_ROOT, 'dist/apps/cli/src/main.js'), 'migrate'],
      { env: { ...env, ...asNatsUser('cli') }, stdio: 'ignore' },
    );
    if (migrated !== 0) {
      throw new Error(`migrate exited with ${migrated}`);
    }
    for (const service of [...SERVICES, 'gateway']) {
      const child = new ManagedProcess(
        service,
        process.execPath,
        [
          ...(PROFILE === service
            ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROJECT_ROOT, 'bench', 'profiles')}`]
            : []),
          path.join(PROJECT_ROOT, `dist/apps/${service}/src/main.js`),
        ],
        { env: { ...env, ...asNatsUser(service) } },
      );
      child.start();
      children.push(child);
    }
    const root = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${root}/health/ready?scope=platform`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) {
        break;
      }
      if (i > 900) {
        // A busy shared machine can take minutes to start six processes; say why if it never does.
        const tails = children.map((c) => `${c.name}: ${c.lines.slice(-5).join(' | ')}`).join('\n');
        throw new Error(`the platform did not become ready in 180 s\n${tails}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const api = `${root}/api/v1`;

    const password = `Qz7#${randomBytes(6).toString('hex')}!Wv`;
    const users = [];
    for (let i = 0; i < 1 + Math.ceil(LATENCY_SAMPLES / 4); i++) {
      const userId = `bench-${randomBytes(4).toString('hex')}`;
      const code = await runCommand(
        process.execPath,
        [
          path.join(PROJECT_ROOT, 'dist/apps/cli/src/main.js'),
          'operator:create',
          '--user-id',
          userId,
          '--email',
          `${userId}@bench.example`,
          '--password',
          password,
        ],
        { env: { ...env, ...asNatsUser('cli') }, stdio: 'ignore' },
      );
      if (code !== 0) {
        throw new Error(`operator:create exited with ${code}`);
      }
      users.push(userId);
    }
    const [known, ...wrongPool] = users;

    // Only the bench database's PostgreSQL backends are counted (the server is shared); looked up
    // again before the CPU round, when the services' pools have grown to the load.
    const pgBackends = new Set();
    const findBackends = async () => {
      const pg = new (require('pg').Client)({ connectionString: env.DATABASE_URL });
      await pg.connect();
      const backends = await pg.query(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
      await pg.end();
      for (const { pid } of backends.rows) {
        pgBackends.add(Number(pid));
      }
    };
    await findBackends();

    // Background CPU with nothing to do (pollers, heartbeats), so it is not mistaken for login work.
    const idleBefore = cpuSnapshot(pgBackends);
    await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
    const idleCpu = cpuDelta(idleBefore, cpuSnapshot(pgBackends));
    const storedHash = await hash(password, ARGON2);

    const login = async () => {
      const r = await post(`${api}/auth/login`, { userId: known, password });
      if (r.status !== 200) {
        throw new Error(`login answered ${r.status}`);
      }
    };
    const loadAtStart = os.loadavg()[0];
    log(`warming up (${CONCURRENCY} in flight)`);
    await throughput(40, CONCURRENCY, login);
    await throughput(40, CONCURRENCY, () => verify(storedHash, password));

    const loginRates = [];
    const verifyRates = [];
    for (let round = 1; round <= ROUNDS; round++) {
      verifyRates.push(await throughput(REQUESTS, CONCURRENCY, () => verify(storedHash, password)));
      loginRates.push(await throughput(REQUESTS, CONCURRENCY, login));
      log(
        `round ${round}: argon2id verify ${verifyRates.at(-1).toFixed(1)}/s, password login ${loginRates.at(-1).toFixed(1)}/s`,
      );
    }

    // Where the CPU of a login goes: every process's CPU time over one more round of logins, and
    // this process's over the same number of bare verifies, per operation. Other machines' servers
    // (a PostgreSQL shared with other work) would inflate their share: read it as an upper bound.
    await findBackends();
    const cpuBefore = cpuSnapshot(pgBackends);
    await throughput(REQUESTS, CONCURRENCY, login);
    const cpuLogins = cpuDelta(cpuBefore, cpuSnapshot(pgBackends));
    const verifyCpuBefore = process.cpuUsage();
    await throughput(REQUESTS, CONCURRENCY, () => verify(storedHash, password));
    const verifyCpu = process.cpuUsage(verifyCpuBefore);
    const verifyCpuMs = (verifyCpu.user + verifyCpu.system) / 1000 / REQUESTS;

    // Latency, one request at a time, the kinds interleaved so drift hits them alike.
    const knownRight = [];
    const knownWrong = [];
    const unknown = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      knownRight.push((await post(`${api}/auth/login`, { userId: known, password })).ms);
      // Four wrong passwords per known ID at most: a fifth would lock it (AUTH-3).
      const wrong = await post(`${api}/auth/login`, {
        userId: wrongPool[Math.floor(i / 4)],
        password: 'Wrong-Passw0rd!',
      });
      const missing = await post(`${api}/auth/login`, {
        userId: `nobody-${randomBytes(6).toString('hex')}`,
        password: 'Wrong-Passw0rd!',
      });
      if (wrong.status !== 401 || missing.status !== 401) {
        throw new Error(`expected 401 for wrong passwords, got ${wrong.status} and ${missing.status}`);
      }
      knownWrong.push(wrong.ms);
      unknown.push(missing.ms);
    }

    const loginRate = median(loginRates);
    const verifyRate = median(verifyRates);
    const p50 = { knownRight: median(knownRight), knownWrong: median(knownWrong), unknown: median(unknown) };
    console.log('');
    console.log(
      `machine: ${os.cpus().length} cores, node ${process.version}; ${CONCURRENCY} requests in flight; medians of ${ROUNDS} rounds of ${REQUESTS}`,
    );
    // The machine may be shared: its 1-minute load when measuring began and when it ended.
    console.log(
      `load average (1 min): ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end`,
    );
    console.log(`bare argon2id verifies per second      ${verifyRate.toFixed(1)}`);
    console.log(`password logins per second (gateway)   ${loginRate.toFixed(1)}`);
    console.log(
      `ratio logins / verifies                ${(loginRate / verifyRate).toFixed(2)}   (goal >= 0.65)`,
    );
    console.log(
      `login p50, known ID, right password    ${p50.knownRight.toFixed(1)} ms   (p95 ${percentile(knownRight, 95).toFixed(1)} ms)`,
    );
    console.log(`login p50, known ID, wrong password    ${p50.knownWrong.toFixed(1)} ms`);
    console.log(`login p50, unknown ID                  ${p50.unknown.toFixed(1)} ms`);
    console.log(
      `timing ratio unknown / known (wrong)   ${(p50.unknown / p50.knownWrong).toFixed(3)}   (goal 1.00 ± 0.05)`,
    );
    console.log(`timing ratio unknown / known (right)   ${(p50.unknown / p50.knownRight).toFixed(3)}`);
    if (cpuLogins.size > 0) {
      console.log('');
      console.log(`CPU per operation (ms): bare argon2id verify ${verifyCpuMs.toFixed(2)}`);
      const rows = [...cpuLogins].sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((sum, [, ms]) => sum + ms, 0) / REQUESTS;
      console.log(`CPU per password login (ms), all processes: ${total.toFixed(2)}`);
      // The one argon2id verify of a login runs in auth: the rest is what the path itself costs.
      console.log(
        `CPU per password login outside the hash (ms): ${(total - verifyCpuMs).toFixed(2)}   (goal <= 8); auth alone ${((cpuLogins.get('auth') ?? 0) / REQUESTS - verifyCpuMs).toFixed(2)}`,
      );
      for (const [label, ms] of rows) {
        const idlePerSecond = ((idleCpu.get(label) ?? 0) / IDLE_SAMPLE_MS) * 1000;
        console.log(
          `  ${label.padEnd(18)} ${(ms / REQUESTS).toFixed(2).padStart(6)}   (idle: ${idlePerSecond.toFixed(1)} ms CPU per second)`,
        );
      }
    }
  } finally {
    await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
    await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    await Promise.all([nats.stop(), redis.stop()]);
    await infra.stop();
  }
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
