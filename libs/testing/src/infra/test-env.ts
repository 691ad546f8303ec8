/** The environment `npm test` (scripts/test.mjs) prepares for one run: its own database, NATS and Redis. */
export interface TestEnv {
  /** A database created for this run and dropped after it (`mamori_test_<random>`). */
  DATABASE_URL: string;
  /** A private Redis of this run. */
  REDIS_URL: string;
  /** A private nats-server (JetStream) of this run, with Mamori's users and permissions. */
  NATS_URL: string;
  /** The test-only NATS user without restrictions; services get their own (see natsUserEnv). */
  NATS_USER: string;
  NATS_PASSWORD: string;
  /** Random per run, so even a shared Redis would not mix keys. */
  REDIS_PREFIX: string;
  /** Generated per run; the first key signs (see signAccessToken). */
  ACCESS_TOKEN_SIGNING_KEYS: string;
  TOKEN_HMAC_SECRET: string;
  DATA_ENCRYPTION_KEY: string;
}

export const TEST_ENV_NAMES: readonly (keyof TestEnv)[] = [
  'DATABASE_URL',
  'REDIS_URL',
  'NATS_URL',
  'NATS_USER',
  'NATS_PASSWORD',
  'REDIS_PREFIX',
  'ACCESS_TOKEN_SIGNING_KEYS',
  'TOKEN_HMAC_SECRET',
  'DATA_ENCRYPTION_KEY',
];

/**
 * Reads the run's infrastructure from the environment. Tests never fall back to the machine's default
 * servers: a test that silently used a shared database or NATS would collide with a running
 * platform or another run, so a missing variable is an error that says how to run the tests.
 */
export function testEnv(env: NodeJS.ProcessEnv = process.env): TestEnv {
  const missing = TEST_ENV_NAMES.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not set: run the tests through \`npm test\` (e.g. \`npm test -- test/integration/auth\`), ` +
        'which starts a private NATS and Redis and creates a fresh database for the run.',
    );
  }
  const picked = {} as TestEnv;
  for (const name of TEST_ENV_NAMES) {
    picked[name] = env[name] as string;
  }
  return picked;
}
