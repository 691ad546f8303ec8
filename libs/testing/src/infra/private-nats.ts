import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { natsPasswordVariable } from './nats-users';

const TEST_HARNESS = 'test-harness';

export interface PrivateNats {
  url: string;
  stop(): Promise<void>;
}

/** deploy/nats/auth.conf: Mamori's NATS users and permissions, with the passwords as variables. */
function shippedAuthConfig(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'deploy', 'nats', 'auth.conf'))) {
    if (dir === path.dirname(dir)) {
      throw new Error('deploy/nats/auth.conf not found above libs/testing');
    }
    dir = path.dirname(dir);
  }
  return fs.readFileSync(path.join(dir, 'deploy', 'nats', 'auth.conf'), 'utf8');
}

/**
 * A nats-server with JetStream for one test file, on a port it picks itself, with Mamori's users
 * and permissions (the run's passwords, from the environment `npm test` sets) plus the test-only
 * unrestricted user. Files that put a gateway in front of an in-process service need their own: on
 * the run's shared NATS, another file's instance of the same service would share the queue group and
 * answer our requests. `npm test` names the binary in NATS_SERVER_BIN.
 */
export async function startPrivateNats(): Promise<PrivateNats> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-test-nats-'));
  const bin = process.env.NATS_SERVER_BIN ?? 'nats-server';
  const configFile = path.join(storeDir, 'auth.conf');
  const harness = [
    '    {',
    `      user: "${TEST_HARNESS}"`,
    `      password: $${natsPasswordVariable(TEST_HARNESS)}`,
    '    }',
    '  ]',
  ].join('\n');
  fs.writeFileSync(configFile, shippedAuthConfig().replace(/\n {2}\]\n\}/, `\n${harness}\n}`), {
    mode: 0o600,
  });
  const child: ChildProcess = spawn(
    bin,
    ['-c', configFile, '-a', '127.0.0.1', '-p', '-1', '-js', '-sd', path.join(storeDir, 'js')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let port: number | undefined;
    const timer = setTimeout(() => reject(new Error('nats-server did not start within 10 s')), 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}`));
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      const match = line.match(/Listening for client connections on [^\s]*:(\d+)/);
      if (match) {
        port = Number(match[1]);
      }
      if (line.includes('Server is ready') && port !== undefined) {
        clearTimeout(timer);
        resolve(`nats://127.0.0.1:${port}`);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

export interface RestartableNats {
  url: string;
  /** Stops the server as an outage would, keeping its JetStream store for the restart. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same store (streams and consumers survive). */
  start(): Promise<void>;
  /** Stops it for good and removes the store. */
  dispose(): Promise<void>;
}

/** A private nats-server that a fault test stops and starts again, as an operator's restart would. */
export async function startRestartableNats(): Promise<RestartableNats> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-test-nats-'));
  const bin = process.env.NATS_SERVER_BIN ?? 'nats-server';
  const port = await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const started = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nats-server did not start within 10 s')), 10_000);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}`));
      });
      readline.createInterface({ input: started.stderr! }).on('line', (line) => {
        if (line.includes('Server is ready')) {
          clearTimeout(timer);
          started.removeAllListeners('exit');
          resolve();
        }
      });
    });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running && running.exitCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    }
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    stop,
    start,
    dispose: async () => {
      await stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
