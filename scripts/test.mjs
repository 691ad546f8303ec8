// `npm test`: unit, portal, integration, end-to-end and browser tiers against real PostgreSQL, Redis
// and NATS. The portal tier is the web portal's component tests (Vitest, jsdom, apps/portal); the
// browser tier drives the built portal in Debian's Chromium (installed when missing, like the servers).
//
// PostgreSQL comes from infra.mjs (env, local port, or installed and started); NATS and Redis are
// private to this run, so nothing is shared with a running platform or another test run. A fresh
// database `mamori_test_<random>` is created and dropped at the end, also on failure or Ctrl-C.
// DATABASE_URL, when set, names the server to use; NATS_URL and REDIS_URL are deliberately ignored.
//
//   npm test                         all three tiers, in order
//   npm test -- test/e2e/story       only the tiers that have matching files
//   npm test -- --tier=unit          one tier (comma-separated for several)
//   npm test -- -t 'lockout'         any other argument goes to jest
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  dropDatabase,
  dropRole,
  ensureAuditRuntimeRole,
  ensureDatabase,
  ensureChromium,
  ensureDovecot,
  findBinary,
  printableUrl,
  PROJECT_ROOT,
  startInfra,
  startPrivateNats,
  startPrivateRedis,
  withDatabase,
} from './infra.mjs';
import { runBuild } from './lib/build.mjs';
import { natsUsers, newNatsPassword, passwordVariable, TEST_HARNESS_USER } from './lib/nats-auth.mjs';
import { newSigningKeys } from './lib/signing-keys.mjs';

const TIERS = [
  { name: 'unit', suffix: /\.spec\.ts$/, args: [] },
  { name: 'portal', runner: 'vitest' },
  // A worker that has run many files holds a large heap (each file loads its modules afresh), and a
  // large heap makes every collection slow: a worker past 1 GB after a file is replaced by a new one.
  {
    name: 'integration',
    suffix: /\.int-spec\.ts$/,
    args: ['--maxWorkers=2', '--workerIdleMemoryLimit=1GB'],
  },
  { name: 'e2e', suffix: /\.e2e-spec\.ts$/, args: ['--runInBand'] },
  { name: 'browser', suffix: /\.browser-spec\.ts$/, args: ['--runInBand'] },
];
const JEST = path.join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const VITEST = path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const PORTAL_DIR = 'apps/portal/';
/** These tiers run the built services from dist/ (and the browser tier the built portal). */
const NEEDS_BUILD = ['e2e', 'browser'];

const say = (message) => console.log(`[test] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function parseArgs(argv) {
  let tierFilter;
  const jestArgs = [];
  for (const arg of argv) {
    if (arg.startsWith('--tier=')) {
      tierFilter = arg.slice('--tier='.length).split(',');
      const unknown = tierFilter.filter((name) => !TIERS.some((tier) => tier.name === name));
      if (unknown.length > 0) {
        throw new Error(`unknown tier ${unknown.join(', ')} (${TIERS.map((tier) => tier.name).join(', ')})`);
      }
    } else {
      jestArgs.push(arg);
    }
  }
  return { tierFilter, jestArgs };
}

/** With paths or patterns given, run only the tiers that have a matching test file. */
function selectTiers(jestArgs, tierFilter) {
  let tiers = tierFilter ? TIERS.filter((tier) => tierFilter.includes(tier.name)) : TIERS;
  if (jestArgs.length === 0) {
    return tiers;
  }
  const listed = spawnSync(process.execPath, [JEST, '--listTests', ...jestArgs], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (listed.status !== 0) {
    throw new Error(`jest --listTests failed:\n${listed.stderr}`);
  }
  const files = listed.stdout.split('\n').filter(Boolean);
  tiers = tiers.filter((tier) =>
    tier.runner === 'vitest'
      ? portalPaths(jestArgs).length > 0
      : files.some((file) => tier.suffix.test(file)),
  );
  if (tiers.length === 0) {
    throw new Error(`no test file matches ${jestArgs.join(' ')}`);
  }
  return tiers;
}

/** The arguments that name a path inside the portal (or a folder holding it), for Vitest. */
function portalPaths(args) {
  return args
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => arg.replace(/^\.\//, ''))
    .filter(
      (arg) => arg.startsWith(PORTAL_DIR) || PORTAL_DIR.startsWith(arg.endsWith('/') ? arg : `${arg}/`),
    );
}

/** The command line of one tier: jest with its project, or Vitest with the portal's config. */
function tierCommand(tier, jestArgs, reportFile) {
  if (tier.runner === 'vitest') {
    const filters = portalPaths(jestArgs).filter((arg) => arg.length > PORTAL_DIR.length);
    return [
      VITEST,
      'run',
      '--config',
      `${PORTAL_DIR}vite.config.ts`,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
      ...filters.map((arg) => path.join(PROJECT_ROOT, arg)),
    ];
  }
  return [
    JEST,
    '--selectProjects',
    tier.name,
    ...tier.args,
    '--passWithNoTests',
    '--json',
    `--outputFile=${reportFile}`,
    ...jestArgs,
  ];
}

const randomId = () => randomBytes(4).toString('hex');
const secret = () => randomBytes(48).toString('base64url');

function readCounts(file) {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      passed: report.numPassedTests ?? 0,
      failed: report.numFailedTests ?? 0,
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    };
  } catch {
    return undefined;
  }
}

async function main() {
  const startedAt = Date.now();
  const { tierFilter, jestArgs } = parseArgs(process.argv.slice(2));
  const tiers = selectTiers(jestArgs, tierFilter);
  say(`tiers: ${tiers.map((tier) => tier.name).join(', ')}`);

  let interrupted = false;
  let jestChild;
  const cleanups = [];
  const onSignal = (signal) => {
    if (interrupted) {
      return;
    }
    interrupted = true;
    say(`${signal}: stopping after cleanup`);
    // A terminal's Ctrl-C reaches jest too (same process group); a SIGTERM to us must be passed on.
    jestChild?.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const results = [];
  let setupMs = 0;
  let exitCode = 0;
  try {
    // The e2e and browser tiers run the built services (and portal) from dist/.
    const building = tiers.filter((tier) => NEEDS_BUILD.includes(tier.name));
    if (building.length > 0) {
      const names = building.map((tier) => tier.name).join(' and ');
      await runBuild(PROJECT_ROOT, {
        log: say,
        reason: `the ${names} tier${building.length > 1 ? 's run' : ' runs'} dist/`,
      });
    }
    // The browser tier drives Debian's Chromium (issue 14), installed like the servers when missing.
    const chromium = tiers.some((tier) => tier.name === 'browser')
      ? await ensureChromium({ log: say })
      : undefined;
    if (interrupted) {
      throw new Error('interrupted');
    }

    const setupStarted = Date.now();
    const log = (message) => say(message);
    // The run's NATS has Mamori's users and permissions, as in production; the harnesses that
    // inspect JetStream use a test-only user without restrictions.
    const natsPasswords = Object.fromEntries(
      [...natsUsers(), TEST_HARNESS_USER].map((user) => [user, newNatsPassword()]),
    );
    const settled = await Promise.allSettled([
      startInfra({ components: ['postgres'], log }),
      startPrivateNats({ log, auth: { passwords: natsPasswords, testHarness: true } }),
      startPrivateRedis({ log }),
    ]);
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') {
        cleanups.push(() => outcome.value.stop());
      }
    }
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      throw failure.reason;
    }
    const [infra, nats, redis] = settled.map((outcome) => outcome.value);
    // NOTIF-6: the bounce mailbox tests start their own Dovecot; they are skipped, saying why, without one.
    const dovecot = tiers.some((tier) => tier.name === 'integration')
      ? await ensureDovecot({ log })
      : undefined;

    const database = `mamori_test_${randomId()}`;
    const serverUrl = process.env.DATABASE_URL || infra.postgresUrl;
    const databaseUrl = await ensureDatabase(serverUrl, database);
    // Dropped before the servers stop (cleanups run in reverse order).
    cleanups.push(() => dropDatabase(serverUrl, database));
    // AUDIT-3: the audit service's runtime role, named per run because roles are cluster-wide.
    const auditRole = `mamori_audit_${randomId()}`;
    cleanups.push(() => dropRole(serverUrl, auditRole));
    const auditDatabaseUrl = await ensureAuditRuntimeRole(databaseUrl, auditRole, secret());
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      DATABASE_URL: databaseUrl,
      AUDIT_DATABASE_URL: auditDatabaseUrl,
      REDIS_URL: redis.url,
      NATS_URL: nats.url,
      // In-process services and harnesses connect as the test user unless they name their own;
      // processes started by startPlatform get their own service's user (libs/testing).
      NATS_USER: TEST_HARNESS_USER,
      NATS_PASSWORD: natsPasswords[TEST_HARNESS_USER],
      ...Object.fromEntries(Object.entries(natsPasswords).map(([user, pw]) => [passwordVariable(user), pw])),
      REDIS_PREFIX: `t${randomId()}`,
      ACCESS_TOKEN_SIGNING_KEYS: newSigningKeys(),
      TOKEN_HMAC_SECRET: secret(),
      DATA_ENCRYPTION_KEY: secret(),
      // The send caps (NOTIF-7) count per phone number, address and account in the run's one Redis,
      // and many suites reuse the same fixture numbers across files: caps as high as that make them
      // count for nothing there. The caps' own suites set the limits they test.
      SEND_CAP_PER_RECIPIENT: '100000',
      SEND_CAP_PER_ACCOUNT: '100000',
      SEND_CAP_RESET_MAILS: '100000',
      PUSH_OPEN_REQUESTS_CAP: '100000',
      // The unusual-hour risk hint depends on the wall clock's hour in Tokyo: with it on, a login from
      // a new browser asks for a second step only when the run happens at night there. Tests of the
      // signal set the hours they need (risk.int-spec.ts).
      RISK_UNUSUAL_HOURS: 'off',
      AUDIT_SIGNING_KEY: secret(),
      // Integration harnesses that need a NATS of their own (gateway + service in one test file).
      NATS_SERVER_BIN: findBinary('nats-server') ?? 'nats-server',
      ...(dovecot?.bin ? { DOVECOT_BIN: dovecot.bin } : {}),
      ...(chromium ? { CHROMIUM_BIN: chromium } : {}),
      ...(dovecot?.reason ? { DOVECOT_UNAVAILABLE: dovecot.reason } : {}),
    };
    setupMs = Date.now() - setupStarted;
    say(
      `database ${printableUrl(withDatabase(serverUrl, database))}, NATS ${nats.url}, Redis ${printableUrl(redis.url)} (ready in ${seconds(setupMs)})`,
    );

    const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-jest-'));
    cleanups.push(() => fs.rmSync(reportDir, { recursive: true, force: true }));
    for (const tier of tiers) {
      if (interrupted) {
        break;
      }
      const reportFile = path.join(reportDir, `${tier.name}.json`);
      const args = tierCommand(tier, jestArgs, reportFile);
      say(
        `${tier.name}: ${tier.runner ?? 'jest'} ${args
          .slice(1)
          .filter((arg) => !arg.startsWith('--outputFile'))
          .join(' ')}`,
      );
      const tierStarted = Date.now();
      const code = await new Promise((resolve) => {
        jestChild = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
        jestChild.on('exit', (exit, signal) => resolve(exit ?? (signal ? 130 : 1)));
        jestChild.on('error', () => resolve(127));
      });
      jestChild = undefined;
      results.push({ tier: tier.name, code, ms: Date.now() - tierStarted, counts: readCounts(reportFile) });
      if (code !== 0) {
        exitCode = 1;
      }
    }
  } catch (error) {
    if (!interrupted) {
      console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
    }
    exitCode = 1;
  } finally {
    const cleanupStarted = Date.now();
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`[test] cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    setupMs += Date.now() - cleanupStarted;
  }

  const totals = { passed: 0, failed: 0, skipped: 0 };
  console.log('');
  for (const result of results) {
    const counts = result.counts;
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    }
    const summary = counts ? `${counts.passed} passed, ${counts.failed} failed` : 'no report';
    console.log(
      `  ${result.tier.padEnd(12)} ${result.code === 0 ? 'ok  ' : 'FAIL'}  ${summary.padEnd(22)} ${seconds(result.ms)}`,
    );
  }
  const total = Date.now() - startedAt;
  const jestMs = results.reduce((sum, result) => sum + result.ms, 0);
  console.log(
    `  total ${seconds(total)} (jest ${seconds(jestMs)}, infrastructure and database set-up/tear-down ${seconds(setupMs)})`,
  );
  if (interrupted) {
    console.log('  interrupted');
    process.exit(130);
  }
  console.log(
    `Tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
  );
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
