/**
 * The RxDB revision (`_rev`) and last-write time (`_meta.lwt`, ms since the epoch) of each catalogue
 * slot, compactly: with them and the catalogue's own columns, the memory-mapped storage answers for a
 * stored product without reading its document from disk. At 1,000,000 products a price change of
 * 10,000 scattered ones read a 5,000-product chunk for every few products it touched (issue 16).
 *
 * RxDB writes revisions as `<height>-<token>` (rxdb `createRevision`), and a device's documents carry
 * one token or a few; a revision is kept as its height (Uint32) and its token's number (Uint16), about
 * 14 bytes a product with the time. A revision of another shape, or a 65,536th token, is not kept: the
 * slot then answers "unknown" and its document is read from disk, as before.
 */
export interface Revision {
  rev: string;
  lwt: number;
}

/** What a snapshot keeps (structured-cloneable), in the order of the slots it was given. */
export interface RevisionsSnapshot {
  heights: Uint32Array;
  tokens: Uint16Array;
  tokenList: string[];
  lwts: Float64Array;
}

const REVISION = /^([1-9]\d{0,8})-(.+)$/s;
const MAX_TOKENS = 65_536;

export class StoredRevisions {
  /** 0: unknown for that slot. */
  private heights = new Uint32Array(1024);
  private tokens = new Uint16Array(1024);
  private lwts = new Float64Array(1024);
  private tokenList: string[] = [];
  private readonly tokenCode = new Map<string, number>();

  /** Keeps `revision` for `slot` (undefined: forgets it); a revision it cannot keep is forgotten. */
  set(slot: number, revision: Revision | undefined): void {
    this.ensureCapacity(slot + 1);
    const match = revision ? REVISION.exec(revision.rev) : null;
    const code = match ? this.codeOf(match[2]!) : undefined;
    if (!revision || !match || code === undefined) {
      this.heights[slot] = 0;
      return;
    }
    this.heights[slot] = Number(match[1]);
    this.tokens[slot] = code;
    this.lwts[slot] = revision.lwt;
  }

  /** The revision kept for `slot`, or undefined when none is. */
  get(slot: number): Revision | undefined {
    const height = slot < this.heights.length ? this.heights[slot]! : 0;
    if (height === 0) return undefined;
    return { rev: `${height}-${this.tokenList[this.tokens[slot]!]!}`, lwt: this.lwts[slot]! };
  }

  /** The revisions of `slots`, in that order (the catalogue's snapshot renumbers slots by rank). */
  snapshot(slots: Int32Array): RevisionsSnapshot {
    const heights = new Uint32Array(slots.length);
    const tokens = new Uint16Array(slots.length);
    const lwts = new Float64Array(slots.length);
    slots.forEach((slot, i) => {
      if (slot >= this.heights.length) return;
      heights[i] = this.heights[slot]!;
      tokens[i] = this.tokens[slot]!;
      lwts[i] = this.lwts[slot]!;
    });
    return { heights, tokens, tokenList: [...this.tokenList], lwts };
  }

  /** Revisions as `snapshot()` gave them; none (a snapshot saved before revisions were kept) leaves every slot unknown. */
  static fromSnapshot(saved: RevisionsSnapshot | undefined, count: number): StoredRevisions {
    const revisions = new StoredRevisions();
    revisions.ensureCapacity(count);
    if (!saved || saved.heights.length !== count) return revisions;
    revisions.heights.set(saved.heights);
    revisions.tokens.set(saved.tokens);
    revisions.lwts.set(saved.lwts);
    revisions.tokenList = [...saved.tokenList];
    revisions.tokenList.forEach((token, code) => revisions.tokenCode.set(token, code));
    return revisions;
  }

  private codeOf(token: string): number | undefined {
    let code = this.tokenCode.get(token);
    if (code === undefined) {
      if (this.tokenList.length >= MAX_TOKENS) return undefined;
      code = this.tokenList.length;
      this.tokenList.push(token);
      this.tokenCode.set(token, code);
    }
    return code;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.heights.length) return;
    let capacity = this.heights.length;
    while (capacity < needed) capacity *= 2;
    const grow = <T extends Uint32Array | Uint16Array | Float64Array>(array: T): T => {
      const next = new (array.constructor as new (n: number) => T)(capacity);
      next.set(array);
      return next;
    };
    this.heights = grow(this.heights);
    this.tokens = grow(this.tokens);
    this.lwts = grow(this.lwts);
  }
}
