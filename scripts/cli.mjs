// `npm run cli -- <command> …`: builds when needed, then runs the CLI app (dist/apps/cli) with the
// same infrastructure defaults as `npm start`: NATS_URL from the environment, else the local NATS.
// It installs and starts nothing: the platform is expected to be running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, STATE_DIR } from './infra.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { passwordVariable } from './lib/nats-auth.mjs';

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

/** The running `npm start` of this checkout: its NATS (maybe not on the default port) and NATS user. */
function runningPlatform() {
  try {
    const running = JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'running.json'), 'utf8'));
    process.kill(running.pid, 0);
    return running;
  } catch {
    return undefined;
  }
}

/** The CLI's password on npm start's own NATS, from .mamori/secrets.json. */
function storedPassword(user) {
  try {
    return JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'secrets.json'), 'utf8'))[passwordVariable(user)];
  } catch {
    return undefined;
  }
}

const running = process.env.NATS_URL ? undefined : runningPlatform();
const env = {
  ...process.env,
  NATS_URL: process.env.NATS_URL || running?.NATS_URL || 'nats://127.0.0.1:4222',
};
if (running?.natsUser && !process.env.NATS_USER) {
  // npm start's NATS lets only the CLI's user create operators.
  env.NATS_USER = running.natsUser;
  env.NATS_PASSWORD = process.env[passwordVariable(running.natsUser)] || storedPassword(running.natsUser);
}
const child = spawn(process.execPath, [path.join(PROJECT_ROOT, entry.output), ...process.argv.slice(2)], {
  cwd: PROJECT_ROOT,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
