import { defineConfig } from 'vitest/config';

/** Three suites, run in this order by `npm test` (build/test.ts). */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          // Migrated PostgreSQL / PGlite databases each test server copies (test/server/support/templates.ts).
          globalSetup: ['test/server/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
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
