// `npm start`: the whole platform on this machine, in one command (SPEC OPS-2).
//
// Builds when needed, brings PostgreSQL/Redis/NATS up (infra.mjs), creates the database, keeps dev
// secrets in .mamori/secrets.json, starts auth, notification, case-management and audit, waits until
// each is ready, then the gateway. Ctrl-C (or SIGTERM) stops the services, then the infrastructure
// this script started. If a service dies, everything stops and the exit code is non-zero.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  databaseName,
  ensureAuditRuntimeRole,
  ensureDatabase,
  PROJECT_ROOT,
  probePort,
  STATE_DIR,
  startInfra,
  withDatabase,
} from './infra.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { createLinePrinter } from './lib/log-format.mjs';
import { ManagedProcess } from './lib/managed-process.mjs';

const BACKEND = [
  { name: 'auth', port: 3001 },
  { name: 'notification', port: 3002 },
  { name: 'case-management', port: 3003 },
  { name: 'audit', port: 3004 },
];
const GATEWAY = 'gateway';
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

const entryOf = (name) => ({
  source: `apps/${name}/src/main.ts`,
  output: `dist/apps/${name}/src/main.js`,
});

const say = (message) => console.log(`[start] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** JWT_SECRET, TOKEN_HMAC_SECRET and DATA_ENCRYPTION_KEY: from the environment, else generated once into .mamori/secrets.json. */
function loadSecrets() {
  const file = path.join(STATE_DIR, 'secrets.json');
  let stored = {};
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  let changed = false;
  for (const name of [
    'JWT_SECRET',
    'TOKEN_HMAC_SECRET',
    'DATA_ENCRYPTION_KEY',
    'AUDIT_DB_PASSWORD',
    'AUDIT_SIGNING_KEY',
  ]) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(STATE_DIR, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    say(`generated development secrets in ${path.relative(PROJECT_ROOT, file)}`);
  }
  fs.chmodSync(file, 0o600);
  return {
    JWT_SECRET: process.env.JWT_SECRET || stored.JWT_SECRET,
    TOKEN_HMAC_SECRET: process.env.TOKEN_HMAC_SECRET || stored.TOKEN_HMAC_SECRET,
    DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY || stored.DATA_ENCRYPTION_KEY,
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY || stored.AUDIT_SIGNING_KEY,
    // Not an environment variable of any service: the password of the audit runtime role below.
    auditDbPassword: stored.AUDIT_DB_PASSWORD,
  };
}

/** Where a running `npm start` says who it is and which servers it uses (read by `npm run cli`). */
const RUNNING_FILE = path.join(STATE_DIR, 'running.json');

/** One `npm start` per checkout: a second one would join the same NATS queue groups. */
function takeLock() {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  if (fs.existsSync(RUNNING_FILE)) {
    let pid;
    try {
      pid = JSON.parse(fs.readFileSync(RUNNING_FILE, 'utf8')).pid;
    } catch {
      pid = undefined;
    }
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) {
      throw new Error(`npm start is already running in this checkout (pid ${pid}); stop it first`);
    }
  }
  const write = (extra) =>
    fs.writeFileSync(RUNNING_FILE, `${JSON.stringify({ pid: process.pid, ...extra }, null, 2)}\n`, {
      mode: 0o600,
    });
  write({});
  return {
    update: write,
    release: () => {
      try {
        if (JSON.parse(fs.readFileSync(RUNNING_FILE, 'utf8')).pid === process.pid) {
          fs.rmSync(RUNNING_FILE);
        }
      } catch {
        // already gone
      }
    },
  };
}

async function httpOk(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function main() {
  const startedAt = Date.now();
  let lock;
  try {
    lock = takeLock();
  } catch (error) {
    console.error(`[start] ${error.message}`);
    process.exit(1);
  }
  const children = [];
  let infra;
  let infraPending;
  let shuttingDown = false;
  let exitCode = 0;

  const shutdown = async (code, reason) => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    exitCode = code;
    if (reason) {
      (code === 0 ? say : (m) => console.error(`[start] ${m}`))(reason);
    }
    // The gateway first (no new requests), then the services, then what they depend on.
    const gateway = children.filter((child) => child.name === GATEWAY);
    const services = children.filter((child) => child.name !== GATEWAY);
    for (const group of [gateway, services]) {
      await Promise.all(group.map((child) => child.stop({ signal: 'SIGTERM', timeoutMs: STOP_TIMEOUT_MS })));
    }
    if (children.length > 0) {
      say('services stopped');
    }
    if (!infra && infraPending) {
      // Interrupted while the servers were starting: let them finish, then stop them properly.
      infra = await infraPending.catch(() => undefined);
    }
    if (infra) {
      await infra.stop();
    }
    lock.release();
    say(code === 0 ? 'stopped cleanly' : 'stopped');
    process.exit(code);
  };

  let interrupts = 0;
  const onSignal = (signal) => {
    interrupts += 1;
    if (interrupts > 1) {
      // Second Ctrl-C: the user does not want to wait.
      console.error('[start] stopping now');
      for (const child of children) {
        child.killNow('SIGKILL');
      }
      lock.release();
      process.exit(130);
    }
    void shutdown(0, `${signal}: stopping (Ctrl-C again to kill at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // `kill <pid of npm>` (a process manager, `timeout npm start`) signals npm alone: npm passes the
  // signal to its `sh -c`, which dies without passing it on, and this script would go on running
  // with every service and server it started. When our parent goes away we are re-parented (the
  // ppid changes): stop as for Ctrl-C.
  const parentPid = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parentPid) {
      clearInterval(orphanCheck);
      void shutdown(0, `parent process ${parentPid} went away: stopping`);
    }
  }, 1000);
  orphanCheck.unref();

  try {
    // 1. Build.
    await ensureBuilt(PROJECT_ROOT, [...BACKEND.map((s) => entryOf(s.name)), entryOf(GATEWAY)], { log: say });
    if (shuttingDown) {
      return;
    }

    // 2. Infrastructure and the database.
    infraPending = startInfra({ log: (m) => console.log(`[infra] ${m}`) });
    infra = await infraPending;
    if (shuttingDown) {
      return;
    }
    const databaseUrl = process.env.DATABASE_URL || withDatabase(infra.postgresUrl, 'mamori');
    await ensureDatabase(databaseUrl, databaseName(databaseUrl));
    const { auditDbPassword, ...secrets } = loadSecrets();
    // AUDIT-3: the audit service runs as a role that may only INSERT and SELECT its trail; the
    // schema owner (DATABASE_URL) runs the migrations. An operator's own role wins.
    let auditDatabaseUrl = process.env.AUDIT_DATABASE_URL;
    if (!auditDatabaseUrl) {
      try {
        auditDatabaseUrl = await ensureAuditRuntimeRole(databaseUrl, 'mamori_audit', auditDbPassword);
      } catch (error) {
        // A DATABASE_URL role without CREATEROLE: the platform still starts, audit as the owner.
        say(`WARNING: cannot create the audit runtime role (${error.message}); audit runs as DATABASE_URL`);
      }
    }
    const sharedEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ...(auditDatabaseUrl ? { AUDIT_DATABASE_URL: auditDatabaseUrl } : {}),
      REDIS_URL: infra.redisUrl,
      NATS_URL: infra.natsUrl,
      ...secrets,
    };
    // For `npm run cli`, which only needs NATS (the file is private to this user all the same).
    lock.update({ NATS_URL: infra.natsUrl });
    say(
      `infrastructure: PostgreSQL ${infra.sources.postgres}, Redis ${infra.sources.redis}, NATS ${infra.sources.nats}`,
    );

    // 3. Back-end services, all at once; each runs its own migrations under an advisory lock.
    const present = BACKEND.filter((service) => {
      if (fs.existsSync(path.join(PROJECT_ROOT, entryOf(service.name).output))) {
        return true;
      }
      say(`WARNING: ${entryOf(service.name).output} does not exist; ${service.name} is not started`);
      return false;
    });
    const gatewayPresent = fs.existsSync(path.join(PROJECT_ROOT, entryOf(GATEWAY).output));
    const print = createLinePrinter({ names: [...present.map((s) => s.name), GATEWAY] });

    const watch = (child) => {
      void child.exited.then(() => {
        if (!shuttingDown && !child.stopping) {
          const tail = child.tail(15).join('\n    ');
          void shutdown(
            1,
            `${child.name} stopped unexpectedly (${child.describeExit()}); stopping everything.\n    ${tail}`,
          );
        }
      });
    };

    const launched = [];
    for (const service of present) {
      // The usual port when free; else 0 (any free port), read back from the service's "ready" line.
      const configured = (await probePort(service.port)) ? 0 : service.port;
      let httpPort = configured === 0 ? undefined : configured;
      const child = new ManagedProcess(service.name, process.execPath, [entryOf(service.name).output], {
        cwd: PROJECT_ROOT,
        env: { ...sharedEnv, HTTP_PORT: String(configured) },
        detached: true,
        onLine: (line) => {
          print(service.name, line);
          if (line.startsWith('{') && line.includes('"httpPort"')) {
            try {
              const port = JSON.parse(line).httpPort;
              if (typeof port === 'number') {
                httpPort = port;
              }
            } catch {
              // not JSON after all
            }
          }
        },
      }).start();
      children.push(child);
      watch(child);
      launched.push({ child, port: () => httpPort });
    }

    await Promise.all(
      launched.map(async ({ child, port }) => {
        const deadline = Date.now() + READY_TIMEOUT_MS;
        while (!shuttingDown) {
          if (port() !== undefined && (await httpOk(`http://127.0.0.1:${port()}/health/ready`))) {
            say(`${child.name} ready (health on port ${port()})`);
            return;
          }
          if (Date.now() > deadline) {
            throw new Error(
              `${child.name} not ready after ${READY_TIMEOUT_MS / 1000} s:\n    ${child.tail(15).join('\n    ')}`,
            );
          }
          await sleep(250);
        }
      }),
    );
    if (shuttingDown) {
      return;
    }

    // 4. The gateway.
    const gatewayPort = Number(process.env.PORT || 3000);
    if (!gatewayPresent) {
      say(`WARNING: ${entryOf(GATEWAY).output} does not exist; the gateway is not started`);
    } else {
      if (await probePort(gatewayPort)) {
        throw new Error(`port ${gatewayPort} is already in use; set PORT to another port`);
      }
      const gateway = new ManagedProcess(GATEWAY, process.execPath, [entryOf(GATEWAY).output], {
        cwd: PROJECT_ROOT,
        env: { ...sharedEnv, PORT: String(gatewayPort) },
        detached: true,
        onLine: (line) => print(GATEWAY, line),
      }).start();
      children.push(gateway);
      watch(gateway);
      const root = `http://127.0.0.1:${gatewayPort}`;
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (!shuttingDown) {
        if ((await httpOk(`${root}/health/ready`)) || (await httpOk(`${root}/api/v1/health/ready`))) {
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `gateway not ready after ${READY_TIMEOUT_MS / 1000} s:\n    ${gateway.tail(15).join('\n    ')}`,
          );
        }
        await sleep(250);
      }
    }
    if (shuttingDown) {
      return;
    }

    const api = `http://localhost:${gatewayPort}/api`;
    console.log('');
    console.log(`  Mamori is up (${((Date.now() - startedAt) / 1000).toFixed(1)} s). Ctrl-C stops it.`);
    console.log(`  API:        ${api}/v1`);
    console.log(`  Docs:       ${api}/docs`);
    console.log(`  Dev outbox: ${api}/v1/dev/outbox`);
    console.log(`  First operator: npm run cli -- operator:create --user-id ID --email ADDR --password PW`);
    console.log('');
  } catch (error) {
    await shutdown(1, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  return exitCode;
}

void main();
