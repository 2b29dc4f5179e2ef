import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './build/test-sequencer.ts';

/** Three suites; `npm test` (build/test.ts) runs unit → e2e in one lane and server in the other. */
export default defineConfig({
  test: {
    // The longest files start first, so the end of a run is not one long file running alone (test-sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
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
          // Hang guards, not bounds on speed (no test asserts a duration): with two files at a time on a
          // shared 2-core machine a sync-client test that takes 5 s alone took 62 s at load 20, past the
          // old 60 s. A test that really hangs still fails, later.
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // Two files at a time (most of a server test is waiting: PostgreSQL, scrypt, backoff, child
          // servers; each file has its own ports, databases and temp folders, and PGlite/PostgreSQL
          // databases are copies of the run's templates). BALCAO_SERVER_TEST_WORKERS=1 runs them one at a
          // time (e.g. to watch one file under load). Three were tried (2026-11-30): green except the chaos
          // round, which ran out of its 300 s at load 15–18; not kept until measured on a quiet machine.
          maxWorkers: Math.max(1, Number(process.env.BALCAO_SERVER_TEST_WORKERS) || 2),
          // A worker keeps its imported modules (the server, RxDB, the schemas, pg) from one file to the next
          // instead of importing them again per file (5–7 s between files under load in CI). The files share no
          // state through them: no file mocks modules or stubs globals or env; each starts its own servers on
          // copies of the run's templates, and helpers register their hooks from inside the file's own calls.
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
          // Two files at a time: a file spends most of its time waiting (the page, the server, the network
          // between them), so two share a 2-core machine well; each has its own ports, folders and browser
          // profile. BALCAO_E2E_WORKERS=1 runs them one at a time (e.g. to watch one under load).
          fileParallelism: true,
          maxWorkers: Math.max(1, Number(process.env.BALCAO_E2E_WORKERS) || 2),
          // A worker keeps its imported modules (the server, Playwright, the schemas) from one file to the next
          // instead of importing them again per file (several seconds each under load). The files share no state
          // through them: each builds its own servers, browser and folders in its beforeAll.
          isolate: false,
          // expect.poll's default is 1 s: far too short for a page or a server under a shared 2-core machine's
          // load (the waits are for the app to get there, not a bound on how fast it must). A call may pass less.
          expect: { poll: { timeout: 30_000 } },
          // One migrated, seeded PGlite folder each central server copies on its first start.
          globalSetup: ['test/e2e/support/global-setup.ts'],
        },
      },
    ],
  },
});
