// Runs before `npm start`, `npm test` and `npm run cli` with Node's own modules only, so that a fresh
// clone without its dependencies gets the one command to run instead of a module-not-found stack.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const wanted = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
const missing = wanted.filter(
  (name) => !fs.existsSync(path.join(root, 'node_modules', name, 'package.json')),
);

if (missing.length > 0) {
  const some = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', …' : '');
  process.stderr.write(
    `Mamori's dependencies are not installed (missing: ${some}). Run this once, then try again:\n\n` +
      `    npm ci\n\n`,
  );
  process.exit(1);
}
