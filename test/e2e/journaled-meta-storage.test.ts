import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, mergeConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../bench/static-server.ts';
import benchPageBuild from '../bench/vite.bench.config.ts';
import { launchDevice, type Device } from './support/browser.ts';
import type { JournaledMetaChecks } from './pages/journaled-meta/main.ts';

/**
 * The storage of RxDB's replication metadata for bulk-written collections
 * (renderer/data/journaled-meta-storage.ts: memory plus a journal in IndexedDB), through the app's own
 * storage router, in a real Chromium IndexedDB. The back-office e2e files cover the upload end to end.
 */
const pageRoot = fileURLToPath(new URL('./pages/journaled-meta/', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/test-pages/journaled-meta/', import.meta.url));

describe('journaled replication metadata in Chromium', () => {
  let device: Device;
  let page: Page;
  let site: Awaited<ReturnType<typeof serveStatic>>;

  beforeAll(async () => {
    // The shipped renderer's path (no RxDB dev-mode), as memory-mapped-storage.test.ts builds its page.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    await build({ ...mergeConfig(benchPageBuild, { root: pageRoot, build: { outDir } }), configFile: false }).finally(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    site = await serveStatic(outDir);
    device = await launchDevice();
    page = await device.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'pronto');
  });

  afterAll(async () => {
    await device?.close();
    await site?.close();
  });

  const run = <K extends keyof JournaledMetaChecks>(check: K) =>
    page.evaluate((name) => window.journaledMetaChecks[name]() as Promise<unknown>, check) as ReturnType<JournaledMetaChecks[K]>;

  it('BO-04 acknowledged consumption states survive closing and reopening; a stale write gets 409 and is not kept', async () => {
    const result = await run('reopen');
    expect(result.errors).toBe(0);
    expect(result.staleStatus).toEqual([409]);
    // r2's update is there after the reopen, r3 kept its first state (the stale write was not journaled).
    expect(result.reopened).toEqual([['r1', 1], ['r2', 7], ['r3', 1]]);
    expect(result.staleAfterStatus).toEqual([409]);
    // Only consumption's metadata is journaled; other collections' stays in Dexie.
    expect(result.consumptionJournal).toBe(true);
    expect(result.customersJournal).toBe(false);
  });

  it('BO-04 a journal of many writes is rewritten as one entry on reopen, keeping every state', async () => {
    expect(await run('compact')).toEqual({ before: 30, after: 1, count: 30, afterCompaction: [['c0', 0], ['c29', 29]] });
  });

  it('BO-04 a device upgraded from metadata kept in Dexie keeps its acknowledged states (nothing re-sent or taken for a conflict)', async () => {
    expect(await run('upgrade')).toEqual({ taken: [['u1', 10], ['u2', 11]], reopened: [['u1', 20], ['u2', 11]], entries: 2 });
  });

  it('BO-04 removing the metadata deletes its journal', async () => {
    expect(await run('remove')).toEqual({ before: true, after: false, left: 0 });
  });
});
