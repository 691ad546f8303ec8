// bench/attachments: a 2 GiB attachment (CASE-6) streamed through the gateway (multipart parsing,
// SHA-256, type sniffing, size limit) into the local attachment store, against a plain `cp` of a
// file of the same size on the same disk, with the peak resident memory of the gateway and the case
// service while it streams.
//
//   npm run build && node bench/attachments.mjs [--mib=2048]
//
// It starts its own platform (private NATS and Redis, a fresh database on the local PostgreSQL,
// dropped at the end), so it can run beside `npm start`. Results go in bench/README.md.
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
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

const args = benchArgs();
const SIZE = (args.mib ?? 2048) * 1024 * 1024;
const CHUNK = 1024 * 1024;
const SERVICES = ['auth', 'notification', 'case-management'];

const log = (message) => console.log(`[bench] ${message}`);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** Resident memory (bytes) of a process now, from /proc (0 where there is none). */
function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Samples the resident memory of `pids` every 50 ms until stopped; answers each one's peak. */
function rssPeaks(pids) {
  const peaks = new Map(pids.map((pid) => [pid, rssOf(pid)]));
  const timer = setInterval(() => {
    for (const pid of pids) {
      peaks.set(pid, Math.max(peaks.get(pid), rssOf(pid)));
    }
  }, 50);
  return () => {
    clearInterval(timer);
    return peaks;
  };
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

/** Streams SIZE random bytes (made as they are sent) as the multipart `file`; answers the SHA-256 sent. */
function upload(url, token) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="capture.pcap"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + SIZE + tail.length),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            body: JSON.parse(Buffer.concat(chunks).toString()),
            sent: hash.digest('hex'),
          }),
        );
      },
    );
    req.on('error', reject);
    const send = async () => {
      const write = (chunk) => new Promise((done) => (req.write(chunk) ? done() : req.once('drain', done)));
      await write(head);
      for (let sent = 0; sent < SIZE; sent += CHUNK) {
        const piece = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, SIZE - sent)));
        hash.update(piece);
        await write(piece);
      }
      await write(tail);
      req.end();
    };
    send().catch(reject);
  });
}

async function main() {
  const infra = await startInfra({ components: ['postgres'] });
  const natsPasswords = Object.fromEntries(natsUsers().map((user) => [user, newNatsPassword()]));
  const asNatsUser = (user) => ({ NATS_USER: user, NATS_PASSWORD: natsPasswords[user] });
  const [nats, redisServer] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
  ]);
  const dbName = `mamori_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-bench-attachments-'));
  const children = [];
  const pids = new Map();
  try {
    const [port, metricsPort] = await Promise.all([getFreePort(), getFreePort()]);
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: withDatabase(infra.postgresUrl, dbName),
      NATS_URL: nats.url,
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: 'bench',
      ACCESS_TOKEN_SIGNING_KEYS: newSigningKeys(),
      TOKEN_HMAC_SECRET: randomBytes(32).toString('base64'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      HTTP_PORT: '0',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DEV_OUTBOX: 'true',
      ATTACHMENT_DIR: store,
      ATTACHMENT_MAX_BYTES: String(SIZE + 1),
      ATTACHMENT_SWEEP_INTERVAL_SECONDS: '0',
    };
    const launch = (name, script, extraEnv = {}) => {
      const child = new ManagedProcess(name, process.execPath, [script], { env: { ...env, ...extraEnv } });
      child.start();
      children.push(child);
      pids.set(name, child.child?.pid ?? child.pid);
      return child;
    };
    for (const service of SERVICES) {
      launch(service, path.join(PROJECT_ROOT, `dist/apps/${service}/src/main.js`), asNatsUser(service));
    }
    launch('gateway', path.join(PROJECT_ROOT, 'dist/apps/gateway/src/main.js'), asNatsUser('gateway'));
    const root = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (
        await fetch(`${root}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      ) {
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
    // The CLI asks auth over NATS; right after start auth may still be subscribing: a few tries.
    let code = 1;
    for (let attempt = 0; attempt < 3 && code !== 0; attempt++) {
      code = await runCommand(
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
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
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
    const token = (
      await request(`${api}/auth/login/${flowId}/verify`, {
        method: 'POST',
        body: { method: 'email', code: securityCode },
      })
    ).body.accessToken;
    if (!token) {
      throw new Error('the operator could not log in');
    }

    // A tenant with a contracted service and an operator's case to attach to.
    const tenant = `B${randomBytes(4).toString('hex').toUpperCase()}`;
    const steps = [
      ['/ops/tenants', { number: tenant, name: 'Bench Corporation' }],
      ['/ops/services', { code: 'bench', name: { ja: 'ベンチ', en: 'Bench' } }],
      [`/ops/tenants/${tenant}/contracts`, { service: 'bench', startDate: '2026-04-01' }],
      [
        '/ops/cases',
        { tenant, service: 'bench', category: 'fault', subject: 'Capture', description: '<p>x</p>' },
      ],
    ];
    let number;
    for (const [route, body] of steps) {
      const answer = await request(`${api}${route}`, { method: 'POST', token, body });
      if (answer.status !== 201) {
        throw new Error(`POST ${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
      number = answer.body.number;
    }

    log(`uploading ${mib(SIZE)} MiB through the gateway`);
    const stop = rssPeaks([pids.get('gateway'), pids.get('case-management')]);
    const before = { gateway: rssOf(pids.get('gateway')), cases: rssOf(pids.get('case-management')) };
    const started = performance.now();
    const uploaded = await upload(`${api}/ops/cases/${number}/attachments`, token);
    const uploadSeconds = (performance.now() - started) / 1000;
    const peaks = stop();
    if (uploaded.status !== 201 || uploaded.body.sha256 !== uploaded.sent) {
      throw new Error(`upload answered ${uploaded.status}: ${JSON.stringify(uploaded.body)}`);
    }

    // The same number of bytes copied by `cp` on the same disk (the file written first, not timed).
    const source = path.join(store, 'cp-source');
    const target = path.join(store, 'cp-target');
    await pipeline(
      (async function* () {
        for (let sent = 0; sent < SIZE; sent += CHUNK) {
          yield randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, SIZE - sent)));
        }
      })(),
      fs.createWriteStream(source),
    );
    const cpStarted = performance.now();
    if ((await runCommand('cp', [source, target], { stdio: 'ignore' })) !== 0) {
      throw new Error('cp failed');
    }
    const cpSeconds = (performance.now() - cpStarted) / 1000;

    const rate = (seconds) => (SIZE / 1024 / 1024 / seconds).toFixed(0);
    console.log('');
    console.log(`| ${mib(SIZE)} MiB | time | MiB/s | peak RSS (before) |`);
    console.log('| --- | --- | --- | --- |');
    console.log(
      `| through the gateway into the local store | ${uploadSeconds.toFixed(1)} s | ${rate(uploadSeconds)} | ` +
        `gateway ${mib(peaks.get(pids.get('gateway')))} MiB (${mib(before.gateway)}), ` +
        `case-management ${mib(peaks.get(pids.get('case-management')))} MiB (${mib(before.cases)}) |`,
    );
    console.log(`| \`cp\` of a file of the same size | ${cpSeconds.toFixed(1)} s | ${rate(cpSeconds)} | — |`);
    console.log(`\nSHA-256 sent = stored: ${uploaded.sent === uploaded.body.sha256}`);
  } finally {
    await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
    await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    await Promise.all([nats.stop(), redisServer.stop()]);
    await infra.stop();
    fs.rmSync(store, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
