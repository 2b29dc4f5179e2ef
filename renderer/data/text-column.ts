/**
 * One text column of the catalogue (ids, SKUs, barcodes or names, renderer/data/catalogue-index.ts), slot
 * by slot. A snapshot's values stay the one string they were stored as, with where each starts: splitting
 * four columns of 1,000,000 lines cost about half a second of a reopen (issue 16), finding the starts a
 * fraction of it, and one string holds them in less memory than a million. Values written since the
 * snapshot (new slots, rewritten ones) live beside it.
 */
export class TextColumn {
  /** The snapshot's values joined; value i is joined.slice(starts[i], starts[i + 1] - separator's length). */
  private readonly joined: string;
  private readonly gap: number;
  private readonly starts: Int32Array;
  private readonly baseCount: number;
  /** Snapshot slots written since (undefined: the slot was emptied). */
  private readonly changed = new Map<number, string | undefined>();
  /** Slots past the snapshot's. */
  private readonly added: (string | undefined)[] = [];

  /**
   * @param joined `count` values separated by `separator` (which no value holds), or '' with count 0.
   * @throws Error when `joined` holds fewer values than `count`.
   */
  constructor(joined = '', count = 0, separator = '\n') {
    this.joined = joined;
    this.gap = separator.length;
    this.baseCount = count;
    this.starts = new Int32Array(count + 1);
    let from = 0;
    for (let i = 0; i < count - 1; i++) {
      this.starts[i] = from;
      const end = joined.indexOf(separator, from);
      if (end < 0) throw new Error(`a catalogue column holds ${i + 1} values, not ${count}`);
      from = end + separator.length;
    }
    if (count > 0) this.starts[count - 1] = from;
    this.starts[count] = joined.length + separator.length;
  }

  get length(): number {
    return this.baseCount + this.added.length;
  }

  /** The value at `slot` now (undefined for an emptied or unknown slot). */
  get(slot: number): string | undefined {
    if (slot >= this.baseCount) return this.added[slot - this.baseCount];
    if (this.changed.size > 0 && this.changed.has(slot)) return this.changed.get(slot);
    return this.loaded(slot);
  }

  /** The value the snapshot held at `slot` (< the snapshot's count), whatever was written since. */
  loaded(slot: number): string {
    return this.joined.slice(this.starts[slot]!, this.starts[slot + 1]! - this.gap);
  }

  set(slot: number, value: string | undefined): void {
    if (slot >= this.baseCount) this.added[slot - this.baseCount] = value;
    else this.changed.set(slot, value);
  }

  push(value: string): void {
    this.added.push(value);
  }
}
