// Lint: typescript-eslint with type information (STYLE.md): promises are awaited or explicitly
// voided, never passed where a callback's result is ignored; switches over unions are exhaustive;
// strict equality; braces on every block.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Helpers of @app/testing that a test file must not define again or import from elsewhere. */
const SHARED_TEST_HELPERS = [
  'waitFor',
  'strongPassword',
  'randomId',
  'randomSuffix',
  'randomIp',
  'expectStatus',
  'errorCode',
];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.mamori/**'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json that includes it (apps, libs, test, bench;
        // the portal's browser code with apps/portal/tsconfig.json).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests read loosely typed JSON bodies; `any` there is a shortcut, not a hole in a boundary.
    files: ['test/**/*.ts', '**/*.spec.ts', 'libs/testing/src/http/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests follow the code's rule: libraries as `@app/<lib>`, a service's files as
    // `@app/<service>/<path>`, never relative paths into apps/ or libs/; the helpers every test
    // needs (waiting, passwords and ids, the HTTP client) live once, in @app/testing.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(apps|libs)/',
              message: 'Import a library as @app/<lib> and a service file as @app/<service>/<path>.',
            },
            {
              regex: '^\\.',
              importNames: [...SHARED_TEST_HELPERS, 'Answer', 'ApiClient', 'ApiResponse', 'call'],
              message: 'Test helpers live once, in @app/testing: import them from there.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: `FunctionDeclaration[id.name=/^(${SHARED_TEST_HELPERS.join('|')})$/]`,
          message: 'Test helpers live once, in @app/testing: use that one (or extend it there).',
        },
      ],
    },
  },
  {
    // Services talk over NATS: a service's files are imported by its own code and by tests only.
    // One logger: classes inject the service's pino (LOGGER, at LOG_LEVEL) rather than Nest's
    // static Logger or a pino of their own.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/common',
              importNames: ['Logger'],
              message: 'Inject the service logger: @InjectLogger() logger: AppLogger (@app/observability).',
            },
          ],
          patterns: [
            {
              regex: '^@app/(auth|gateway|case-management|notification|audit|cli)/',
              message: 'Another project reaches a service through its NATS contract (@app/contracts).',
            },
            {
              regex: '^(\\.\\./)+(apps|libs)/',
              message: 'Import a library as @app/<lib>, never by a relative path across projects.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      // Node globals (process, console, fetch, __dirname in CommonJS): TypeScript is not looking here.
      'no-undef': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'all'],
    },
  },
);
