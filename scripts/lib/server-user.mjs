// The OS user that the PostgreSQL, Redis and NATS servers Mamori starts itself run as when `npm start`
// or `npm test` runs as root: `mamori`, a system user without a shell or home, created when missing.
// A server running as root would hand any flaw in it (or a Redis `CONFIG SET dir`) the whole
// machine; a dedicated user (not `nobody`, not `postgres`, which own other things) holds only
// Mamori's local data. Not root: the servers run as the invoking user, as before.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const SERVER_USER = 'mamori';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** uid/gid of an OS user, from /etc/passwd (no `id` needed). */
export function lookupUser(name) {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${name}:`));
    if (!line) {
      return undefined;
    }
    const [, , uid, gid] = line.split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The user the servers run as: undefined when we are not root (they run as us), else SERVER_USER,
 * created with useradd (or adduser) when missing. Several runs may create it at once: useradd fails
 * for all but one (the user exists, or /etc/passwd is locked), and each looks again.
 */
export function serverUser({ dryRun = false, log = () => undefined } = {}) {
  if (!isRoot()) {
    return undefined;
  }
  const found = lookupUser(SERVER_USER);
  if (found || dryRun) {
    return found ?? { name: SERVER_USER, uid: -1, gid: -1 };
  }
  log(`creating the system user \`${SERVER_USER}\` that Mamori's local servers run as`);
  let lastError = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    const commands = [
      // prettier-ignore
      ['useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SERVER_USER]],
      ['adduser', ['--system', '--group', '--no-create-home', '--home', '/nonexistent', SERVER_USER]],
    ];
    for (const [command, args] of commands) {
      const result = spawnSync(command, args, { encoding: 'utf8' });
      if (result.error?.code === 'ENOENT') {
        continue;
      }
      lastError = `${command} exit ${result.status}: ${(result.stderr ?? '').trim()}`;
      break;
    }
    const created = lookupUser(SERVER_USER);
    if (created) {
      return created;
    }
    sleepSync(200 + attempt * 100);
  }
  throw new Error(
    `cannot create the system user \`${SERVER_USER}\` (${lastError || 'no useradd or adduser'}); ` +
      `create it yourself: useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ${SERVER_USER}`,
  );
}
