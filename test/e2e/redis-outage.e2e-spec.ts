import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { ApiClient, Platform, startPlatform } from '@app/testing';

const OUTAGE_MS = 25_000;
const RECOVERY_BUDGET_MS = 10_000;

/** A redis-server of this test file on a fixed port, so it can be stopped and started again. */
class RestartableRedis {
  private child?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    const child = spawn(
      bin,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await this.answers())) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error('redis-server did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
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

async function status(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(12_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

describe('a Redis outage of 25 s', () => {
  let redis: RestartableRedis;
  let platform: Platform;
  let api: ApiClient;

  beforeAll(async () => {
    redis = new RestartableRedis(await freePort());
    await redis.start();
    platform = await startPlatform({ env: { REDIS_URL: redis.url } });
    api = new ApiClient(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
    await redis?.stop();
  });

  const wrongLogin = () => api.post('/auth/login', { userId: 'nobody-redis', password: 'Wrong-Passw0rd!' });

  it('readiness goes 503 during it, no 500 meanwhile, and the platform answers within 10 s of its end', async () => {
    expect((await wrongLogin()).status).toBe(401);
    await redis.stop();
    const outageStarted = Date.now();
    const during: number[] = [];
    const readiness = new Set<number>();
    while (Date.now() - outageStarted < OUTAGE_MS) {
      readiness.add(await status(`${platform.rootUrl}/health/ready`));
      during.push((await wrongLogin()).status);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(readiness.has(503)).toBe(true);
    // Whatever a request met during the outage, it was an answer the client can act on.
    expect(during.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(await status(`${platform.rootUrl}/health`)).toBe(200);

    await redis.start();
    const back = Date.now();
    let answered = 0;
    while (Date.now() - back < RECOVERY_BUDGET_MS) {
      const [readyNow, login] = await Promise.all([
        status(`${platform.rootUrl}/health/ready`),
        wrongLogin().then((r) => r.status),
      ]);
      if (readyNow === 200 && (login === 401 || login === 423)) {
        answered = Date.now() - back;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    process.stdout.write(
      `redis outage: answering ${answered} ms after Redis returned; during: ${during.join(',')}\n`,
    );
    expect(answered).toBeGreaterThan(0);
  });
});
