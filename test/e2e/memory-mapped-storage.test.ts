import { describe, expect, it } from 'vitest';
import { useCheckPage } from './support/check-page.ts';
import type { StorageChecks } from './pages/storage/main.ts';

/**
 * The catalogue's storage (renderer/data/memory-mapped-storage.ts) in a real Chromium IndexedDB, through
 * the app's own createDatabase. The sync tests cover it end to end; these pin what a storage must keep.
 */
describe('memory-mapped catalogue storage in Chromium', () => {
  const checks = useCheckPage('storage');

  const run = <K extends keyof StorageChecks>(check: K) =>
    checks.page().evaluate((name) => (window.storageChecks[name] as () => Promise<unknown>)(), check) as ReturnType<StorageChecks[K]>;

  it('POS-01 products, an update and a deletion survive closing and reopening the database', async () => {
    const { reopened, databases } = await run('reopen');
    expect(reopened.count).toBe(5);
    expect(reopened.ids).toEqual(['p-00001', 'p-00002', 'p-00004', 'p-00005', 'p-00006']);
    expect(reopened.nameOf1).toBe('Renomeado');
    // Queries run over memory with RxDB's own matcher, sort and limit.
    expect(reopened.cheapest).toEqual(['p-00004', 'p-00002']);
    // The deletion is kept as a tombstone, as RxDB expects of any storage.
    expect(reopened.tombstone).toEqual([{ id: 'p-00003', deleted: true }]);
    expect(databases.some((name) => name.includes('--mm--products--0'))).toBe(true);
  });

  it('POS-01 a write against a stale revision gets 409 and changes nothing, in memory or on disk', async () => {
    const { errors, inMemory, onDisk } = await run('conflict');
    expect(errors).toEqual([{ id: 'p-00001', status: 409 }]);
    expect(inMemory).toBe('Primeira versão');
    expect(onDisk).toBe('Primeira versão');
  });

  it('POS-01 a batch IndexedDB refuses is refused whole: nothing appears, emitted, in memory or after a reopen', async () => {
    const { error, inMemory, onDisk, events } = await run('refusedWrite');
    expect(error).toBe('DataCloneError');
    expect(inMemory).toBe(0);
    expect(events).toEqual([]);
    expect(onDisk).toBe(1);
  });

  it('POS-03 the station\'s catalogue follows every write at once and comes back from its snapshot after a reopen', async () => {
    const { inserted, patched, found, removed, reopened } = await run('catalogueFollowsWrites');
    expect(inserted).toBe('p-00002');
    expect(patched).toMatchObject({ id: 'p-00002', priceCents: 12_345, name: 'Caneta azul' });
    expect(found).toEqual(['p-00002']);
    expect(removed).toBeNull();
    expect(reopened).toMatchObject({ size: 2, patched: { priceCents: 12_345, name: 'Caneta azul' }, found: ['p-00002'], gone: null });
  });

  it('POS-01 writes after the last snapshot survive a crash: the reopened catalogue replays the journal', async () => {
    const state = await run('journalReplay');
    // The close saved a snapshot that took in the first write's journal entry; the "crash" left one more.
    expect(state.journalEntries).toBe(1);
    expect(state.snapshotSeq).toBeGreaterThan(0);
    expect(state.nameOf1).toBe('Depois do snapshot');
    expect(state.found9).toEqual(['p-00009']);
    expect(state.has2).toBe(false);
    expect(state.size).toBe(3);
    expect(state.count).toBe(3);
    expect(state.tombstone).toEqual([true]);
  });

  it('POS-03 a catalogue snapshot saved before the id order (format 1) still opens whole, and the next one saved has it', async () => {
    const state = await run('olderSnapshot');
    // What this build saves, before the test turns it into an older one.
    expect(state.savedFormat).toBe(2);
    expect(state.savedById).toBe(3);
    expect(state).toMatchObject({ size: 3, second: 'Produto 00002', found: ['p-00003'], byBarcode: 'p-00001', count: 3 });
    expect(state.resavedFormat).toBe(2);
    expect(state.resavedById).toBe(3);
    expect(state.renamed).toEqual(['p-00001']);
  });

  it('POS-03 a pulled page of new products is stored as one chunk; later writes of them win everywhere, before and after a reopen', async () => {
    const { open1, open2, inChunks, single } = await run('chunks');
    // 150 inserted in one write: one chunk; the rename and the deletion are put on their own.
    expect(inChunks).toBe(150);
    expect(single).toBe(2);
    for (const state of [open1, open2]) {
      expect(state).toEqual({
        count: 149,
        found: 149,
        ids: 149,
        first: 'Renomeado',
        // p-00002 (200 cents) is deleted; the rename's price is the chunk copy's no longer.
        cheapest: ['p-00001:1'],
        byId: ['p-00001:Renomeado', 'p-00002:deleted', 'p-00150:Produto 00150'],
        catalogue: 'Renomeado',
      });
    }
  });

  it('POS-01 chunked writes after the last snapshot, or before any, survive a crash: each product is read from where its last write put it', async () => {
    const { withSnapshot, withoutSnapshot } = await run('chunkReplay');
    expect(withSnapshot).toEqual({ size: 123, renamed: 'Depois do crash', last: 'Produto 00319', byId: ['Depois do crash', 'Produto 00319'], count: 123, queried: ['p-00200'] });
    expect(withoutSnapshot).toEqual({ size: 120, renamed: 'Depois do crash', last: 'Produto 00319', byId: ['Depois do crash', 'Produto 00319'], count: 120, queried: ['p-00200'] });
  });

  it('POS-01 a catalogue database from before chunks keeps its products and takes chunks after the upgrade', async () => {
    expect(await run('upgradeFromVersion2')).toEqual({ before: 1, after: 101, again: { count: 101, first: 'Produto 00001', last: 'Produto 00101' } });
  });

  it('POS-03 stored products are answered from memory, not read from disk, and the answers equal the disk, before and after a reopen (issue 16)', async () => {
    const state = await run('answersFromMemory');
    expect(state.first).toEqual({ count: 150, diskReads: 0, equal: true });
    expect(state.update).toEqual({ errors: 0, diskReads: 0 });
    expect(state.updated).toEqual({ prices: [101, 201], diskReads: 0, equal: true });
    // More in _meta than the catalogue keeps: that one is read from disk, whole.
    expect(state.odd.name).toBe('Com meta a mais');
    expect(state.odd.meta).toMatchObject({ extra: 'x' });
    // The snapshot saved at close keeps the revisions: after a reopen only the odd one is read from disk.
    expect(state.reopened).toEqual({ count: 150, diskReads: 1, equal: true, name: 'Com meta a mais' });
    // After a snapshot from before revisions were kept: the products are read from disk once (the updated
    // page's chunk in one read, the odd one by id), then answered from memory, but the odd one.
    expect(state.olderSnapshot).toEqual({ firstDiskReads: 2, secondDiskReads: 1, count: 150, equal: true });
    // The inserted page was one chunk, the updated page another, which superseded every copy of the first
    // (deleted with that write); the odd one's change, alone, is put by id.
    expect(state.chunks).toBe(150);
    expect(state.copies).toBe(151);
  });

  it('POS-03 pulled pages of updated products are chunked; emptied chunks are deleted and half-stale ones compacted, before and after a crash (issue 16)', async () => {
    const state = await run('chunkedUpdates');
    const whole = { count: 300, everyAnswerOnDisk: true };
    expect(state.inserted).toEqual({ ...whole, chunks: 1, copies: 300, prices: [100, 10_100, 15_000, 20_100, 30_000] });
    expect(state.firstPage).toEqual({ errors: 0, events: 200 });
    expect(state.afterFirst).toEqual({ ...whole, chunks: 2, copies: 500, prices: [7, 7, 7, 20_100, 30_000] });
    // The first chunk's 100 current copies moved into the write's chunk, which RxDB does not hear of; the first chunk is gone.
    expect(state.secondPage).toEqual({ errors: 0, events: 100 });
    expect(state.afterSecond).toEqual({ ...whole, chunks: 2, copies: 400, prices: [8, 7, 7, 20_100, 30_000] });
    expect(state.journalAfterCrash).toBe(1);
    expect(state.afterCrash).toEqual(state.afterSecond);
    expect(state.thirdPage).toEqual({ errors: 0, events: 100 });
    expect(state.afterThird).toEqual({ ...whole, chunks: 2, copies: 400, prices: [8, 7, 7, 9, 9] });
  });

  it('POS-01 POS-03 random pages, deletions, reopens and crashes with chunks deleted and compacted all along: every answer is the model\'s, on disk too (fast-check)', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const runs = Number(process.env.FUZZ_RUNS ?? 12);
    const result = await checks.page().evaluate(([s, r]) => window.storageChecks.chunkModel(s!, r!), [seed, runs]);
    // Reproduce with FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx vitest run --project e2e test/e2e/memory-mapped-storage.test.ts
    expect(result.failure, `seed ${seed}`).toBeNull();
    expect(result.runs).toBe(runs);
  });

  it('POS-01 removing the device database removes the catalogue\'s IndexedDB database too', async () => {
    expect(await run('remove')).toEqual({ before: true, after: false });
  });
});
