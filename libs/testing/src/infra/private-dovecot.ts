import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PrivateDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** `imap://user:password@127.0.0.1:port/INBOX`, for BOUNCE_IMAP_URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The Dovecot program: DOVECOT_BIN (set by `npm test`, which installs `dovecot-imapd` when it may),
 * else one found in the usual places; or why there is none (DOVECOT_UNAVAILABLE), for a skip message.
 */
export function dovecotBinary(): { bin: string } | { reason: string } {
  const candidates = [process.env.DOVECOT_BIN, '/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
  for (const candidate of candidates) {
    if (candidate && fs.existsSync(candidate)) {
      return { bin: candidate };
    }
  }
  return {
    reason:
      process.env.DOVECOT_UNAVAILABLE ??
      'dovecot not found (install dovecot-imapd, or run through `npm test`, which installs it when it may)',
  };
}

/**
 * A Dovecot IMAP server of its own for one test file: its own configuration, mail and sockets in a
 * temporary folder, plain login on a free loopback port, one user from a passwd-file. As root the
 * mail belongs to `nobody`; otherwise Dovecot runs as the current user throughout.
 */
export async function startPrivateDovecot(bin: string): Promise<PrivateDovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-test-dovecot-'));
  // Dovecot's processes (login, auth, mail) drop to other users and must reach their files.
  fs.chmodSync(dir, 0o755);
  const home = path.join(dir, 'home');
  for (const sub of ['run', 'state', 'home']) {
    fs.mkdirSync(path.join(dir, sub));
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const me = os.userInfo();
  if (root) {
    fs.chownSync(home, uidOf('nobody') ?? 65534, gidOf('nogroup') ?? 65534);
  }
  const user = 'bounces';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const port = await freePort();
  const config = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `instance_name = mamori-test-${port}`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    'first_valid_uid = 1',
    ...(root ? [] : [`default_login_user = ${me.username}`, `default_internal_user = ${me.username}`]),
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN ${dir}/passwd`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${root ? 'nobody' : me.uid} gid=${root ? 'nogroup' : me.gid} home=${home}/%u`,
    '}',
    'mail_location = maildir:~/Maildir',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    // No chroot: a private instance has no prepared chroot folders.
    '  chroot =',
    '}',
    'service anvil {',
    '  chroot =',
    '}',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(configFile, config, { mode: 0o644 });
  // Its output to a file, not a pipe: Dovecot's own children inherit the descriptor, and a pipe they
  // hold open a moment after the master exited would keep the test process alive.
  const stderrFile = path.join(dir, 'stderr.log');
  const stderrFd = fs.openSync(stderrFile, 'w', 0o600);
  const child: ChildProcess = spawn(bin, ['-F', '-c', configFile], { stdio: ['ignore', 'ignore', stderrFd] });
  fs.closeSync(stderrFd);
  const stderr = (): string => (fs.existsSync(stderrFile) ? fs.readFileSync(stderrFile, 'utf8') : '');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = fs.existsSync(path.join(dir, 'dovecot.log'))
        ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8')
        : '';
      const output = stderr();
      await stop();
      throw new Error(`dovecot did not start: ${output}${log}`.slice(0, 2000));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: `imap://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX`,
    stop,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function uidOf(name: string): number | undefined {
  return idFrom('/etc/passwd', name);
}

function gidOf(name: string): number | undefined {
  return idFrom('/etc/group', name);
}

function idFrom(file: string, name: string): number | undefined {
  try {
    const line = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    return line ? Number(line.split(':')[2]) : undefined;
  } catch {
    return undefined;
  }
}
