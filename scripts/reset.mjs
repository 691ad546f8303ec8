// `npm run reset -- --yes`: deletes Mamori's local data, so the next `npm start` begins from nothing.
//
// What goes: the state folder (`.mamori/`, or MAMORI_STATE_DIR): generated secrets, logs, and the
// data of the PostgreSQL, Redis and NATS that npm start ran itself; and /var/lib/mamori/<hash>, where
// that data lives when the servers' OS user cannot reach the checkout (a checkout under /root).
// What stays: any server Mamori did not start (DATABASE_URL, a PostgreSQL or Redis already running
// on its usual port) keeps its `mamori` database and keys. Nothing is stopped: while npm start (or
// anything using these folders) runs, reset refuses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataLocations, PROJECT_ROOT, STATE_DIR } from './infra.mjs';

const say = (message) => console.log(`[reset] ${message}`);
const fail = (message) => {
  console.error(`[reset] ${message}`);
  process.exit(1);
};

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Processes whose command line names one of `folders` (a server still running on that data). */
function processesUsing(folders) {
  const found = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const pid of entries) {
    if (Number(pid) === process.pid) {
      continue;
    }
    let cmdline;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (folders.some((folder) => cmdline.includes(`${folder}/`))) {
      found.push(`${pid} (${cmdline.trim().slice(0, 100)})`);
    }
  }
  return found;
}

function main(argv) {
  const unknown = argv.filter((arg) => arg !== '--yes');
  if (unknown.length > 0) {
    fail(`unknown argument ${unknown.join(' ')}; usage: npm run reset -- --yes`);
  }
  const resolved = path.resolve(STATE_DIR);
  // A state folder that holds the checkout or the home folder is not Mamori's to delete.
  if (
    [PROJECT_ROOT, os.homedir()].some(
      (kept) => kept === resolved || kept.startsWith(`${resolved}${path.sep}`),
    )
  ) {
    fail(`refusing to delete ${resolved}: it holds the checkout or a home folder (check MAMORI_STATE_DIR)`);
  }

  let running;
  try {
    running = JSON.parse(fs.readFileSync(path.join(resolved, 'running.json'), 'utf8')).pid;
  } catch {
    running = undefined;
  }
  if (isAlive(running)) {
    fail(`npm start is running in this checkout (pid ${running}); stop it (Ctrl-C), then reset`);
  }

  const locations = dataLocations(resolved).filter((folder) => fs.existsSync(folder));
  if (locations.length === 0) {
    say(`nothing to delete: ${resolved} does not exist`);
    return;
  }
  const users = processesUsing(locations);
  if (users.length > 0) {
    fail(`these processes still use Mamori's local data; stop them first:\n  ${users.join('\n  ')}`);
  }

  if (!argv.includes('--yes')) {
    console.log(
      [
        "npm run reset deletes Mamori's local data: generated secrets, logs, and the databases, queues",
        'and streams of the PostgreSQL, Redis and NATS that npm start ran itself:',
        ...locations.map((folder) => `  ${folder}`),
        'A server Mamori did not start (DATABASE_URL, or one already running on its usual port) keeps',
        'its `mamori` database and Redis keys. Nothing was deleted. To go ahead:',
        '',
        '  npm run reset -- --yes',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
  for (const folder of locations) {
    fs.rmSync(folder, { recursive: true, force: true });
    say(`deleted ${folder}`);
  }
  say('done: the next npm start creates fresh secrets and empty databases');
}

main(process.argv.slice(2));
