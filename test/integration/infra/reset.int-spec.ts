import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const asRoot = process.getuid?.() === 0;

/** `npm run reset` (scripts/reset.mjs) on a state folder of this test (MAMORI_STATE_DIR). */
function reset(stateDir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'reset.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, MAMORI_STATE_DIR: stateDir },
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm run reset', () => {
  let stateDir: string;
  /** Where the servers' data goes when their OS user cannot reach the state folder (scripts/infra.mjs). */
  let fallback: string;

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-reset-test-'));
    fs.mkdirSync(path.join(stateDir, 'postgres', 'data'), { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'secrets.json'), '{}');
    fallback = path.join('/var/lib/mamori', createHash('sha256').update(stateDir).digest('hex').slice(0, 12));
    if (asRoot) {
      fs.mkdirSync(path.join(fallback, 'redis'), { recursive: true });
    }
  });

  afterEach(() => {
    fs.rmSync(stateDir, { recursive: true, force: true });
    if (asRoot) {
      fs.rmSync(fallback, { recursive: true, force: true });
    }
  });

  it('deletes nothing without --yes, and says what it would delete and how to confirm', () => {
    const { status, output } = reset(stateDir);
    expect(status).toBe(1);
    expect(output).toContain(stateDir);
    expect(output).toContain('npm run reset -- --yes');
    expect(output).toContain('Nothing was deleted');
    expect(fs.existsSync(path.join(stateDir, 'secrets.json'))).toBe(true);
    if (asRoot) {
      expect(output).toContain(fallback);
      expect(fs.existsSync(fallback)).toBe(true);
    }
  });

  it('with --yes deletes the state folder and the servers’ data folder under /var/lib/mamori', () => {
    const { status, output } = reset(stateDir, '--yes');
    expect(status).toBe(0);
    expect(output).toContain(`deleted ${stateDir}`);
    expect(fs.existsSync(stateDir)).toBe(false);
    if (asRoot) {
      expect(output).toContain(`deleted ${fallback}`);
      expect(fs.existsSync(fallback)).toBe(false);
    }
  });

  it('refuses while npm start runs in the checkout, and stops nothing', () => {
    // This test's own process stands for a running npm start.
    fs.writeFileSync(path.join(stateDir, 'running.json'), JSON.stringify({ pid: process.pid }));
    const { status, output } = reset(stateDir, '--yes');
    expect(status).toBe(1);
    expect(output).toContain(`npm start is running in this checkout (pid ${process.pid})`);
    expect(fs.existsSync(path.join(stateDir, 'secrets.json'))).toBe(true);
  });

  it('refuses while a server still runs on the data, naming it', async () => {
    // A process whose command line names the data, as a server's does (postgres -D …/data).
    const server = spawn(
      process.execPath,
      ['-e', 'setTimeout(() => {}, 60000)', `${stateDir}/postgres/data`],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((resolve) => server.once('spawn', resolve));
    const pid = server.pid!;
    try {
      const { status, output } = reset(stateDir, '--yes');
      expect(status).toBe(1);
      expect(output).toContain(`${pid} (`);
      expect(output).toContain(`${stateDir}/postgres/data`);
      expect(fs.existsSync(path.join(stateDir, 'postgres', 'data'))).toBe(true);
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('refuses a state folder that holds the checkout', () => {
    const { status, output } = reset(path.dirname(ROOT), '--yes');
    expect(status).toBe(1);
    expect(output).toContain('holds the checkout');
    expect(fs.existsSync(path.join(ROOT, 'package.json'))).toBe(true);
  });
});
