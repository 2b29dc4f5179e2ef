import { describe, expect, it } from 'vitest';
import { useCheckPage } from './support/check-page.ts';
import type { JournaledMetaChecks } from './pages/journaled-meta/main.ts';

/**
 * The storage of RxDB's replication metadata for bulk-written collections
 * (renderer/data/journaled-meta-storage.ts: memory plus a journal in IndexedDB), through the app's own
 * storage router, in a real Chromium IndexedDB. The back-office e2e files cover the upload end to end.
 */
describe('journaled replication metadata in Chromium', () => {
  const checks = useCheckPage('journaled-meta');

  const run = <K extends keyof JournaledMetaChecks>(check: K) =>
    checks.page().evaluate((name) => window.journaledMetaChecks[name]() as Promise<unknown>, check) as ReturnType<JournaledMetaChecks[K]>;

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
