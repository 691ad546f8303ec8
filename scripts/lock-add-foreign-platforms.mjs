// Completes package-lock.json with entries for other platforms' optional native packages.
//
// npm 11's `npm ci` insists that every optional dependency of a locked package has a lock entry,
// even a binary for another OS. The registry this project installs from does not serve some of them
// (darwin/win32 builds of @swc/core and msgpackr-extract answer 404), so `npm install` leaves them
// out and `npm ci` then refuses the lock. This writes the entry npm itself would write — version,
// os/cpu/libc, optional — taken from the parent's optionalDependencies and a sibling entry, so npm
// skips them on platforms they are not for. Run it after changing dependencies:
//   npm install && node scripts/lock-add-foreign-platforms.mjs
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './infra.mjs';

const LOCK = path.join(PROJECT_ROOT, 'package-lock.json');
// A package name's platform part: `<os>-<cpu>`, then an optional ABI (`-gnu`, `-musl`, `-msvc`, …).
const PLATFORM_PART = /-(darwin|linux|win32|freebsd|android)-(arm64|x64|arm|ia32|ppc64|s390x)(?:-([a-z]+))?$/;
const LIBC = { gnu: 'glibc', gnueabihf: 'glibc', musl: 'musl' };

const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
const added = [];
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) {
      continue;
    }
    const platform = PLATFORM_PART.exec(name);
    if (!platform) {
      throw new Error(`${name} (optional dependency of ${location || 'the root'}): no platform in its name`);
    }
    const [, os, cpu, abi] = platform;
    const libc = os === 'linux' && abi ? LIBC[abi] : undefined;
    // The license of a build for this platform is the license of the build that is installed.
    const sibling = Object.keys(entry.optionalDependencies)
      .map((other) => lock.packages[`node_modules/${other}`])
      .find(Boolean);
    lock.packages[key] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      ...(sibling?.license ? { license: sibling.license } : {}),
      optional: true,
      os: [os],
    };
    added.push(`${name}@${version}`);
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} entries:\n  ${added.join('\n  ')}` : 'nothing to add');
