// `npm start`: the whole platform on this machine, in one command (SPEC OPS-2).
//
// Builds when needed, brings PostgreSQL/Redis/NATS up (infra.mjs), creates the database, keeps dev
// secrets in .mamori/secrets.json, starts auth, notification, case-management and audit, waits until
// each is ready, then the gateway. Ctrl-C (or SIGTERM) stops the services, then the infrastructure
// this script started. A service that dies is restarted with a growing pause and a log line; one
// that refuses its configuration stops everything with a non-zero exit code.
import { spawn } from 'node:child_process';
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
import { natsUsers, newNatsPassword, passwordVariable } from './lib/nats-auth.mjs';
import { newSigningKeys } from './lib/signing-keys.mjs';
import { serviceNodeArgs } from './lib/service-node-args.mjs';

const BACKEND = [
  { name: 'auth', port: 3001 },
  { name: 'notification', port: 3002 },
  { name: 'case-management', port: 3003 },
  { name: 'audit', port: 3004 },
];
const GATEWAY = 'gateway';
const READY_TIMEOUT_MS = 120_000;
/** Pauses before restarting a service that died: 1 s, then longer for each quick death in a row. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** A service that ran this long before dying is restarted after the shortest pause again. */
const HEALTHY_RUN_MS = 60_000;
/** Exit status of a service that refused its configuration (sysexits EX_CONFIG). */
const EXIT_CONFIG = 78;
const STOP_TIMEOUT_MS = 10_000;

/** `migrate` of the CLI (dist/apps/cli), with the services' environment; its lines printed as they come. */
function runMigrate(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryOf('cli').output, 'migrate'], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = [];
    const onData = (chunk) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        say(`migrate: ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`migrate failed (exit ${code}):\n    ${lines.join('\n    ')}`)),
    );
  });
}

const entryOf = (name) => ({
  source: `apps/${name}/src/main.ts`,
  output: `dist/apps/${name}/src/main.js`,
});

/** The built portal the gateway serves at `/` (issue 14). */
const PORTAL_ENTRY = { source: 'apps/portal/index.html', output: 'dist/portal/index.html' };

const say = (message) => console.log(`[start] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * TOKEN_HMAC_SECRET, DATA_ENCRYPTION_KEY, RECIPIENT_HASH_SECRET (auth's and notification's, one
 * value), ACCESS_TOKEN_SIGNING_KEYS and a NATS password per user
 * (MAMORI_NATS_PASSWORD_<USER>): from the environment, else generated once into .mamori/secrets.json.
 */
function loadSecrets() {
  const file = path.join(STATE_DIR, 'secrets.json');
  let stored = {};
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  let changed = false;
  for (const name of [
    'TOKEN_HMAC_SECRET',
    'DATA_ENCRYPTION_KEY',
    'RECIPIENT_HASH_SECRET',
    'AUDIT_DB_PASSWORD',
    'AUDIT_SIGNING_KEY',
  ]) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
  }
  if (!stored.ACCESS_TOKEN_SIGNING_KEYS) {
    stored.ACCESS_TOKEN_SIGNING_KEYS = newSigningKeys();
    changed = true;
  }
  for (const user of natsUsers()) {
    if (!stored[passwordVariable(user)]) {
      stored[passwordVariable(user)] = newNatsPassword();
      changed = true;
    }
  }
  // A secret of an older Mamori that nothing reads any more.
  if (stored.JWT_SECRET) {
    delete stored.JWT_SECRET;
    changed = true;
  }
  if (changed) {
    fs.mkdirSync(STATE_DIR, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    say(`generated development secrets in ${path.relative(PROJECT_ROOT, file)}`);
  }
  fs.chmodSync(file, 0o600);
  const natsPasswords = Object.fromEntries(
    natsUsers().map((user) => [user, process.env[passwordVariable(user)] || stored[passwordVariable(user)]]),
  );
  return {
    shared: {
      TOKEN_HMAC_SECRET: process.env.TOKEN_HMAC_SECRET || stored.TOKEN_HMAC_SECRET,
      DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY || stored.DATA_ENCRYPTION_KEY,
      RECIPIENT_HASH_SECRET: process.env.RECIPIENT_HASH_SECRET || stored.RECIPIENT_HASH_SECRET,
      ACCESS_TOKEN_SIGNING_KEYS: process.env.ACCESS_TOKEN_SIGNING_KEYS || stored.ACCESS_TOKEN_SIGNING_KEYS,
      AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY || stored.AUDIT_SIGNING_KEY,
    },
    natsPasswords,
    // Not an environment variable of any service: the password of the audit runtime role.
    auditDbPassword: stored.AUDIT_DB_PASSWORD,
  };
}

/**
 * A service's NATS identity on the NATS that npm start runs: its own user (permissions in
 * deploy/nats/permissions.json). On a NATS named by NATS_URL, whatever NATS_USER, NATS_PASSWORD or
 * NATS_CREDS the environment holds, for every service alike.
 */
function natsIdentity(user, natsPasswords, ownNats) {
  if (!ownNats) {
    return {};
  }
  // The audit service's stream consumer connects as a user of its own (see AUDIT_INGEST_NATS_USER).
  const ingest =
    user === 'audit'
      ? { AUDIT_INGEST_NATS_USER: 'audit-ingest', AUDIT_INGEST_NATS_PASSWORD: natsPasswords['audit-ingest'] }
      : {};
  return { NATS_USER: user, NATS_PASSWORD: natsPasswords[user], ...ingest };
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
    await ensureBuilt(
      PROJECT_ROOT,
      [...BACKEND.map((s) => entryOf(s.name)), entryOf(GATEWAY), entryOf('cli'), PORTAL_ENTRY],
      {
        log: say,
      },
    );
    if (shuttingDown) {
      return;
    }

    // 2. Infrastructure and the database.
    const secrets = loadSecrets();
    // Without NATS_URL, npm start runs its own NATS with Mamori's users and permissions, and never
    // uses an unauthenticated NATS that happens to answer on the local port.
    const ownNats = !process.env.NATS_URL;
    infraPending = startInfra({
      log: (m) => console.log(`[infra] ${m}`),
      natsAuth: ownNats ? { passwords: secrets.natsPasswords } : undefined,
    });
    infra = await infraPending;
    if (shuttingDown) {
      return;
    }
    const databaseUrl = process.env.DATABASE_URL || withDatabase(infra.postgresUrl, 'mamori');
    await ensureDatabase(databaseUrl, databaseName(databaseUrl));
    // AUDIT-3: the audit service runs as a role that may only INSERT and SELECT its trail; the
    // schema owner (DATABASE_URL) runs the migrations. An operator's own role wins.
    let auditDatabaseUrl = process.env.AUDIT_DATABASE_URL;
    if (!auditDatabaseUrl) {
      try {
        auditDatabaseUrl = await ensureAuditRuntimeRole(databaseUrl, 'mamori_audit', secrets.auditDbPassword);
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
      ...secrets.shared,
    };
    // For `npm run cli`, which only needs NATS (the file is private to this user all the same).
    lock.update({ NATS_URL: infra.natsUrl, ...(ownNats ? { natsUser: 'cli' } : {}) });
    say(
      `infrastructure: PostgreSQL ${infra.sources.postgres}, Redis ${infra.sources.redis}, NATS ${infra.sources.nats}`,
    );

    // 3. Schema migrations, by the one runner the deployments use too (the services then find
    //    their schemas current; outside production they could migrate themselves, under the lock).
    await runMigrate(sharedEnv);
    if (shuttingDown) {
      return;
    }

    // 4. Back-end services, all at once.
    const present = BACKEND.filter((service) => {
      if (fs.existsSync(path.join(PROJECT_ROOT, entryOf(service.name).output))) {
        return true;
      }
      say(`WARNING: ${entryOf(service.name).output} does not exist; ${service.name} is not started`);
      return false;
    });
    const gatewayPresent = fs.existsSync(path.join(PROJECT_ROOT, entryOf(GATEWAY).output));
    const print = createLinePrinter({ names: [...present.map((s) => s.name), GATEWAY] });

    // A service that dies is started again after a pause that grows with each quick death (a crash
    // loop must not spin); one that ran for a while starts the count over. The rest keeps running,
    // and a request to the dead service meanwhile is a 503 the client retries. A configuration error
    // (exit 78) would only repeat itself: it stops everything with its message.
    const watch = (child) => {
      let restarts = 0;
      let startedAt = Date.now();
      const onExit = () => {
        if (shuttingDown || child.stopping) {
          return;
        }
        const tail = child.tail(15).join('\n    ');
        if (child.exitInfo?.code === EXIT_CONFIG) {
          void shutdown(1, `${child.name} refused its configuration; stopping everything.\n    ${tail}`);
          return;
        }
        if (Date.now() - startedAt > HEALTHY_RUN_MS) {
          restarts = 0;
        }
        const delay = RESTART_DELAYS_MS[Math.min(restarts, RESTART_DELAYS_MS.length - 1)];
        restarts += 1;
        console.error(
          `[start] ${child.name} stopped unexpectedly (${child.describeExit()}); restarting it in ${delay / 1000} s (restart ${restarts}).\n    ${tail}`,
        );
        setTimeout(() => {
          if (shuttingDown) {
            return;
          }
          startedAt = Date.now();
          child.start();
          void child.exited.then(onExit);
          say(`${child.name} restarted (pid ${child.pid})`);
        }, delay);
      };
      void child.exited.then(onExit);
    };

    const launched = [];
    for (const service of present) {
      // The usual port when free; else 0 (any free port), read back from the service's "ready" line.
      // HTTP_PORT=0 in the environment gives every service a free port (several platforms side by side).
      const configured = process.env.HTTP_PORT === '0' || (await probePort(service.port)) ? 0 : service.port;
      let httpPort = configured === 0 ? undefined : configured;
      const nodeArgs = [...serviceNodeArgs(service.name), entryOf(service.name).output];
      const child = new ManagedProcess(service.name, process.execPath, nodeArgs, {
        cwd: PROJECT_ROOT,
        env: {
          ...sharedEnv,
          ...natsIdentity(service.name, secrets.natsPasswords, ownNats),
          HTTP_PORT: String(configured),
        },
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
            say(`${child.name} ready (health on port ${port()}, pid ${child.pid})`);
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

    // 5. The gateway. Where mail or SMS goes to the development outbox (no SMTP_URL, or no SMS
    // provider), the gateway shows it to this machine (DEV_OUTBOX), unless DEV_OUTBOX says otherwise.
    const gatewayPort = Number(process.env.PORT || 3000);
    const devOutbox =
      process.env.DEV_OUTBOX !== undefined
        ? process.env.DEV_OUTBOX === 'true'
        : !process.env.SMTP_URL || !process.env.SMS_PROVIDER || process.env.SMS_PROVIDER === 'outbox';
    // The gateway's metrics port: 9464 when free, else any free port, read back from its "ready" line.
    const metricsPortSetting = process.env.METRICS_PORT || ((await probePort(9464)) ? '0' : '9464');
    let metricsPort;
    if (!gatewayPresent) {
      say(`WARNING: ${entryOf(GATEWAY).output} does not exist; the gateway is not started`);
    } else {
      if (await probePort(gatewayPort)) {
        throw new Error(`port ${gatewayPort} is already in use; set PORT to another port`);
      }
      const gateway = new ManagedProcess(GATEWAY, process.execPath, [entryOf(GATEWAY).output], {
        cwd: PROJECT_ROOT,
        env: {
          ...sharedEnv,
          ...natsIdentity(GATEWAY, secrets.natsPasswords, ownNats),
          PORT: String(gatewayPort),
          METRICS_PORT: metricsPortSetting,
          DEV_OUTBOX: devOutbox ? 'true' : 'false',
        },
        detached: true,
        onLine: (line) => {
          print(GATEWAY, line);
          if (line.startsWith('{') && line.includes('"metricsPort"')) {
            try {
              metricsPort = JSON.parse(line).metricsPort;
            } catch {
              // not JSON after all
            }
          }
        },
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
      if (!shuttingDown) {
        say(`gateway ready (port ${gatewayPort}, pid ${gateway.pid})`);
      }
    }
    if (shuttingDown) {
      return;
    }

    const api = `http://localhost:${gatewayPort}/api`;
    console.log('');
    console.log(`  Mamori is up (${((Date.now() - startedAt) / 1000).toFixed(1)} s). Ctrl-C stops it.`);
    console.log(`  Portal:     http://localhost:${gatewayPort}/`);
    console.log(`  API:        ${api}/v1`);
    console.log(`  Docs:       ${api}/docs`);
    if (devOutbox) {
      console.log(`  Dev outbox: ${api}/v1/dev/outbox   (this machine only)`);
    }
    if (metricsPort !== undefined) {
      console.log(`  Metrics:    http://127.0.0.1:${metricsPort}/metrics`);
    }
    console.log(`  First operator: npm run cli -- operator:create --user-id ID --email ADDR --password PW`);
    console.log('');
  } catch (error) {
    await shutdown(1, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  return exitCode;
}

void main();
