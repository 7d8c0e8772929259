// One flat config for the whole monorepo. Nx module boundaries are enforced by project tags:
// libs never import apps, the routing engine (scope:pure) imports nothing that does I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const ioModules = ['fs', 'net', 'http', 'https', 'http2', 'dgram', 'child_process', 'worker_threads', 'dns', 'tls', 'cluster']
  .flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

export default tseslint.config(
  // .bundle-test-*: the gateway's Dockerfile test bundles into such a folder while lint may run beside it.
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/coverage/**', 'gpu-images/**', '**/*.d.ts', '**/.bundle-test-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib'] },
            // A whole-system test runs the apps themselves (tests/system starts the lab and the gateways).
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
            {
              sourceTag: 'scope:pure',
              onlyDependOnLibsWithTags: ['scope:pure'],
              bannedExternalImports: ['undici', 'better-sqlite3', 'fastify', 'pino', 'prom-client', '@pulumi/*', 'fs', 'net', 'http', 'https', 'node:*'],
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is pure: time, randomness and metrics are injected. Tests may use anything.
    files: ['libs/routing/src/**/*.ts'],
    ignores: ['libs/routing/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules, patterns: ['node:*'] }],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'libs/routing does no I/O' },
        { name: 'setTimeout', message: 'inject a clock' },
        { name: 'setInterval', message: 'inject a clock' },
        { name: 'performance', message: 'inject a clock' },
        { name: 'process', message: 'libs/routing does no I/O: the caller reads the environment' },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'inject a clock' }, { object: 'Math', property: 'random', message: 'inject randomness' }],
      // `new Date()` reads the clock; `new Date(at)` of a given time does not.
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock: inject a clock' }],
    },
  },
  {
    // Tests, benches and scripts run the apps themselves (tests/system is a whole project of that kind).
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/bench/**/*.ts', '**/scripts/**/*.ts', 'tests/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
