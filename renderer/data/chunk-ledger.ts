import { CHUNK_SPAN } from './record-store.ts';

/**
 * When the catalogue storage compacts its chunks (memory-mapped-storage.ts). A chunk is never rewritten:
 * a product written again lives in a newer chunk and leaves a stale copy behind. Stale copies are
 * tolerated up to `staleFloor` or `staleShare` of the live documents, whichever is more; past that, a
 * chunked write also moves the current copies of the emptiest chunks (at most `compactMax` of them per
 * write) into its own chunk, and those chunks are deleted in the same transaction.
 */
export interface ChunkPolicy {
  staleFloor: number;
  staleShare: number;
  compactMax: number;
}

/**
 * 100,000 stale copies (about 30 MB of disk at 300 bytes a product) or a quarter of the catalogue; a
 * compaction moves at most 5,000 copies per write, about what a pulled page writes (issue 16).
 */
export const CHUNK_POLICY: ChunkPolicy = { staleFloor: 100_000, staleShare: 0.25, compactMax: 5_000 };

/** A chunk is only worth compacting while at most this share of it is current (moving copies costs as much as keeping them). */
const COMPACT_BELOW = 0.5;

/** The chunk a location is in (record-store.ts); 0 is the records store, not a chunk. */
export function chunkOf(location: number): number {
  return Math.floor(location / CHUNK_SPAN);
}

/**
 * How many current copies each chunk holds and how many records it was written with, so the storage
 * knows which chunks hold nothing current (deleted with the write that empties them) and how much of
 * the disk is stale. Sizes are known for chunks written since sizes were kept (in the snapshot, and
 * from the journal entries after it); an older chunk of unknown size is deleted once empty, but never
 * compacted.
 */
export class ChunkLedger {
  /** Chunk → current copies in it (live products and tombstones whose location is there). */
  private readonly current = new Map<number, number>();
  /** Chunk → records it was written with, where known. */
  private readonly sizes = new Map<number, number>();
  /** Chunks on disk that hold nothing current: deleted with the next write. */
  private readonly emptied = new Set<number>();

  constructor(readonly policy: ChunkPolicy = CHUNK_POLICY) {}

  /**
   * The ledger of an opened storage: `stored` are the chunk keys on disk, `locations` every current
   * copy's location, `sizes` the known sizes (a snapshot's, then those a journal's entries show).
   */
  static load(stored: readonly number[], locations: Iterable<number>, sizes: Iterable<readonly [number, number]>, policy: ChunkPolicy = CHUNK_POLICY): ChunkLedger {
    const ledger = new ChunkLedger(policy);
    for (const location of locations) ledger.hold(location);
    for (const [chunk, size] of sizes) ledger.sizes.set(chunk, size);
    for (const chunk of stored) if (!ledger.current.has(chunk)) ledger.emptied.add(chunk);
    // Sizes of chunks no longer on disk are forgotten.
    const onDisk = new Set(stored);
    for (const chunk of ledger.sizes.keys()) if (!onDisk.has(chunk)) ledger.sizes.delete(chunk);
    return ledger;
  }

  /** The sizes a journal entry's locations show: the records of the one chunk it wrote, if any. */
  static sizesIn(locations: ArrayLike<number>): [number, number][] {
    const counts = new Map<number, number>();
    for (let i = 0; i < locations.length; i++) {
      const chunk = chunkOf(locations[i]!);
      if (chunk !== 0) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
    }
    return [...counts];
  }

  /** The chunks that hold no current copy once the copies at `released` are superseded, with the ones already empty. */
  dropsAfter(released: readonly number[]): number[] {
    const left = new Map<number, number>();
    for (const location of released) {
      const chunk = chunkOf(location);
      if (chunk === 0) continue;
      left.set(chunk, (left.get(chunk) ?? this.current.get(chunk) ?? 0) - 1);
    }
    const drops = new Set(this.emptied);
    for (const [chunk, count] of left) if (count <= 0) drops.add(chunk);
    return [...drops];
  }

  /**
   * Chunks whose current copies a chunked write should move, emptiest first, when stale copies are
   * over the policy's bound for `live` documents; none otherwise. Their current copies total at most
   * `compactMax`.
   */
  compaction(live: number): number[] {
    const bound = Math.max(this.policy.staleFloor, live * this.policy.staleShare);
    let stale = this.stale;
    if (stale <= bound) return [];
    const candidates = [...this.sizes]
      .map(([chunk, size]) => ({ chunk, size, current: this.current.get(chunk) ?? 0 }))
      .filter(({ size, current }) => current > 0 && current <= size * COMPACT_BELOW)
      .sort((a, b) => a.current / a.size - b.current / b.size);
    const victims: number[] = [];
    let moved = 0;
    for (const { chunk, size, current } of candidates) {
      if (stale <= bound / 2) break;
      if (moved + current > this.policy.compactMax) continue;
      victims.push(chunk);
      moved += current;
      stale -= size - current;
    }
    return victims;
  }

  /**
   * Records a committed write: the copies at `released` are superseded, `held` are the new copies'
   * locations, `written` the chunk it wrote with its size, `dropped` the chunks it deleted.
   */
  committed(released: readonly number[], held: ArrayLike<number>, written: { chunk: number; size: number } | null, dropped: readonly number[]): void {
    for (const location of released) this.release(location);
    for (let i = 0; i < held.length; i++) this.hold(held[i]!);
    if (written) this.sizes.set(written.chunk, written.size);
    for (const chunk of dropped) {
      this.current.delete(chunk);
      this.sizes.delete(chunk);
      this.emptied.delete(chunk);
    }
  }

  /** Stale copies in the chunks of known size. */
  get stale(): number {
    let stale = 0;
    for (const [chunk, size] of this.sizes) stale += size - (this.current.get(chunk) ?? 0);
    return stale;
  }

  /** The known sizes, for the snapshot. */
  knownSizes(): [number, number][] {
    return [...this.sizes];
  }

  private hold(location: number): void {
    const chunk = chunkOf(location);
    if (chunk === 0) return;
    this.current.set(chunk, (this.current.get(chunk) ?? 0) + 1);
    this.emptied.delete(chunk);
  }

  private release(location: number): void {
    const chunk = chunkOf(location);
    if (chunk === 0) return;
    const left = (this.current.get(chunk) ?? 0) - 1;
    if (left > 0) this.current.set(chunk, left);
    else {
      this.current.delete(chunk);
      this.emptied.add(chunk);
    }
  }
}
