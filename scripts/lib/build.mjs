// "Build when dist is missing or older than the sources": the check shared by start.mjs and cli.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './managed-process.mjs';

const SOURCE_DIRS = ['apps', 'libs'];
/** The services' TypeScript and the portal's (tsx, its styles and page). */
const SOURCE_FILE = /\.(ts|tsx|css|html)$/;
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** Written after every build this script runs; tsc's own build info counts too. */
const STAMP = path.join('dist', '.build-stamp');

function newestSourceMtime(root) {
  let newest = 0;
  const visit = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'testing') {
          visit(full);
        }
      } else if (SOURCE_FILE.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name)) {
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
      }
    }
  };
  for (const dir of SOURCE_DIRS) {
    visit(path.join(root, dir));
  }
  for (const file of SOURCE_FILES) {
    try {
      newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
    } catch {
      // optional file
    }
  }
  return newest;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Why a build is needed, or undefined when dist is up to date for these entry points. */
export function buildReason(root, entries) {
  const missing = entries.filter(
    ({ source, output }) => fs.existsSync(path.join(root, source)) && !fs.existsSync(path.join(root, output)),
  );
  if (missing.length > 0) {
    return `${missing.map((entry) => entry.output).join(', ')} missing`;
  }
  const built = Math.max(mtime(path.join(root, STAMP)), mtime(path.join(root, 'dist', '.tsbuildinfo')));
  if (newestSourceMtime(root) > built) {
    return 'sources changed since the last build';
  }
  return undefined;
}

/** Runs `npm run build` when needed; throws when the build fails. */
export async function ensureBuilt(root, entries, { log = console.log, force = false, stdio } = {}) {
  const reason = force ? 'asked to' : buildReason(root, entries);
  if (!reason) {
    return false;
  }
  await runBuild(root, { log, reason, stdio });
  return true;
}

/** `stdio` defaults to inherit; the CLI sends the compiler's output to stderr instead. */
export async function runBuild(root, { log = console.log, reason, stdio } = {}) {
  log(`building (${reason ?? 'npm run build'}) …`);
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const code = await runCommand(npm, ['run', '--silent', 'build'], { cwd: root, stdio });
  if (code !== 0) {
    throw new Error(`npm run build failed (exit ${code}); fix the errors above`);
  }
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP), `${new Date().toISOString()}\n`);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
