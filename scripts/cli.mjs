// `npm run cli -- <command> …`: builds when needed, then runs the CLI app (dist/apps/cli) with the
// same infrastructure defaults as `npm start`: NATS_URL from the environment, else the local NATS.
// It installs and starts nothing: the platform is expected to be running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, STATE_DIR } from './infra.mjs';
import { ensureBuilt } from './lib/build.mjs';

const entry = { source: 'apps/cli/src/main.ts', output: 'dist/apps/cli/src/main.js' };

try {
  // Build messages go to stderr: the CLI's stdout is its result.
  await ensureBuilt(PROJECT_ROOT, [entry], {
    log: (message) => console.error(`[cli] ${message}`),
    stdio: ['ignore', process.stderr, process.stderr],
  });
} catch (error) {
  console.error(`[cli] ${error.message}`);
  process.exit(1);
}

/** The NATS of a running `npm start` in this checkout (it may not be on the default port). */
function runningNatsUrl() {
  try {
    const running = JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'running.json'), 'utf8'));
    process.kill(running.pid, 0);
    return running.NATS_URL;
  } catch {
    return undefined;
  }
}

const env = { ...process.env, NATS_URL: process.env.NATS_URL || runningNatsUrl() || 'nats://127.0.0.1:4222' };
const child = spawn(process.execPath, [path.join(PROJECT_ROOT, entry.output), ...process.argv.slice(2)], {
  cwd: PROJECT_ROOT,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
