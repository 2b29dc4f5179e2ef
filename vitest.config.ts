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
          // Two files at a time: most of a server test is waiting (PostgreSQL, scrypt in libuv's pool,
          // clients' backoff, child servers), so a second file keeps the two cores busy. Every file
          // has its own ports (0), databases (random names) and temp folders (mkdtemp).
          maxWorkers: 2,
          // Files share one module registry per worker: each file no longer pays for importing the
          // server, RxDB and PGlite again (several seconds a file). No server test mocks modules or
          // changes globals, and each file closes what it starts.
          isolate: false,
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
