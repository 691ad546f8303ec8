// PostgreSQL, Redis and NATS (JetStream) for `npm start` and `npm test`.
//
// For each: a URL in the environment wins; else whatever answers on the default local port; else the
// Debian/Ubuntu package is installed (once) and the server is started as our child, with its data in
// the ignored project folder `.mamori/` (MAMORI_STATE_DIR moves it). stop() stops only what was
// started here.
//
// The servers started here are made safe for a shared machine: run as root, they run as the system
// user `mamori` (lib/server-user.mjs), never as root; PostgreSQL asks for a password (scram-sha-256,
// no `trust` line) kept in a 0600 file beside its data; Redis asks for a password generated at each
// start; their folders are 0700 and made without following symbolic links (lib/private-fs.mjs); they
// run with umask 077 and a minimal environment; and no password is on any command line.
//
// Tests also get a private NATS and a private Redis per run (startPrivateNats/startPrivateRedis), so a
// test run never shares subjects, streams, queue groups or queues with a running platform.
//
// Plain Node ESM: node built-ins and `pg` only, because it runs before anything is built.
//
// By hand: `node scripts/infra.mjs up [--dry-run] [--pretend-missing] [--ports=PG,REDIS,NATS] [--state-dir=DIR]`
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { ManagedProcess, runCommand } from './lib/managed-process.mjs';
import { writeNatsServerConfig } from './lib/nats-auth.mjs';
import { chownTree, makePrivateDir, makePrivateTempDir, writePrivateFile } from './lib/private-fs.mjs';
import { lookupUser, serverUser } from './lib/server-user.mjs';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Mamori's local data: secrets, logs, and the data of the servers it starts (see dataLocations). */
export const STATE_DIR = process.env.MAMORI_STATE_DIR
  ? path.resolve(process.env.MAMORI_STATE_DIR)
  : path.join(PROJECT_ROOT, '.mamori');
export const DEFAULT_PORTS = Object.freeze({ postgres: 5432, redis: 6379, nats: 4222 });
const LOCALHOST = '127.0.0.1';

/** Debian/Ubuntu package that provides each server (checked with apt-cache on Debian 12). */
const PACKAGES = {
  postgres: 'postgresql',
  redis: 'redis-server',
  nats: 'nats-server',
  // The bounce mailbox of the NOTIF-6 tests; tests only, never started by `npm start`.
  dovecot: 'dovecot-imapd',
  // The browser tests of the portal (issue 14), with a Japanese font so its screenshots are
  // readable; tests only.
  chromium: ['chromium', 'fonts-ipafont-gothic'],
};
/** The Japanese font the chromium component brings (fonts-ipafont-gothic). */
const JAPANESE_FONT = '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf';
const ENV_NAMES = { postgres: 'DATABASE_URL', redis: 'REDIS_URL', nats: 'NATS_URL' };

const defaultLog = (message) => console.log(`[infra] ${message}`);

// ---------------------------------------------------------------------------------------------
// Small helpers

/** TCP connect probe: does anything answer on host:port? */
export function probePort(port, host = LOCALHOST, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port free right now on 127.0.0.1 (the caller binds it soon after; a clash is retried). */
export function getFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOCALHOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Reads the INFO line a NATS server sends on connect and tells whether JetStream is on. A stock
 * Debian nats-server (installed as a systemd service) runs without it, and Mamori needs JetStream.
 */
export function natsHasJetStream(port, host = LOCALHOST, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    let buffer = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\r\n');
      if (end === -1) {
        return;
      }
      const line = buffer.slice(0, end);
      try {
        done(line.startsWith('INFO ') && JSON.parse(line.slice(5)).jetstream === true);
      } catch {
        done(false);
      }
    });
    socket.once('error', () => done(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check, { timeoutMs, intervalMs = 200, what, process: child }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child && !child.running) {
      throw new Error(
        `${what}: the process ended (${child.describeExit()}):\n  ${child.tail(15).join('\n  ')}`,
      );
    }
    try {
      if (await check()) {
        return;
      }
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const tail = child ? `\n  ${child.tail(15).join('\n  ')}` : '';
  throw new Error(
    `${what}: not ready after ${timeoutMs / 1000} s${lastError ? ` (${lastError.message})` : ''}${tail}`,
  );
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Looks a program up on PATH and in the sbin folders Debian installs servers to. */
export function findBinary(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && isExecutable(path.join(dir, name))) {
      return path.join(dir, name);
    }
  }
  return undefined;
}

/** Debian keeps PostgreSQL's server programs in /usr/lib/postgresql/<major>/bin, off PATH. */
export function findPostgresBinary(name) {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const majors = fs
      .readdirSync(root)
      .filter((entry) => /^\d+$/.test(entry))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const file = path.join(root, major, 'bin', name);
      if (isExecutable(file)) {
        return file;
      }
    }
  }
  return findBinary(name);
}

function binaryFor(component) {
  switch (component) {
    case 'postgres':
      return findPostgresBinary('postgres') && findPostgresBinary('initdb')
        ? findPostgresBinary('postgres')
        : undefined;
    case 'redis':
      return findBinary('redis-server');
    case 'nats':
      return findBinary('nats-server');
    case 'dovecot':
      return findBinary('dovecot');
    case 'chromium':
      return fs.existsSync(JAPANESE_FONT) ? findBinary('chromium') : undefined;
    default:
      throw new Error(`unknown component ${component}`);
  }
}

/**
 * How a server we start is spawned: through `sh` setting umask 077 (the files it creates, such as
 * Redis's append-only file of queued codes, are private), with a minimal environment (not ours,
 * which may hold Mamori's secrets), as `owner` when given.
 */
function serverSpawn(bin, args, owner, extraEnv = {}) {
  return {
    command: '/bin/sh',
    args: ['-c', 'umask 077 && exec "$0" "$@"', bin, ...args],
    options: {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', ...extraEnv },
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Installing packages

let aptUpdated = false;

/**
 * Installs Debian packages with apt-get (via sudo when not root). `apt-get update` runs once per
 * process. In a dry run, only prints what it would run.
 */
export async function aptInstall(packages, { dryRun = false, log = defaultLog } = {}) {
  if (packages.length === 0) {
    return;
  }
  const aptGet = findBinary('apt-get');
  if (!aptGet && !dryRun) {
    throw new Error(
      `${packages.join(', ')} missing and this machine has no apt-get. Install PostgreSQL, Redis and NATS ` +
        'yourself, or point DATABASE_URL, REDIS_URL and NATS_URL at running servers.',
    );
  }
  let prefix = [];
  if (!isRoot()) {
    const sudo = findBinary('sudo');
    if (!sudo && !dryRun) {
      throw new Error(
        `${packages.join(', ')} missing, and installing needs root: run ` +
          `\`sudo apt-get install -y ${packages.join(' ')}\`, or set DATABASE_URL, REDIS_URL and NATS_URL.`,
      );
    }
    // Without a terminal sudo cannot ask for a password: fail at once instead of hanging (CI).
    prefix = process.stdin.isTTY ? ['sudo'] : ['sudo', '-n'];
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps = [];
  if (!aptUpdated) {
    steps.push(['apt-get', 'update']);
  }
  // Another apt (e.g. unattended-upgrades on a freshly booted Ubuntu) may hold dpkg's lock: wait for
  // it instead of failing at once with "Could not get lock /var/lib/dpkg/lock-frontend".
  // prettier-ignore
  steps.push(['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...packages]);
  for (const step of steps) {
    const [command, ...args] = [...prefix, ...step];
    log(`${dryRun ? '[dry-run] would run' : 'running'}: ${[command, ...args].join(' ')}`);
    if (dryRun) {
      continue;
    }
    let code = await runCommand(command, args, { env });
    // `apt-get update` does not honour DPkg::Lock::Timeout for its lists lock (apt 2.6): when
    // another apt is updating too, it exits 100 at once. Try again a few times before giving up.
    for (let retry = 1; code !== 0 && step[1] === 'update' && retry <= 5; retry++) {
      log(`apt-get update failed (exit ${code}); another apt may be running, retrying in 10 s`);
      await sleep(10_000);
      code = await runCommand(command, args, { env });
    }
    if (code !== 0) {
      throw new Error(
        `\`${[command, ...args].join(' ')}\` failed (exit ${code}). Install ${packages.join(', ')} ` +
          'by hand or set DATABASE_URL, REDIS_URL and NATS_URL.',
      );
    }
  }
  aptUpdated = true;
}

/**
 * Installs whichever of the components' packages are missing, in one apt-get call. Calls are run
 * one after the other: `npm test` starts PostgreSQL, NATS and Redis concurrently, and on a fresh
 * machine each would otherwise run its own apt-get at the same time, and all but one fail on apt's
 * locks ("Could not get lock /var/lib/apt/lists/lock"). A later call sees what an earlier one
 * installed, because it checks for the binaries only when its turn comes.
 */
let installQueue = Promise.resolve();
function ensureInstalled(components, options) {
  const turn = installQueue.then(() => ensureInstalledNow(components, options));
  installQueue = turn.catch(() => undefined);
  return turn;
}

async function ensureInstalledNow(components, { dryRun, pretendMissing, log }) {
  const missing = components.filter((component) => pretendMissing || !binaryFor(component));
  await aptInstall(
    missing.flatMap((component) => PACKAGES[component]),
    { dryRun, log },
  );
  if (!dryRun) {
    for (const component of missing) {
      if (!binaryFor(component)) {
        throw new Error(`installed ${PACKAGES[component]} but cannot find its server program`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL URLs and databases

/** The same server URL with another database name. */
export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name || 'postgres';
}

function checkName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`database name ${JSON.stringify(name)} must be lower-case letters, digits and _`);
  }
}

/** Runs `fn(client)` on a maintenance database of the server (postgres, else template1). */
async function withMaintenanceClient(url, fn) {
  let lastError;
  for (const db of ['postgres', 'template1']) {
    const client = new pg.Client({ connectionString: withDatabase(url, db), connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      continue;
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
}

/** Creates database `name` on the server of `url` unless it exists; returns its URL. */
export async function ensureDatabase(url, name) {
  checkName(name);
  await withMaintenanceClient(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount > 0) {
      return;
    }
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Two starters at once: the other one won, which is what we wanted.
      if (error.code !== '42P04' && error.code !== '23505') {
        throw error;
      }
    }
  });
  return withDatabase(url, name);
}

/** Drops database `name`, disconnecting whoever still uses it. */
export async function dropDatabase(url, name) {
  checkName(name);
  await withMaintenanceClient(url, async (client) => {
    const { rows } = await client.query('SHOW server_version_num');
    // WITH (FORCE) exists from PostgreSQL 13: it ends sessions a crashed test left behind.
    const force = Number(rows[0].server_version_num) >= 130000 ? ' WITH (FORCE)' : '';
    await client.query(`DROP DATABASE IF EXISTS "${name}"${force}`);
  });
}

/** The group role whose members may only INSERT and SELECT the audit trail (AUDIT-3); see apps/audit. */
export const AUDIT_WRITER_ROLE = 'mamori_audit_writer';

function checkRoleName(name) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`role name ${JSON.stringify(name)} must be lower-case letters, digits and _`);
  }
}

/**
 * Creates (or updates the password of) the login role the audit service runs as, a member of
 * AUDIT_WRITER_ROLE and nothing else, and returns `url` with that role's credentials. Roles are
 * cluster-wide: the group is shared by every database of the server and never dropped; the login
 * role is per environment (one per test run, so parallel runs do not share a password).
 */
export async function ensureAuditRuntimeRole(url, name, password) {
  checkRoleName(name);
  await withMaintenanceClient(url, async (client) => {
    const ignoreRace = (error) => {
      // Two starters at once: the other one created it.
      if (error.code !== '42710' && error.code !== '23505') {
        throw error;
      }
    };
    await client.query(`CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN`).catch(ignoreRace);
    const quoted = (await client.query('SELECT quote_literal($1) AS q', [password])).rows[0].q;
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${quoted}`)
        .catch(ignoreRace);
    }
    await client.query(`ALTER ROLE ${name} PASSWORD ${quoted}`);
    await client.query(`GRANT ${AUDIT_WRITER_ROLE} TO ${name}`);
  });
  const parsed = new URL(url);
  parsed.username = name;
  parsed.password = password;
  return parsed.toString();
}

/** Drops a login role made by ensureAuditRuntimeRole (the end of a test run). */
export async function dropRole(url, name) {
  checkRoleName(name);
  await withMaintenanceClient(url, (client) => client.query(`DROP ROLE IF EXISTS ${name}`));
}

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Starting our own servers

/** The folder under /var/lib/mamori used for `stateDir` when the servers' user cannot reach it. */
function fallbackBase(stateDir) {
  // The default state folder keeps the name earlier versions used: a hash of the checkout's path.
  const key = stateDir === path.join(PROJECT_ROOT, '.mamori') ? PROJECT_ROOT : stateDir;
  return path.join('/var/lib/mamori', createHash('sha256').update(key).digest('hex').slice(0, 12));
}

/** Every folder where Mamori may keep local data for `stateDir` (what `npm run reset` deletes). */
export function dataLocations(stateDir = STATE_DIR) {
  return [stateDir, fallbackBase(stateDir)];
}

/**
 * The folder that holds the data folders (postgres/, redis/, nats/) of the servers we start: the
 * state folder, or, when the servers' OS user cannot reach it (a checkout under /root),
 * /var/lib/mamori/<hash>, so that the data still persists between runs.
 */
function serverBase(stateDir, owner) {
  fs.mkdirSync(stateDir, { recursive: true });
  if (!owner) {
    return stateDir;
  }
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', stateDir], {
    uid: owner.uid,
    gid: owner.gid,
  });
  if (probe.status === 0) {
    return stateDir;
  }
  const base = fallbackBase(stateDir);
  // Root's, 0755: the servers' user passes through to its own 0700 folders; nobody else writes here.
  for (const dir of ['/var/lib/mamori', base]) {
    makePrivateDir(dir, undefined, { mode: 0o755 });
  }
  return base;
}

/**
 * A data folder of one server, 0700 and owned by `owner`. One left by an earlier Mamori, whose
 * servers ran as root (Redis, NATS) or as `postgres` (PostgreSQL), is handed over to `owner` first.
 */
function serverDataDir(dir, owner, log) {
  if (owner) {
    let stat;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      stat = undefined;
    }
    const earlier = [process.getuid(), lookupUser('postgres')?.uid];
    if (stat?.isDirectory() && stat.uid !== owner.uid && earlier.includes(stat.uid)) {
      log(`handing ${dir} over to OS user ${owner.name}`);
      chownTree(dir, owner);
    }
  }
  return makePrivateDir(dir, owner);
}

/** Only password logins (scram-sha-256), whatever the cluster was created with: never `trust`. */
export const PG_HBA = [
  '# Written by Mamori (scripts/infra.mjs) at each start: every connection gives a password.',
  'local all all scram-sha-256',
  `host all all ${LOCALHOST}/32 scram-sha-256`,
  'host all all ::1/128 scram-sha-256',
  '',
].join('\n');

const postgresUrl = (port, password) =>
  `postgres://postgres:${encodeURIComponent(password)}@${LOCALHOST}:${port}/postgres`;

function readPassword(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n')[0].trim() || undefined;
  } catch {
    return undefined;
  }
}

async function startOwnPostgres({ stateDir, port, dryRun, log, owner }) {
  const postgresBin = findPostgresBinary('postgres') ?? 'postgres';
  const initdbBin = findPostgresBinary('initdb') ?? 'initdb';
  const ownerNote = owner ? ` as OS user ${owner.name}` : '';
  // The superuser's password: in a 0600 file beside the data, read by initdb (--pwfile), given to
  // the services in DATABASE_URL (their environment), never on a command line.
  const initArgs = (dataDir, passwordFile) => [
    ...['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`],
    ...['-E', 'UTF8', '--no-locale'],
  ];
  // prettier-ignore
  const runArgs = (dataDir, socketDir) => [
    '-D', dataDir,
    '-p', String(port),
    '-k', socketDir,
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'password_encryption=scram-sha-256',
    // Local development: losing the last few commits in a crash is fine, waiting for fsync is not.
    '-c', 'synchronous_commit=off',
  ];
  if (dryRun) {
    const home = path.join(stateDir, 'postgres');
    const dataDir = path.join(home, 'data');
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log(
        `[dry-run] would run${ownerNote}: ${initdbBin} ${initArgs(dataDir, path.join(home, 'password')).join(' ')}`,
      );
    }
    log(
      `[dry-run] would start${ownerNote}: ${postgresBin} ${runArgs(dataDir, path.join(home, 'run')).join(' ')}`,
    );
    return { url: postgresUrl(port, 'PASSWORD'), process: undefined, dataDir };
  }

  const home = serverDataDir(path.join(serverBase(stateDir, owner), 'postgres'), owner, log);
  const dataDir = makePrivateDir(path.join(home, 'data'), owner);
  const passwordFile = path.join(home, 'password');
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
  const versionFile = path.join(dataDir, 'PG_VERSION');
  let password;
  if (fs.existsSync(versionFile)) {
    const dataMajor = fs.readFileSync(versionFile, 'utf8').trim();
    const binMajor = postgresBin.match(/postgresql\/(\d+)\//)?.[1];
    if (binMajor && binMajor !== dataMajor) {
      throw new Error(
        `${dataDir} holds PostgreSQL ${dataMajor} data but PostgreSQL ${binMajor} is installed: ` +
          `remove that folder (development data only, \`npm run reset -- --yes\`) or install PostgreSQL ${dataMajor}.`,
      );
    }
    password = readPassword(passwordFile);
    if (!password) {
      // A cluster an earlier Mamori created with `trust`: the superuser gets a password first, in
      // single-user mode (no server listening) through its standard input.
      password = randomBytes(24).toString('hex');
      writePrivateFile(passwordFile, `${password}\n`, owner);
      log(`giving PostgreSQL's superuser in ${dataDir} a password (the cluster allowed logins without one)`);
      const single = spawnSync(
        postgresBin,
        ['--single', '-D', dataDir, '-c', 'password_encryption=scram-sha-256', 'postgres'],
        {
          ...asOwner,
          cwd: home,
          env,
          input: `ALTER ROLE postgres PASSWORD '${password}';\n`,
          encoding: 'utf8',
        },
      );
      if (single.status !== 0) {
        fs.rmSync(passwordFile, { force: true });
        const output = `${single.stdout}\n${single.stderr}`.split(password).join('***');
        throw new Error(`setting the PostgreSQL password failed (exit ${single.status}):\n${output}`);
      }
    }
  } else {
    password = randomBytes(24).toString('hex');
    writePrivateFile(passwordFile, `${password}\n`, owner);
    log(`creating a PostgreSQL cluster in ${dataDir}${ownerNote}`);
    // cwd: our own cwd (e.g. under /root) may be unreadable for the servers' user.
    const init = spawnSync(initdbBin, initArgs(dataDir, passwordFile), {
      ...asOwner,
      cwd: home,
      env,
      encoding: 'utf8',
    });
    if (init.status !== 0) {
      throw new Error(`initdb failed (exit ${init.status}):\n${init.stdout}\n${init.stderr}`);
    }
  }
  writePrivateFile(path.join(dataDir, 'pg_hba.conf'), PG_HBA, owner);
  // Unix socket paths are limited to ~107 bytes; a deep checkout falls back to a fresh folder with
  // an unpredictable name (mkdtemp) in the temp folder, removed at stop.
  const ownSocketDir = path.join(home, 'run');
  const socketDir =
    ownSocketDir.length > 80 ? makePrivateTempDir('mamori-pg-', owner) : makePrivateDir(ownSocketDir, owner);
  const cleanup = () => {
    if (socketDir !== ownSocketDir) {
      fs.rmSync(socketDir, { recursive: true, force: true });
    }
  };
  const logDir = path.join(stateDir, 'logs');
  const spawnAs = serverSpawn(postgresBin, runArgs(dataDir, socketDir), owner);
  const child = new ManagedProcess('postgres', spawnAs.command, spawnAs.args, {
    ...spawnAs.options,
    cwd: home,
    detached: true,
    logFile: path.join(logDir, 'postgres.log'),
  }).start();
  const url = postgresUrl(port, password);
  try {
    await waitUntil(async () => (await canConnect(url)) === true, {
      timeoutMs: 60_000,
      what: `PostgreSQL on port ${port}`,
      process: child,
    });
  } catch (error) {
    await child.stop({ signal: 'SIGINT' });
    cleanup();
    throw error;
  }
  // postgres: SIGINT is the "fast" shutdown (disconnect clients, checkpoint, exit).
  return { url, process: child, stopSignal: 'SIGINT', dataDir, passwordFile, cleanup };
}

function redisArgs(port, dir, persistent) {
  // prettier-ignore
  return [
    '--bind', LOCALHOST,
    '--port', String(port),
    '--dir', dir,
    '--save', '',
    // npm start keeps queued jobs across restarts (append-only file); a test Redis keeps nothing.
    '--appendonly', persistent ? 'yes' : 'no',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    '--logfile', '',
  ];
}

/**
 * Starts redis-server in `dir` (a private folder of `owner`, made by the caller). The persistent one
 * of `npm start` holds queued codes and reset links on a possibly shared host, so it gets a password
 * generated at each start: written to a 0600 config file in its private folder (never on the command
 * line, where `ps` shows it to every local user) and carried to the services in REDIS_URL only.
 */
async function startRedisProcess({ dir, persistent, port, logFile, dryRun, log, owner }) {
  const bin = findBinary('redis-server') ?? 'redis-server';
  const password = persistent ? randomBytes(24).toString('hex') : undefined;
  const confFile = path.join(dir, 'auth.conf');
  const args = [...(password ? [confFile] : []), ...redisArgs(port, dir, persistent)];
  const url = password ? `redis://:${password}@${LOCALHOST}:${port}` : `redis://${LOCALHOST}:${port}`;
  if (dryRun) {
    log(`[dry-run] would start: ${bin} ${args.map((a) => (a === '' ? '""' : a)).join(' ')}`);
    return { url, process: undefined };
  }
  if (password) {
    writePrivateFile(confFile, `requirepass ${password}\n`, owner);
  }
  const spawnAs = serverSpawn(bin, args, owner);
  const child = new ManagedProcess('redis', spawnAs.command, spawnAs.args, {
    ...spawnAs.options,
    cwd: dir,
    detached: true,
    logFile,
  }).start();
  await waitUntil(() => probePort(port), {
    timeoutMs: 20_000,
    what: `Redis on port ${port}`,
    process: child,
  });
  return { url, process: child, stopSignal: 'SIGTERM' };
}

/** A URL as it may be printed: its password (if any) masked. */
export function printableUrl(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, '$1***@');
}

/**
 * Starts nats-server with JetStream, its store in `storeDir` (made here, private to `owner`; its
 * parent must exist). Port -1 lets the server pick a free port; we read it from its "Listening for
 * client connections" line, which avoids any race over a port picked beforehand. With `auth`
 * ({ passwords, testHarness }), the server has Mamori's users and permissions
 * (deploy/nats/permissions.json) and refuses clients without credentials.
 */
async function startNatsProcess({ storeDir, port, logFile, dryRun, log, auth, owner }) {
  const bin = findBinary('nats-server') ?? 'nats-server';
  const args = ['-a', LOCALHOST, '-p', String(port), '-js', '-sd', storeDir];
  if (dryRun) {
    log(`[dry-run] would start: ${bin} ${args.join(' ')}`);
    return { url: `nats://${LOCALHOST}:${port === -1 ? 'RANDOM' : port}`, process: undefined };
  }
  serverDataDir(storeDir, owner, log);
  let env = {};
  if (auth) {
    // The configuration names the password variables; their values reach nats-server only through
    // its environment, never its command line (visible to every user of the machine).
    const config = writeNatsServerConfig(makePrivateDir(`${storeDir}-conf`, owner), auth.passwords, {
      testHarness: auth.testHarness,
      owner,
    });
    args.unshift('-c', config.file);
    env = config.env;
  }
  let listening;
  let ready = false;
  const spawnAs = serverSpawn(bin, args, owner, env);
  const child = new ManagedProcess('nats', spawnAs.command, spawnAs.args, {
    ...spawnAs.options,
    cwd: storeDir,
    detached: true,
    logFile,
    onLine: (line) => {
      const match = line.match(/Listening for client connections on [^\s]*:(\d+)/);
      if (match) {
        listening = Number(match[1]);
      }
      if (line.includes('Server is ready')) {
        ready = true;
      }
    },
  }).start();
  await waitUntil(async () => ready && listening !== undefined && (await probePort(listening)), {
    timeoutMs: 20_000,
    what: 'NATS',
    process: child,
  });
  // nats-server shuts JetStream down cleanly on either signal, but exits 0 only on SIGINT.
  return { url: `nats://${LOCALHOST}:${listening}`, process: child, stopSignal: 'SIGINT' };
}

async function stopAll(started, log) {
  await Promise.all(
    started
      .filter((entry) => entry.process)
      .map(async (entry) => {
        await entry.process.stop({ signal: entry.stopSignal, timeoutMs: 10_000 });
        entry.cleanup?.();
        log(`stopped ${entry.name} (${entry.process.describeExit()})`);
      }),
  );
}

// ---------------------------------------------------------------------------------------------
// The public entry points

/**
 * Resolves (and when needed installs and starts) the infrastructure.
 *
 * @param {object} [options]
 * @param {Array<'postgres'|'redis'|'nats'>} [options.components] which servers (default all three)
 * @param {NodeJS.ProcessEnv} [options.env] where DATABASE_URL, REDIS_URL, NATS_URL are read
 * @param {string} [options.stateDir] data folder of servers we start (default `.mamori/`)
 * @param {{postgres?: number, redis?: number, nats?: number}} [options.ports] the "default local
 *   ports" probed and used (tests of this script point them at unused ports)
 * @param {boolean} [options.dryRun] print installs and server starts instead of doing them
 * @param {boolean} [options.pretendMissing] act as if the packages were not installed
 * @param {{passwords: Record<string, string>, testHarness?: boolean}} [options.natsAuth] run NATS with
 *   Mamori's users and permissions (deploy/nats/permissions.json); then a NATS that merely answers on
 *   the local port is not used, and our own is started
 * @param {(message: string) => void} [options.log]
 * @returns {Promise<{postgresUrl?: string, redisUrl?: string, natsUrl?: string,
 *   sources: Record<string, 'env'|'local'|'started'>, stop: () => Promise<void>}>}
 */
export async function startInfra(options = {}) {
  const {
    components = ['postgres', 'redis', 'nats'],
    env = process.env,
    stateDir = STATE_DIR,
    dryRun = false,
    pretendMissing = false,
    log = defaultLog,
  } = options;
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const urls = {};
  const sources = {};
  const toStart = [];

  for (const component of components) {
    const fromEnv = env[ENV_NAMES[component]];
    if (fromEnv) {
      urls[component] = fromEnv;
      sources[component] = 'env';
      continue;
    }
    if (component === 'nats' && options.natsAuth) {
      // A NATS that merely answers on the local port lets anyone in: with users to enforce, start
      // our own (deploy/nats/permissions.json) instead of trusting whatever is there.
      toStart.push(component);
      continue;
    }
    if (await probePort(ports[component])) {
      const url = {
        postgres: `postgres://postgres@${LOCALHOST}:${ports.postgres}/postgres`,
        redis: `redis://${LOCALHOST}:${ports.redis}`,
        nats: `nats://${LOCALHOST}:${ports.nats}`,
      }[component];
      if (component === 'nats' && !(await natsHasJetStream(ports.nats))) {
        log(`NATS on port ${ports.nats} runs without JetStream; starting our own on another port`);
        toStart.push(component);
        continue;
      }
      if (component === 'postgres') {
        // A PostgreSQL that answers but refuses passwordless `postgres` (a stock Debian cluster asks
        // for a password over TCP) is no use to us: start our own beside it.
        const ok = await canConnect(url);
        if (ok !== true) {
          log(
            `PostgreSQL on port ${ports.postgres} refuses ${url} (${ok.message}); starting our own on another port`,
          );
          toStart.push(component);
          continue;
        }
      }
      urls[component] = url;
      sources[component] = 'local';
      continue;
    }
    toStart.push(component);
  }

  const started = [];
  const stop = async () => {
    await stopAll(started.splice(0), log);
  };
  if (toStart.length > 0) {
    const logDir = path.join(stateDir, 'logs');
    try {
      // Run as root, the servers run as Mamori's own unprivileged OS user (created if missing).
      const owner = serverUser({ dryRun, log });
      const base = dryRun ? stateDir : serverBase(stateDir, owner);
      if (!dryRun) {
        // The servers' output (codes may show up in it) is readable by us alone.
        makePrivateDir(logDir);
      }
      await ensureInstalled(toStart, { dryRun, pretendMissing, log });
      // Every start runs to its end before a failure is reported, so that the catch below stops
      // the servers that did start (not only those that were quicker than the failing one).
      const outcomes = await Promise.allSettled(
        toStart.map(async (component) => {
          // Our own server takes the default port when it is free (so other tools find it there),
          // otherwise any free port.
          const port = (await probePort(ports[component])) ? await getFreePort() : ports[component];
          let result;
          switch (component) {
            case 'postgres':
              result = await startOwnPostgres({ stateDir, port, dryRun, log, owner });
              break;
            case 'redis': {
              const dir = path.join(base, 'redis');
              result = await startRedisProcess({
                dir: dryRun ? dir : serverDataDir(dir, owner, log),
                persistent: true,
                port,
                logFile: path.join(logDir, 'redis.log'),
                dryRun,
                log,
                owner,
              });
              result.dataDir = dir;
              break;
            }
            case 'nats':
              result = await startNatsProcess({
                storeDir: path.join(base, 'nats'),
                port,
                logFile: path.join(logDir, 'nats.log'),
                dryRun,
                log,
                auth: options.natsAuth,
                owner,
              });
              result.dataDir = path.join(base, 'nats');
              break;
          }
          started.push({ name: component, ...result });
          urls[component] = result.url;
          sources[component] = 'started';
          // The data may live outside stateDir (see serverBase): say where it really is.
          log(
            `${dryRun ? '[dry-run] ' : ''}started ${component}${owner ? ` as OS user ${owner.name}` : ''} ` +
              `at ${printableUrl(result.url)} (data in ${result.dataDir})`,
          );
        }),
      );
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) {
        throw failed.reason;
      }
    } catch (error) {
      await stop();
      throw error;
    }
  }

  return { postgresUrl: urls.postgres, redisUrl: urls.redis, natsUrl: urls.nats, sources, stop };
}

/**
 * A private nats-server with JetStream for one test run: random port, temporary store. With `auth`
 * ({ passwords, testHarness }), Mamori's users and permissions as in production.
 */
export async function startPrivateNats({ log = defaultLog, dryRun = false, auth } = {}) {
  await ensureInstalled(['nats'], { dryRun, pretendMissing: false, log });
  const owner = serverUser({ dryRun, log });
  const parent = makePrivateTempDir('mamori-nats-', dryRun ? undefined : owner);
  const storeDir = path.join(parent, 'store');
  try {
    const result = await startNatsProcess({ storeDir, port: -1, dryRun, log, auth, owner });
    return {
      url: result.url,
      stop: async () => {
        await result.process?.stop({ signal: result.stopSignal, timeoutMs: 10_000 });
        fs.rmSync(parent, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(parent, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Dovecot's server program for the bounce mailbox tests (NOTIF-6), installed from Debian's
 * `dovecot-imapd` when missing (as the other servers are). Never throws: `{ bin }`, or `{ reason }`
 * why there is none, so the tests that need it are skipped with that reason instead of failing.
 * Each test file starts its own instance (libs/testing/src/infra/private-dovecot.ts).
 */
export async function ensureDovecot({ log = defaultLog } = {}) {
  try {
    await ensureInstalled(['dovecot'], { dryRun: false, pretendMissing: false, log });
    const bin = binaryFor('dovecot');
    return bin ? { bin } : { reason: 'dovecot-imapd is installed but its dovecot program was not found' };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Debian's Chromium for the portal's browser tests (issue 14), installed when missing as the
 * servers are. Returns the program's path; throws when it cannot be had.
 */
export async function ensureChromium({ log = defaultLog } = {}) {
  await ensureInstalled(['chromium'], { dryRun: false, pretendMissing: false, log });
  const bin = binaryFor('chromium');
  if (!bin) {
    throw new Error('chromium is installed but its program was not found');
  }
  return bin;
}

/** A private redis-server for one test run: random port, nothing kept on disk. */
export async function startPrivateRedis({ log = defaultLog, dryRun = false } = {}) {
  await ensureInstalled(['redis'], { dryRun, pretendMissing: false, log });
  const owner = serverUser({ dryRun, log });
  const dir = makePrivateTempDir('mamori-redis-', dryRun ? undefined : owner);
  let lastError;
  // The port is picked before redis binds it; another process may take it in between: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const result = await startRedisProcess({
        dir,
        persistent: false,
        port: await getFreePort(),
        dryRun,
        log,
        owner,
      });
      return {
        url: result.url,
        stop: async () => {
          await result.process?.stop({ timeoutMs: 10_000 });
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

// ---------------------------------------------------------------------------------------------
// By hand: node scripts/infra.mjs up [--dry-run] [--pretend-missing] [--ports=PG,REDIS,NATS] [--state-dir=DIR]

async function main(argv) {
  const [command = 'up', ...rest] = argv;
  const flag = (name) => rest.includes(`--${name}`);
  const value = (name) => rest.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  if (command !== 'up') {
    console.error(
      'usage: node scripts/infra.mjs up [--dry-run] [--pretend-missing] [--ports=PG,REDIS,NATS] [--state-dir=DIR]',
    );
    process.exit(2);
  }
  const portList = value('ports')?.split(',').map(Number);
  const ports = portList ? { postgres: portList[0], redis: portList[1], nats: portList[2] } : undefined;
  const stateDir = value('state-dir') ? path.resolve(value('state-dir')) : STATE_DIR;
  const infra = await startInfra({
    ports,
    stateDir,
    dryRun: flag('dry-run'),
    pretendMissing: flag('pretend-missing'),
  });
  console.log(
    JSON.stringify(
      {
        // Passwords masked: PostgreSQL's is in the `password` file beside its data, Redis's in the
        // auth.conf of its folder (both 0600).
        DATABASE_URL: infra.postgresUrl && printableUrl(infra.postgresUrl),
        REDIS_URL: infra.redisUrl && printableUrl(infra.redisUrl),
        NATS_URL: infra.natsUrl,
        sources: infra.sources,
      },
      null,
      2,
    ),
  );
  if (flag('dry-run')) {
    return;
  }
  if (Object.values(infra.sources).every((source) => source !== 'started')) {
    return;
  }
  console.log('Ctrl-C stops what was started.');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) {
      return;
    }
    stopping = true;
    await infra.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`[infra] ${error.message}`);
    process.exit(1);
  });
}
