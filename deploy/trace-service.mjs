// Copies what one service needs at run time, and nothing else, into an output folder: its compiled
// entry point and every file it can load (its part of dist/ and of node_modules/), traced from the
// entry point by @vercel/nft. The Dockerfile's runtime stage is this folder, so each image carries
// only its own service's dependencies.
//
//   node deploy/trace-service.mjs <service> <out-dir>     (after `npm run build`)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFileTrace } from '@vercel/nft';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [service, out] = process.argv.slice(2);
if (!service || !out) {
  console.error('usage: node deploy/trace-service.mjs <service> <out-dir>');
  process.exit(2);
}
const entry = path.join('dist', 'apps', service, 'src', 'main.js');
if (!fs.existsSync(path.join(root, entry))) {
  console.error(`${entry} does not exist: build first, and check the service name`);
  process.exit(2);
}
// `module-sync`: Node 22+ (and 20.19+) load a package's ESM build through require() when it offers one.
const { fileList, warnings } = await nodeFileTrace([entry], {
  base: root,
  processCwd: root,
  conditions: ['node', 'module-sync', 'require', 'import', 'default'],
});
// Whole packages, not single files: a package's entry points chosen by export conditions (require
// beside import, nested conditions) are not all seen by a static trace, and a package is small.
const packages = new Set();
const files = [];
for (const file of fileList) {
  const match = file.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  if (match) {
    packages.add(match[1]);
  } else {
    files.push(file);
  }
}
let bytes = 0;
const copy = (from, to) => {
  const stat = fs.lstatSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) {
      // Nested node_modules come in as packages of their own when the service reaches them.
      if (name !== 'node_modules') {
        copy(path.join(from, name), path.join(to, name));
      }
    }
  } else if (stat.isSymbolicLink()) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    bytes += stat.size;
  }
};
for (const file of [...files, ...packages]) {
  copy(path.join(root, file), path.join(out, file));
}
// The service's entry under a fixed name, so the image's entry point is the same for every service.
fs.writeFileSync(path.join(out, 'service.js'), `require('./${entry.split(path.sep).join('/')}');\n`);
for (const warning of warnings) {
  if (!/Failed to resolve dependency/.test(String(warning.message))) {
    console.error(`trace: ${warning.message}`);
  }
}
console.log(`${service}: ${packages.size} packages, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
