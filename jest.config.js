// Three tiers (STYLE.md): unit beside the code, integration and end-to-end under test/; the portal's
// browser tests are a fourth (its component tests run with Vitest, apps/portal/vite.config.ts).
// `npm test` (scripts/test.mjs) prepares the infrastructure and runs them in that order.
const swc = ['@swc/jest', { swcrc: true }];
const moduleNameMapper = {
  '^@app/(contracts|config|database|messaging|observability|testing|audit-chain|attachment-store|export)$':
    '<rootDir>/libs/$1/src',
  // Tests reach into a service's files (entities, modules) as `@app/<service>/<path>` (tsconfig.json).
  '^@app/(auth|gateway|case-management|notification|audit|cli)/(.*)$': '<rootDir>/apps/$1/src/$2',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/deploy/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/e2e-timeout.ts'],
    },
    {
      // The built portal driven in Chromium through the real gateway and services (issue 14).
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/e2e-timeout.ts'],
    },
  ],
};
