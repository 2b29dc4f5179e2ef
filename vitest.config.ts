import { defineConfig } from 'vitest/config';

/** Three suites; `npm test` (build/test.ts) runs unit → e2e in one lane and server in the other. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // npm test runs unit beside the type check and lint (build/test.ts): a few heavier tests
          // (eslint's API, 100,000 products) need more than the default 5 s on a shared 2-core machine.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          // Migrated PostgreSQL / PGlite databases each test server copies (test/server/support/templates.ts).
          globalSetup: ['test/server/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // BALCAO_SERVER_TEST_WORKERS=2 runs two files at a time (most of a server test is waiting:
          // PostgreSQL, scrypt, backoff, child servers; each file has its own ports, databases and
          // temp folders). Off by default until two full runs are proven green with it on a quiet
          // 2-core machine: on a machine at load 20+ the sync-client files then ran past their timeouts.
          maxWorkers: Number(process.env.BALCAO_SERVER_TEST_WORKERS ?? 1),
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          // One migrated, seeded PGlite folder each central server copies on its first start.
          globalSetup: ['test/e2e/support/global-setup.ts'],
        },
      },
    ],
  },
});
