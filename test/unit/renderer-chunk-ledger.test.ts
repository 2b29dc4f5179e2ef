import { describe, expect, it } from 'vitest';
import { ChunkLedger, chunkOf } from '../../renderer/data/chunk-ledger.ts';
import { CHUNK_SPAN } from '../../renderer/data/record-store.ts';

/** Locations of `count` records at the start of `chunk` (record-store.ts: chunk × CHUNK_SPAN + position). */
const at = (chunk: number, count: number, from = 0) => Array.from({ length: count }, (_v, i) => chunk * CHUNK_SPAN + from + i);

describe('the catalogue storage\'s chunk ledger (issue 16)', () => {
  it('POS-03 a chunk is dropped by the write that supersedes its last current copy, not before', () => {
    const ledger = ChunkLedger.load([1, 2], [...at(1, 3), ...at(2, 2)], [[1, 3], [2, 2]]);
    expect(ledger.dropsAfter(at(1, 2))).toEqual([]);
    expect(ledger.dropsAfter(at(1, 3))).toEqual([1]);
    // Copies by id (location 0) are in no chunk.
    expect(ledger.dropsAfter([0, 0, ...at(2, 2)])).toEqual([2]);
    ledger.committed(at(1, 2), at(3, 2), { chunk: 3, size: 2 }, []);
    expect(ledger.stale).toBe(2);
    const drops = ledger.dropsAfter(at(1, 1, 2));
    expect(drops).toEqual([1]);
    ledger.committed(at(1, 1, 2), [0], null, drops);
    expect(ledger.stale).toBe(0);
    expect(ledger.knownSizes()).toEqual([[2, 2], [3, 2]]);
  });

  it('POS-03 chunks stored with nothing current are dropped with the next write; sizes of chunks gone are forgotten', () => {
    // Chunk 4 is on disk but nothing points at it (its products were all written again before a crash); chunk 9's size is stale news.
    const ledger = ChunkLedger.load([1, 4], at(1, 2), [[1, 5], [4, 3], [9, 7]]);
    expect(ledger.dropsAfter([])).toEqual([4]);
    expect(ledger.knownSizes()).toEqual([[1, 5], [4, 3]]);
    ledger.committed([], [], null, [4]);
    expect(ledger.dropsAfter([])).toEqual([]);
    expect(ledger.stale).toBe(3);
  });

  it('POS-03 past the stale bound the emptiest chunks at most half current are compacted, within the budget per write', () => {
    const policy = { staleFloor: 10, staleShare: 0, compactMax: 6 };
    // Chunk 1: 2 of 10 current; chunk 2: 4 of 10; chunk 3: 6 of 10 (over half: never); chunk 5: 1 of 10 (size unknown: never).
    const current = [...at(1, 2), ...at(2, 4), ...at(3, 6), ...at(5, 1)];
    const ledger = ChunkLedger.load([1, 2, 3, 5], current, [[1, 10], [2, 10], [3, 10]], policy);
    expect(ledger.stale).toBe(8 + 6 + 4);
    expect(ledger.compaction(13)).toEqual([1, 2]);
    // A smaller budget takes what fits, emptiest first.
    const tight = ChunkLedger.load([1, 2, 3, 5], current, [[1, 10], [2, 10], [3, 10]], { ...policy, compactMax: 3 });
    expect(tight.compaction(13)).toEqual([1]);
    // Within the bound (the floor, or a share of the live products): nothing.
    expect(ChunkLedger.load([1, 2, 3, 5], current, [[1, 10], [2, 10], [3, 10]], { ...policy, staleFloor: 18 }).compaction(13)).toEqual([]);
    expect(ChunkLedger.load([1, 2, 3, 5], current, [[1, 10], [2, 10], [3, 10]], { ...policy, staleShare: 2 }).compaction(13)).toEqual([]);
  });

  it('POS-03 a journal entry shows the size of the chunk it wrote', () => {
    expect(ChunkLedger.sizesIn(Float64Array.from([0, 0, ...at(7, 3)]))).toEqual([[7, 3]]);
    expect(ChunkLedger.sizesIn([0, 0])).toEqual([]);
    expect(chunkOf(7 * CHUNK_SPAN + 12)).toBe(7);
    expect(chunkOf(0)).toBe(0);
  });
});
