import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICE_NAMES, ServiceName } from '@app/contracts';
import { auditIngestNatsEnv, natsUserEnv } from '../infra/nats-users';
import { testEnv } from '../infra/test-env';

export type PlatformService = ServiceName | 'gateway';

export interface PlatformOptions {
  /** Extra environment for every process (e.g. SMTP_URL, SMS_PROVIDER, SMS_WEBHOOK_URL, PUBLIC_URL). */
  env?: Record<string, string>;
  /** Extra environment for one service only; wins over `env`. */
  serviceEnv?: Partial<Record<PlatformService, Record<string, string>>>;
  /** Processes per back-end service, e.g. `{ auth: 2, notification: 2 }` (default 1 each). */
  instances?: Partial<Record<ServiceName, number>>;
  /** Back-end services to start (default all). The gateway always starts. */
  services?: readonly ServiceName[];
  /** How long to wait for the gateway's `/health/ready` (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * The gateway's port (default: a free one). A browser test that must name the page's origin
   * before the services start (WEBAUTHN_ORIGINS for passkeys) picks it with `freePort()`.
   */
  port?: number;
}

export interface Platform {
  /** `http://127.0.0.1:PORT/api/v1` */
  baseUrl: string;
  /** `http://127.0.0.1:PORT` (health, metrics, docs) */
  rootUrl: string;
  /** Output lines of every instance of a service (`auth`) or of one (`auth#1`), oldest first (pino JSON lines). */
  logs(which: PlatformService | `${PlatformService}#${number}`): string[];
  /** SIGTERM to every process; resolves when all have exited (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /**
   * Sends `signal` to one instance (`auth`, or `auth#2` with several) and resolves with how it
   * exited, for fault tests (a SIGTERM during a burst, a SIGKILL as a crash).
   */
  signal(
    label: string,
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts an instance that exited (after `signal`) again, with the same environment. */
  start(label: string): void;
}

const MAX_LINES = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const ROOT = findRoot();

interface Instance {
  service: PlatformService;
  label: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  lines: string[];
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  exited: Promise<void>;
}

/** Processes still running in this test process, killed if the worker exits without stop(). */
const running = new Set<Instance>();
let exitHook = false;

function findRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'nest-cli.json'))) {
      return dir;
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function entryOf(service: PlatformService): string {
  const file = path.join(ROOT, 'dist', 'apps', service, 'src', 'main.js');
  if (!fs.existsSync(file)) {
    throw new Error(
      `${path.relative(ROOT, file)} does not exist: run \`npm run build\` (npm test does it before the e2e tier)`,
    );
  }
  return file;
}

function launch(service: PlatformService, label: string, env: NodeJS.ProcessEnv): Instance {
  const child = spawn(process.execPath, [entryOf(service)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (line: string): void => {
    lines.push(line);
    if (lines.length > MAX_LINES) {
      lines.shift();
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', keep);
  readline.createInterface({ input: child.stderr! }).on('line', keep);
  const instance: Instance = { service, label, env, child, lines, exited: Promise.resolve() };
  instance.exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      instance.exit = { code, signal };
      running.delete(instance);
      resolve();
    });
    child.once('error', (error) => {
      keep(`failed to start: ${error.message}`);
      instance.exit = { code: 127, signal: null };
      running.delete(instance);
      resolve();
    });
  });
  running.add(instance);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const left of running) {
        left.child.kill('SIGKILL');
      }
    });
  }
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.exit) {
    return;
  }
  instance.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    instance.exited,
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        instance.child.kill('SIGKILL');
        resolve();
      }, STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  await instance.exited;
}

function report(instances: Instance[]): string {
  return instances
    .map((instance) => {
      const state = instance.exit
        ? `exited (${instance.exit.signal ?? `code ${instance.exit.code}`})`
        : 'running';
      const tail = instance.lines
        .slice(-12)
        .map((line) => `      ${line}`)
        .join('\n');
      return `  ${instance.label}: ${state}\n${tail || '      (no output)'}`;
    })
    .join('\n');
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts the built services (dist/) as real processes, as production runs them, on the test run's
 * database, NATS and Redis: each back-end service with HTTP_PORT=0 (replicas side by side), the
 * gateway on a free port. Resolves once the gateway's `/health/ready?scope=platform` answers 200,
 * i.e. every service answers over NATS; rejects with each process's last output lines otherwise.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const base = testEnv();
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const services = options.services ?? SERVICE_NAMES;
  const sharedEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...base,
    NODE_ENV: 'test',
    // The processes' output is kept for logs(), not printed: info is cheap and tests read request ids in it.
    LOG_LEVEL: 'info',
    // The run's SMTP sink is a plain local server without STARTTLS (production requires it).
    SMTP_REQUIRE_TLS: 'false',
    // Every file's clients come from 127.0.0.1 into the run's one Redis: the gateway's rate limits
    // are tested on their own (test/integration/gateway), so here they stay out of the way.
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...options.env,
  };
  const instances: Instance[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(instances.map((instance) => stopInstance(instance)));
  };

  try {
    for (const service of services) {
      const count = options.instances?.[service] ?? 1;
      for (let index = 1; index <= count; index++) {
        // Each service as its own NATS user, with the permissions production gives it.
        const env = {
          ...sharedEnv,
          ...natsUserEnv(service),
          ...(service === 'audit' ? auditIngestNatsEnv() : {}),
          HTTP_PORT: '0',
          ...options.serviceEnv?.[service],
        };
        instances.push(launch(service, count > 1 ? `${service}#${index}` : service, env));
      }
    }
    const port = options.port ?? (await freePort());
    instances.push(
      launch('gateway', 'gateway', {
        ...sharedEnv,
        ...natsUserEnv('gateway'),
        PORT: String(port),
        ...options.serviceEnv?.gateway,
      }),
    );
    const rootUrl = `http://127.0.0.1:${port}`;
    const baseUrl = `${rootUrl}/api/v1`;

    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const dead = instances.filter((instance) => instance.exit);
      if (dead.length > 0) {
        throw new Error(
          `startPlatform: ${dead.map((d) => d.label).join(', ')} exited during start-up:\n${report(instances)}`,
        );
      }
      if (await isReady(`${rootUrl}/health/ready?scope=platform`)) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `startPlatform: the gateway's /health/ready was not 200 within ${readyTimeoutMs / 1000} s:\n${report(instances)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    return {
      baseUrl,
      rootUrl,
      logs: (which) =>
        instances
          .filter((instance) => instance.service === which || instance.label === which)
          .flatMap((instance) => instance.lines),
      stop,
      signal: async (label, signal) => {
        const instance = instances.find((candidate) => candidate.label === label);
        if (!instance) {
          throw new Error(`no instance ${label}: ${instances.map((i) => i.label).join(', ')}`);
        }
        instance.child.kill(signal);
        await instance.exited;
        return instance.exit ?? { code: null, signal: null };
      },
      start: (label) => {
        const index = instances.findIndex((candidate) => candidate.label === label);
        const old = instances[index];
        if (!old?.exit) {
          throw new Error(`${label} is not an instance that exited`);
        }
        instances[index] = launch(old.service, label, old.env);
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
