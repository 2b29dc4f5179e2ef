/**
 * The product catalogue as a sale needs it, held compactly enough for 1,000,000 SKUs on a 4 GB PC
 * (issue 16): one slot per product in columns (string arrays for id / SKU / barcode / name, typed arrays
 * for price, stock, unit, group, active) instead of one object per product, and a search index of
 * typed arrays: products ranked by name, the postings of every name word, SKUs and barcodes sorted.
 *
 * Search matches each query word as a **prefix** of a word of the product's name, of its SKU or of its
 * barcode (accents and case ignored), which an index answers without scanning every name: a scan of
 * 1,000,000 names costs 25–110 ms per keystroke, the index a few. Changes after the last build (new
 * products, renamed ones) wait in a small pending set that searches check one by one; the index is
 * rebuilt when that set grows as large as the index, or when writes pause.
 *
 * `snapshot()` / `fromSnapshot()` give the whole of it as a few strings and typed arrays, which IndexedDB
 * stores and returns in one read: a reopen needs no per-product document and no sort.
 */
import type { Product } from '../../sync/schema/index.ts';
import { PRODUCT_UNITS } from '../../sync/schema/index.ts';

export type ProductRow = Pick<Product, 'id' | 'sku' | 'barcode' | 'name' | 'unit' | 'priceCents' | 'stock' | 'active'> &
  /** Promotions by product group need it at the sale screen. */
  Partial<Pick<Product, 'groupId'>>;

/** Lower case, accents removed, trimmed: what search compares. */
export function normalize(text: string): string {
  // Most codes and many names are printable ASCII: no decomposition to undo (a third of a rebuild's time).
  if (ASCII.test(text)) return text.toLowerCase().trim();
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

const ASCII = /^[ -~]*$/;

/** The words of a normalized text: runs of letters and digits. */
export function words(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * Orders names like a pt-BR collator with numeric ordering (accents and case ignored, "Item 9" before
 * "Item 10"), as a plain string compare: each run of digits is prefixed by a character that grows with
 * its length. Sorting 1,000,000 names with Intl.Collator costs seconds; this, a fraction.
 */
export function sortKey(name: string, id: string): string {
  return keyOfNormalized(normalize(name), id);
}

function keyOfNormalized(normalized: string, id: string): string {
  return `${normalized.replace(/\d+/g, (digits) => String.fromCharCode(0x21 + Math.min(digits.length, 60)) + digits)}\u0000${id}`;
}

const SEPARATOR = '\n';
const NO_GROUP = -1;
/**
 * Pending changes beyond this many and beyond four times the index's size rebuild it at once: a first
 * sync of 1,000,000 products rebuilds at about 50,000, 250,000 and at the end, a total cost linear in the
 * catalogue; smaller batches wait for writes to pause.
 */
const PENDING_REBUILD = 50_000;
const PENDING_GROWTH = 4;
/** Writes that pause this long rebuild the index, so searches stop checking pending products one by one. */
const IDLE_REBUILD_MS = 1_000;
const MAX_WORDS = 16;

/** The built search index: ranks follow name order; postings list ranks. */
interface Built {
  /** rank → slot, in name order. */
  rankSlots: Int32Array;
  /** slot → rank, -1 for a slot the index does not hold. */
  rankOf: Int32Array;
  /** Sorted distinct name words; word i's ranks are postings[postingStarts[i] .. postingStarts[i + 1]). */
  vocabulary: string[];
  postingStarts: Int32Array;
  postings: Int32Array;
  /** Slots sorted by normalized barcode and by normalized SKU. */
  byBarcode: Int32Array;
  bySku: Int32Array;
}

/** What IndexedDB keeps between sessions (structured-cloneable). */
export interface CatalogueSnapshot {
  format: 1;
  count: number;
  ids: string;
  skus: string;
  barcodes: string;
  names: string;
  units: Uint8Array;
  groups: string[];
  groupCodes: Int32Array;
  prices: Float64Array;
  stocks: Float64Array;
  active: Uint8Array;
  built: Omit<Built, 'rankOf' | 'vocabulary'> & { vocabulary: string };
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/** First position in [0, length) whose key is ≥ `target`. */
function lowerBound(length: number, keyAt: (position: number) => string, target: string): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyAt(middle) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class CatalogueIndex {
  private ids: (string | undefined)[] = [];
  private skus: string[] = [];
  private barcodes: string[] = [];
  private names: string[] = [];
  private units = new Uint8Array(1024);
  private groupCodes = new Int32Array(1024);
  private prices = new Float64Array(1024);
  private stocks = new Float64Array(1024);
  private activeFlags = new Uint8Array(1024);
  private groups: string[] = [];
  private readonly groupCode = new Map<string, number>();
  private readonly slotOf = new Map<string, number>();
  private live = 0;
  private built: Built = CatalogueIndex.emptyBuilt();
  /** Slots whose indexed words no longer hold (renamed or removed): the built index skips them. */
  private stale = new Uint8Array(1024);
  /** Slots added or renamed since the last build: checked one by one. */
  private pending = new Set<number>();
  private pendingBarcode = new Map<string, number>();
  private pendingSku = new Map<string, number>();
  private counts = new Uint8Array(0);
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumps on every change, so a UI can memoize on it. */
  version = 0;

  private static emptyBuilt(): Built {
    const none = new Int32Array(0);
    return { rankSlots: none, rankOf: new Int32Array(0), vocabulary: [], postingStarts: new Int32Array(1), postings: none, byBarcode: none, bySku: none };
  }

  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds or replaces a product; a change of price, stock or flags edits its slot in place. */
  upsert(doc: ProductRow): void {
    let slot = this.slotOf.get(doc.id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ensureCapacity(slot + 1);
      this.ids.push(doc.id);
      this.skus.push(doc.sku);
      this.barcodes.push(doc.barcode);
      this.names.push(doc.name);
      this.slotOf.set(doc.id, slot);
      this.live++;
      this.markPending(slot);
    } else if (this.names[slot] !== doc.name || this.skus[slot] !== doc.sku || this.barcodes[slot] !== doc.barcode) {
      this.unmarkPendingCodes(slot);
      this.names[slot] = doc.name;
      this.skus[slot] = doc.sku;
      this.barcodes[slot] = doc.barcode;
      this.stale[slot] = 1;
      this.markPending(slot);
    } else if (!this.differs(slot, doc)) {
      return;
    }
    this.units[slot] = Math.max(0, PRODUCT_UNITS.indexOf(doc.unit));
    this.prices[slot] = doc.priceCents;
    this.stocks[slot] = doc.stock;
    this.activeFlags[slot] = doc.active ? 1 : 0;
    this.groupCodes[slot] = doc.groupId === undefined ? NO_GROUP : this.codeOfGroup(doc.groupId);
    this.version++;
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.unmarkPendingCodes(slot);
    this.pending.delete(slot);
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.stale[slot] = 1;
    this.live--;
    this.version++;
  }

  clear(): void {
    this.ids = [];
    this.skus = [];
    this.barcodes = [];
    this.names = [];
    this.slotOf.clear();
    this.groupCode.clear();
    this.groups = [];
    this.live = 0;
    this.built = CatalogueIndex.emptyBuilt();
    this.stale.fill(0);
    this.pending.clear();
    this.pendingBarcode.clear();
    this.pendingSku.clear();
    this.version++;
  }

  get(id: string): ProductRow | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.row(slot);
  }

  /** Exact barcode, then exact SKU (a scanner or a typed code): two binary searches, no scan. */
  findByCode(code: string): ProductRow | undefined {
    const text = code.trim();
    if (!text) return undefined;
    const slot = this.exact(text, this.barcodes, this.built.byBarcode, this.pendingBarcode) ?? this.exact(text, this.skus, this.built.bySku, this.pendingSku);
    return slot === undefined ? undefined : this.row(slot);
  }

  /**
   * Products whose words start with every word of the query, in name order. A query that is a whole
   * barcode or SKU puts that product first, so a scanner hit is always the top row. `limit` caps the
   * rows returned (suggestions).
   */
  search(query: string, limit = Number.POSITIVE_INFINITY): ProductRow[] {
    const wanted = words(normalize(query)).slice(0, MAX_WORDS);
    const exact = wanted.length > 0 ? this.findByCode(query) : undefined;
    const exactSlot = exact ? this.slotOf.get(exact.id) : undefined;
    // The exact hit leads even when name order would put it past the limit.
    const leading = exact && exactSlot !== undefined && this.matchesAll(exactSlot, wanted) ? [exact] : [];
    const slots: number[] = [];
    const room = limit - leading.length;
    const base = this.baseMatches(wanted, room + 1);
    const pending = [...this.pending].filter((slot) => this.matchesAll(slot, wanted));
    let ordered = base;
    if (pending.length > 0) {
      const keyed = (slot: number) => ({ slot, key: sortKey(this.names[slot]!, this.ids[slot]!) });
      ordered = [...base.map(keyed), ...pending.map(keyed)].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((entry) => entry.slot);
    }
    for (const slot of ordered) {
      if (slots.length >= room) break;
      if (slot !== exactSlot || leading.length === 0) slots.push(slot);
    }
    return [...leading, ...slots.map((slot) => this.row(slot))];
  }

  /** Rebuilds the search index over every product: pending changes join it, stale entries leave it. */
  rebuild(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const slots: number[] = [];
    const keys: string[] = [];
    // Each name is normalized once: for its sort key and for its words.
    const normalizedNames: string[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      slots.push(slot);
      normalizedNames[slot] = normalize(this.names[slot]!);
      keys[slot] = keyOfNormalized(normalizedNames[slot]!, id);
    }
    slots.sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
    const rankSlots = Int32Array.from(slots);
    const rankOf = new Int32Array(this.ids.length).fill(-1);
    const byWord = new Map<string, number[]>();
    for (let rank = 0; rank < rankSlots.length; rank++) {
      const slot = rankSlots[rank]!;
      rankOf[slot] = rank;
      for (const word of words(normalizedNames[slot]!)) {
        const list = byWord.get(word);
        // A word twice in one name is listed once (ranks arrive in order).
        if (!list) byWord.set(word, [rank]);
        else if (list[list.length - 1] !== rank) list.push(rank);
      }
    }
    const vocabulary = [...byWord.keys()].sort();
    const postingStarts = new Int32Array(vocabulary.length + 1);
    let total = 0;
    for (let i = 0; i < vocabulary.length; i++) {
      postingStarts[i] = total;
      total += byWord.get(vocabulary[i]!)!.length;
    }
    postingStarts[vocabulary.length] = total;
    const postings = new Int32Array(total);
    for (let i = 0; i < vocabulary.length; i++) postings.set(byWord.get(vocabulary[i]!)!, postingStarts[i]!);
    this.built = { rankSlots, rankOf, vocabulary, postingStarts, postings, byBarcode: this.sortedBy(slots, this.barcodes), bySku: this.sortedBy(slots, this.skus) };
    this.stale = new Uint8Array(this.stale.length);
    this.pending.clear();
    this.pendingBarcode.clear();
    this.pendingSku.clear();
  }

  /** Whether searches still check products one by one (changes since the last build). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** The whole catalogue and its index (rebuilt first when changes wait), for IndexedDB. */
  snapshot(): CatalogueSnapshot {
    if (this.pending.size > 0 || this.stale.some((flag) => flag === 1)) this.rebuild();
    const slots = this.built.rankSlots;
    // Slots are renumbered in rank order: the snapshot holds live products only.
    const renumbered = new Int32Array(this.ids.length).fill(-1);
    slots.forEach((slot, rank) => (renumbered[slot] = rank));
    const column = <T>(source: ArrayLike<T>) => Array.from(slots, (slot) => source[slot]!);
    const typed = <T extends Float64Array | Int32Array | Uint8Array>(source: T): T => {
      const out = new (source.constructor as new (n: number) => T)(slots.length);
      slots.forEach((slot, rank) => (out[rank] = source[slot]!));
      return out;
    };
    const join = (values: string[]) => {
      const joined = values.join(SEPARATOR);
      if (values.some((value) => value.includes(SEPARATOR))) throw new Error('a product field holds a line break; the catalogue keeps no snapshot');
      return joined;
    };
    const renumber = (array: Int32Array) => array.map((slot) => renumbered[slot]!);
    return {
      format: 1,
      count: slots.length,
      ids: join(column(this.ids as string[])),
      skus: join(column(this.skus)),
      barcodes: join(column(this.barcodes)),
      names: join(column(this.names)),
      units: typed(this.units),
      groups: [...this.groups],
      groupCodes: typed(this.groupCodes),
      prices: typed(this.prices),
      stocks: typed(this.stocks),
      active: typed(this.activeFlags),
      built: {
        rankSlots: Int32Array.from(slots, (_slot, rank) => rank),
        vocabulary: this.built.vocabulary.join(SEPARATOR),
        postingStarts: this.built.postingStarts,
        postings: this.built.postings,
        byBarcode: renumber(this.built.byBarcode),
        bySku: renumber(this.built.bySku),
      },
    };
  }

  /** A catalogue as `snapshot()` left it: no per-product work beyond splitting its columns and one map of ids. */
  static fromSnapshot(snapshot: CatalogueSnapshot): CatalogueIndex {
    const index = new CatalogueIndex();
    const split = (joined: string) => (snapshot.count === 0 ? [] : joined.split(SEPARATOR));
    index.ids = split(snapshot.ids);
    index.skus = split(snapshot.skus);
    index.barcodes = split(snapshot.barcodes);
    index.names = split(snapshot.names);
    index.ensureCapacity(snapshot.count);
    index.units.set(snapshot.units);
    index.groupCodes.set(snapshot.groupCodes);
    index.prices.set(snapshot.prices);
    index.stocks.set(snapshot.stocks);
    index.activeFlags.set(snapshot.active);
    index.groups = [...snapshot.groups];
    snapshot.groups.forEach((group, code) => index.groupCode.set(group, code));
    index.ids.forEach((id, slot) => index.slotOf.set(id!, slot));
    index.live = snapshot.count;
    const { built } = snapshot;
    index.built = {
      rankSlots: built.rankSlots,
      rankOf: built.rankSlots,
      vocabulary: built.vocabulary === '' ? [] : built.vocabulary.split(SEPARATOR),
      postingStarts: built.postingStarts,
      postings: built.postings,
      byBarcode: built.byBarcode,
      bySku: built.bySku,
    };
    return index;
  }

  /** Stops the idle rebuild timer (the catalogue is being dropped). */
  dispose(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private row(slot: number): ProductRow {
    const group = this.groupCodes[slot]!;
    return {
      id: this.ids[slot]!,
      sku: this.skus[slot]!,
      barcode: this.barcodes[slot]!,
      name: this.names[slot]!,
      unit: PRODUCT_UNITS[this.units[slot]!]!,
      priceCents: this.prices[slot]!,
      stock: this.stocks[slot]!,
      active: this.activeFlags[slot] === 1,
      ...(group === NO_GROUP ? {} : { groupId: this.groups[group]! }),
    };
  }

  private differs(slot: number, doc: ProductRow): boolean {
    const group = this.groupCodes[slot]!;
    return (
      this.prices[slot] !== doc.priceCents ||
      this.stocks[slot] !== doc.stock ||
      (this.activeFlags[slot] === 1) !== doc.active ||
      PRODUCT_UNITS[this.units[slot]!] !== doc.unit ||
      (group === NO_GROUP ? undefined : this.groups[group]) !== doc.groupId
    );
  }

  private codeOfGroup(groupId: string): number {
    let code = this.groupCode.get(groupId);
    if (code === undefined) {
      code = this.groups.length;
      this.groups.push(groupId);
      this.groupCode.set(groupId, code);
    }
    return code;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.prices.length) return;
    let capacity = this.prices.length;
    while (capacity < needed) capacity *= 2;
    this.units = grown(this.units, capacity);
    this.groupCodes = grown(this.groupCodes, capacity);
    this.prices = grown(this.prices, capacity);
    this.stocks = grown(this.stocks, capacity);
    this.activeFlags = grown(this.activeFlags, capacity);
    this.stale = grown(this.stale, capacity);
  }

  private markPending(slot: number): void {
    this.pending.add(slot);
    this.pendingBarcode.set(this.barcodes[slot]!, slot);
    this.pendingSku.set(this.skus[slot]!, slot);
    if (this.pending.size > PENDING_REBUILD && this.pending.size > PENDING_GROWTH * this.built.rankSlots.length) this.rebuild();
    else if (this.idleTimer === null) this.idleTimer = setTimeout(() => this.rebuild(), IDLE_REBUILD_MS);
    else {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.rebuild(), IDLE_REBUILD_MS);
    }
  }

  private unmarkPendingCodes(slot: number): void {
    if (this.pendingBarcode.get(this.barcodes[slot]!) === slot) this.pendingBarcode.delete(this.barcodes[slot]!);
    if (this.pendingSku.get(this.skus[slot]!) === slot) this.pendingSku.delete(this.skus[slot]!);
  }

  private sortedBy(slots: readonly number[], values: readonly string[]): Int32Array {
    const keys: string[] = [];
    for (const slot of slots) keys[slot] = normalize(values[slot]!);
    return Int32Array.from([...slots].sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0)));
  }

  /** A slot whose raw value is exactly `text`: the pending map first, then the sorted slots. */
  private exact(text: string, values: readonly string[], sorted: Int32Array, pending: Map<string, number>): number | undefined {
    const recent = pending.get(text);
    if (recent !== undefined && this.ids[recent] !== undefined) return recent;
    const key = normalize(text);
    for (let position = lowerBound(sorted.length, (p) => normalize(values[sorted[p]!]!), key); position < sorted.length; position++) {
      const slot = sorted[position]!;
      if (normalize(values[slot]!) !== key) break;
      if (!this.stale[slot] && values[slot] === text) return slot;
    }
    return undefined;
  }

  /** Slots of the built index matching every word, in rank order, at most `limit`. */
  private baseMatches(wanted: readonly string[], limit: number): number[] {
    const { rankSlots } = this.built;
    const out: number[] = [];
    if (wanted.length === 0) {
      for (let rank = 0; rank < rankSlots.length && out.length < limit; rank++) if (!this.stale[rankSlots[rank]!]) out.push(rankSlots[rank]!);
      return out;
    }
    if (this.counts.length !== rankSlots.length) this.counts = new Uint8Array(rankSlots.length);
    const counts = this.counts;
    counts.fill(0);
    wanted.forEach((word, i) => this.countRanks(word, i, counts));
    const all = wanted.length;
    for (let rank = 0; rank < counts.length && out.length < limit; rank++) {
      if (counts[rank] === all && !this.stale[rankSlots[rank]!]) out.push(rankSlots[rank]!);
    }
    return out;
  }

  /**
   * Raises to `i + 1` the count of every rank at `i` with a name word, SKU or barcode starting with
   * `word`: after every word, the ranks matching all of them hold the number of words. Plain loops over
   * typed arrays: a two-letter word visits most of a 1,000,000-product catalogue in a few ms.
   */
  private countRanks(word: string, i: number, counts: Uint8Array): void {
    const { vocabulary, postingStarts, postings, rankOf, byBarcode, bySku } = this.built;
    const next = i + 1;
    for (let v = lowerBound(vocabulary.length, (p) => vocabulary[p]!, word); v < vocabulary.length && vocabulary[v]!.startsWith(word); v++) {
      const end = postingStarts[v + 1]!;
      for (let p = postingStarts[v]!; p < end; p++) {
        const rank = postings[p]!;
        if (counts[rank] === i) counts[rank] = next;
      }
    }
    for (const [sorted, values] of [[byBarcode, this.barcodes], [bySku, this.skus]] as const) {
      const keyAt = (p: number) => normalize(values[sorted[p]!]!);
      const end = lowerBound(sorted.length, keyAt, `${word}\uffff`);
      for (let p = lowerBound(sorted.length, keyAt, word); p < end; p++) {
        const rank = rankOf[sorted[p]!]!;
        if (rank >= 0 && counts[rank] === i) counts[rank] = next;
      }
    }
  }

  private matchesAll(slot: number, wanted: readonly string[]): boolean {
    if (this.ids[slot] === undefined) return false;
    const own = [...words(normalize(this.names[slot]!)), normalize(this.skus[slot]!), normalize(this.barcodes[slot]!)];
    return wanted.every((word) => own.some((candidate) => candidate.startsWith(word)));
  }
}
