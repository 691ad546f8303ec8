import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiClient, randomSuffix, SmtpSink, strongPassword, waitFor } from '@app/testing';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

const ROOT = path.resolve(__dirname, '..', '..');

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

/** `promise`, or 'timeout' after `ms` (the timer cleared either way, so jest is not kept waiting). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm start` (scripts/start.mjs) as a newcomer runs it, against the run's PostgreSQL, Redis and NATS
 * (named in the environment, so it starts no server of its own), with its own state folder and free
 * ports: a service killed under it is restarted after a pause with a log line saying so while the
 * others keep running, login works again, and SIGINT (Ctrl-C) stops every process it started.
 */
describe('npm start supervision', () => {
  const smtp = new SmtpSink();
  let stateDir: string;
  let start: ChildProcess | undefined;
  let exited: Promise<number | null>;
  const lines: string[] = [];

  const lineMatching = (pattern: RegExp): RegExpMatchArray | undefined => {
    for (const line of lines) {
      const match = line.match(pattern);
      if (match) {
        return match;
      }
    }
    return undefined;
  };
  const output = (): string => lines.slice(-60).join('\n');

  beforeAll(async () => {
    const mail = await smtp.start();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-start-test-'));
    const port = await freePort();
    start = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        MAMORI_STATE_DIR: stateDir,
        PORT: String(port),
        HTTP_PORT: '0',
        METRICS_PORT: '0',
        REDIS_PREFIX: `sup${randomSuffix()}`,
        // start.mjs reads each service's port from its "ready" line, an info line.
        LOG_LEVEL: 'info',
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => start!.once('exit', (code) => resolve(code)));
    for (const stream of [start.stdout!, start.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        lines.push(...parts);
      });
    }
    await waitFor(
      () => {
        if (start!.exitCode !== null) {
          throw new Error(`npm start exited (${start!.exitCode}):\n${output()}`);
        }
        return lines.some((line) => line.includes('Mamori is up'));
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'npm start up' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output()}`);
    });
  });

  afterAll(async () => {
    if (start && start.exitCode === null) {
      start.kill('SIGINT');
      await within(exited, 20_000);
      start.kill('SIGKILL');
    }
    await smtp.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('restarts a killed service after a pause with a log line, keeps the rest running, and Ctrl-C stops all', async () => {
    const pids: Record<string, number> = {};
    for (const name of ['auth', 'notification', 'case-management', 'audit', 'gateway']) {
      const match = lineMatching(new RegExp(`\\[start\\] ${name} ready \\(.*pid (\\d+)\\)`));
      expect(match).toBeDefined();
      pids[name] = Number(match![1]);
    }
    const port = Number(lineMatching(/gateway ready \(port (\d+)/)![1]);
    const api = new ApiClient(`http://127.0.0.1:${port}/api/v1`);
    const operator = {
      userId: `ops-sup-${randomSuffix()}`,
      email: `ops-sup-${randomSuffix()}@provider.example`,
      password: strongPassword(),
    };
    await createOperator(operator.userId, operator.email, operator.password);

    // The auth service dies (as in a crash: no chance to say goodbye).
    process.kill(pids.auth, 'SIGKILL');
    const restarted = await waitFor(() => lineMatching(/\[start\] auth restarted \(pid (\d+)\)/), {
      timeoutMs: 30_000,
      description: 'auth restarted',
    });
    expect(
      lineMatching(
        /\[start\] auth stopped unexpectedly \(killed by SIGKILL\); restarting it in 1 s \(restart 1\)/,
      ),
    ).toBeDefined();
    const newAuthPid = Number(restarted[1]);
    expect(newAuthPid).not.toBe(pids.auth);
    expect(alive(pids.auth)).toBe(false);
    expect(alive(newAuthPid)).toBe(true);
    // The rest kept running, untouched.
    for (const name of ['notification', 'case-management', 'audit', 'gateway']) {
      expect({ name, alive: alive(pids[name]) }).toEqual({ name, alive: true });
    }
    expect(lines.filter((line) => line.includes('stopped unexpectedly'))).toHaveLength(1);

    // Login works again once the new auth process answers: password, then the e-mailed code.
    await waitFor(
      async () =>
        (await api.post('/auth/login', { userId: operator.userId, password: operator.password })).status ===
        200,
      { timeoutMs: 60_000, intervalMs: 500, description: 'login answered 200 after the restart' },
    );
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    expect(tokens.accessToken).toEqual(expect.any(String));

    // Ctrl-C: every process npm start started stops, and it exits 0.
    start!.kill('SIGINT');
    const code = await within(exited, 40_000);
    expect({ code, tail: code === 0 ? '' : output() }).toEqual({ code: 0, tail: '' });
    expect(lineMatching(/\[start\] stopped cleanly/)).toBeDefined();
    for (const [name, pid] of Object.entries({ ...pids, auth: newAuthPid })) {
      expect({ name, alive: alive(pid) }).toEqual({ name, alive: false });
    }
  });
});
