/**
 * The product catalogue as a sale needs it, held compactly enough for 1,000,000 SKUs on a 4 GB PC
 * (issue 16): one slot per product in columns (string arrays for id / SKU / barcode / name, typed arrays
 * for price, stock, unit, group, active) instead of one object per product, and a search index of
 * typed arrays: products ranked by name, the postings of every name word, SKUs and barcodes sorted.
 *
 * Search matches each query word as a **prefix** of a word of the product's name, of its SKU or of its
 * barcode (accents and case ignored), which an index answers without scanning every name: a scan of
 * 1,000,000 names costs 25–110 ms per keystroke, the index well under one. The query words' ranks (in
 * name order) are intersected by leapfrogging and the intersection stops at the rows asked for; a word
 * that matches many codes ("789", every barcode) is tested per product on a forward index (each
 * product's word numbers and code positions) instead. Changes after the last build (new products,
 * renamed ones) wait in a small pending set that searches check one by one; the index is rebuilt in a
 * Worker (catalogue-builder.ts) when that set grows, or when writes pause, and swapped in when ready:
 * the page never waits for the seconds a rebuild costs at 1,000,000 products.
 *
 * `snapshot()` / `fromSnapshot()` give the whole of it as a few strings and typed arrays, which IndexedDB
 * stores and returns in one read: a reopen needs no per-product document and no sort. It splits no
 * column (text columns stay one string with their starts, text-column.ts) and fills no map of ids (the
 * snapshot keeps slots in id order for a binary search); the forward index waits for its first search.
 */
import type { Product } from '../../sync/schema/index.ts';
import { PRODUCT_UNITS } from '../../sync/schema/index.ts';
import { buildIndex, normalize, sortedIds, sortKey, words, VOCABULARY_SEPARATOR, type BuildInput, type BuildOutput } from './catalogue-build.ts';
import { defaultBuilder, type IndexBuilder } from './catalogue-builder.ts';
import { StoredRevisions, type Revision, type RevisionsSnapshot } from './stored-revisions.ts';
import { TextColumn } from './text-column.ts';

export type ProductRow = Pick<Product, 'id' | 'sku' | 'barcode' | 'name' | 'unit' | 'priceCents' | 'stock' | 'active'> &
  /** Promotions by product group need it at the sale screen. */
  Partial<Pick<Product, 'groupId'>>;

export { normalize, sortKey, words } from './catalogue-build.ts';

const SEPARATOR = '\n';
const NO_GROUP = -1;
/**
 * Pending changes beyond this many and beyond four times the index's size start a rebuild at once (in
 * the background): a first sync of 1,000,000 products builds at about 50,000, 250,000 and at the end, a
 * total cost linear in the catalogue; smaller batches wait for writes to pause.
 */
const PENDING_REBUILD = 50_000;
const PENDING_GROWTH = 4;
/** Writes that pause this long rebuild the index, so searches stop checking pending products one by one. */
const IDLE_REBUILD_MS = 1_000;
const MAX_WORDS = 16;
/** A driving word matching more codes than this walks name order rather than sorting them (see baseMatches). */
const CODES_SORTED = 4_000;
const NO_RANK = Number.MAX_SAFE_INTEGER;

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
  /** Slots sorted by id, when the builder gave them (a snapshot keeps them). */
  byId: Int32Array | null;
  /**
   * The forward index, each part built on first use by a search that tests words per product (rankHas):
   * a reopen pays for none of it, and "789" (barcodes only) for barcodePos alone.
   * rank → its position in byBarcode / bySku:
   */
  barcodePos: Int32Array | null;
  skuPos: Int32Array | null;
  /** Rank r's word numbers are words[starts[r] .. starts[r + 1]). */
  rankWords: RankWords | null;
}

interface RankWords {
  starts: Int32Array;
  words: Int32Array;
}

/** What one query word matches in the built index: ranges of the vocabulary and of the sorted codes. */
interface WordRanges {
  v0: number;
  v1: number;
  b0: number;
  b1: number;
  s0: number;
  s1: number;
  /** Candidates (postings plus codes; a product may count more than once). */
  size: number;
}

/** Walk products in name order testing every word, intersect every word's sorted ranks, or choose by the words (default). */
export type SearchPath = 'auto' | 'walk' | 'merge';

export interface CatalogueOptions {
  builder?: IndexBuilder;
  path?: SearchPath;
  /** Codes a word matches above which `auto` tests it per product instead of sorting its ranks (default 4,000; tests lower it). */
  walkAboveCodes?: number;
}

/** What IndexedDB keeps between sessions (structured-cloneable). */
export interface CatalogueSnapshot {
  /** 1: without `built.byId` (still opened: ids then go into a Map at load); 2: with it. */
  format: 1 | 2;
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
  /** Disk locations of the documents (absent from snapshots saved before chunks: all 0). */
  locations?: Float64Array;
  /** The documents' RxDB revisions (absent from snapshots saved before they were kept: all unknown). */
  revisions?: RevisionsSnapshot;
  built: Omit<BuildOutput, 'vocabulary'> & { vocabulary: string };
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

/** The index's derived arrays: slot → rank (linear, a few ms at 1,000,000); the forward index waits for its first use. */
function derive(output: BuildOutput, vocabulary: string[], slotCount: number): Built {
  const { rankSlots, postingStarts, postings, byBarcode, bySku } = output;
  const count = rankSlots.length;
  const rankOf = new Int32Array(slotCount).fill(-1);
  for (let rank = 0; rank < count; rank++) rankOf[rankSlots[rank]!] = rank;
  return { rankSlots, rankOf, vocabulary, postingStarts, postings, byBarcode, bySku, byId: output.byId ?? null, barcodePos: null, skuPos: null, rankWords: null };
}

/** Each rank's word numbers (linear in the postings; tens of ms at 1,000,000). */
function deriveRankWords(built: Built): RankWords {
  const { rankSlots, vocabulary, postingStarts, postings } = built;
  const count = rankSlots.length;
  const rankWordStarts = new Int32Array(count + 1);
  for (let p = 0; p < postings.length; p++) rankWordStarts[postings[p]! + 1]!++;
  for (let rank = 0; rank < count; rank++) rankWordStarts[rank + 1]! += rankWordStarts[rank]!;
  const rankWords = new Int32Array(postings.length);
  const fill = rankWordStarts.slice(0, count);
  for (let v = 0; v < vocabulary.length; v++) {
    for (let p = postingStarts[v]!; p < postingStarts[v + 1]!; p++) rankWords[fill[postings[p]!]!++] = v;
  }
  return { starts: rankWordStarts, words: rankWords };
}

/** rank → position in `sorted` (slots sorted by a code), -1 for none (linear). */
function positionsOf(built: Built, sorted: Int32Array): Int32Array {
  const out = new Int32Array(built.rankSlots.length).fill(-1);
  for (let p = 0; p < sorted.length; p++) {
    const rank = built.rankOf[sorted[p]!]!;
    if (rank >= 0) out[rank] = p;
  }
  return out;
}

const EMPTY_OUTPUT: BuildOutput = { rankSlots: new Int32Array(0), vocabulary: '', postingStarts: new Int32Array(1), postings: new Int32Array(0), byBarcode: new Int32Array(0), bySku: new Int32Array(0) };

export class CatalogueIndex {
  /** Text columns (ids: undefined for a removed product's slot). */
  private ids = new TextColumn();
  private skus = new TextColumn();
  private barcodes = new TextColumn();
  private names = new TextColumn();
  private units = new Uint8Array(1024);
  private groupCodes = new Int32Array(1024);
  private prices = new Float64Array(1024);
  private stocks = new Float64Array(1024);
  private activeFlags = new Uint8Array(1024);
  /** Where each product's document is on disk, for the storage that keeps it (record-store.ts locations; 0: by id). */
  private locations = new Float64Array(1024);
  /** Each product's stored revision, for the same storage (stored-revisions.ts). */
  private revisions = new StoredRevisions();
  private groups: string[] = [];
  private readonly groupCode = new Map<string, number>();
  /**
   * id → slot of products not in the loaded snapshot (all of them when there is none); the snapshot's own
   * are found by binary search over loadedById (loadedIds never changes, unlike ids).
   */
  private readonly slotOf = new Map<string, number>();
  private loadedById: Int32Array | null = null;
  private live = 0;
  private built: Built = derive(EMPTY_OUTPUT, [], 0);
  /** Slots whose indexed words no longer hold (renamed or removed): the built index skips them. */
  private stale = new Uint8Array(1024);
  /** Slots added or renamed since the last build: checked one by one. */
  private pending = new Set<number>();
  private pendingBarcode = new Map<string, number>();
  private pendingSku = new Map<string, number>();
  /** Candidates already seen by the running search: seen[rank] === searchStamp. */
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** When a product last became pending (Date.now()): the idle rebuild waits for a pause after it. */
  private lastChangeAt = 0;
  /** The background build running, with the slots changed since it read the columns (they stay pending). */
  private building: { touched: Set<number>; done: Promise<void> } | null = null;
  /** A change arrived during the background build that should start another one when it ends. */
  private buildAgain = false;
  /** Bumps when the index is replaced by other means (clear, an in-thread rebuild): a background build started before is dropped. */
  private generation = 0;
  /** Bumps on every change, so a UI can memoize on it. */
  version = 0;

  private readonly builder: IndexBuilder;
  private readonly path: SearchPath;
  private readonly walkAboveCodes: number;

  /**
   * @param options.builder where rebuilds run (default: a Worker where the page has them);
   * @param options.path how searches find products: by expected cost (default), or always one way (tests).
   */
  constructor(options: CatalogueOptions = {}) {
    this.builder = options.builder ?? defaultBuilder();
    this.path = options.path ?? 'auto';
    this.walkAboveCodes = options.walkAboveCodes ?? CODES_SORTED;
  }

  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.slotFor(id) !== undefined;
  }

  /**
   * Adds or replaces a product; a change of price, stock or flags edits its slot in place. `location`:
   * where its document now is on disk, and `revision`: its stored RxDB revision when the row holds the
   * whole document (undefined: it does not, or it is not known), both for the storage and kept with the product.
   */
  upsert(doc: ProductRow, location = 0, revision?: Revision): void {
    let slot = this.slotFor(doc.id);
    if (slot !== undefined) {
      this.locations[slot] = location;
      this.revisions.set(slot, revision);
    }
    if (slot === undefined) {
      slot = this.ids.length;
      this.ensureCapacity(slot + 1);
      this.ids.push(doc.id);
      this.skus.push(doc.sku);
      this.barcodes.push(doc.barcode);
      this.names.push(doc.name);
      this.slotOf.set(doc.id, slot);
      this.locations[slot] = location;
      this.revisions.set(slot, revision);
      this.live++;
      this.markPending(slot);
    } else if (this.names.get(slot) !== doc.name || this.skus.get(slot) !== doc.sku || this.barcodes.get(slot) !== doc.barcode) {
      this.unmarkPendingCodes(slot);
      this.names.set(slot, doc.name);
      this.skus.set(slot, doc.sku);
      this.barcodes.set(slot, doc.barcode);
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
    const slot = this.slotFor(id);
    if (slot === undefined) return;
    this.unmarkPendingCodes(slot);
    this.pending.delete(slot);
    this.building?.touched.add(slot);
    this.slotOf.delete(id);
    this.ids.set(slot, undefined);
    // A removed product holds no copy on disk (forEachLocation skips 0).
    this.locations[slot] = 0;
    this.stale[slot] = 1;
    this.live--;
    this.version++;
  }

  clear(): void {
    this.ids = new TextColumn();
    this.skus = new TextColumn();
    this.barcodes = new TextColumn();
    this.names = new TextColumn();
    this.slotOf.clear();
    this.revisions = new StoredRevisions();
    this.loadedById = null;
    this.groupCode.clear();
    this.groups = [];
    this.live = 0;
    this.built = derive(EMPTY_OUTPUT, [], 0);
    this.generation++;
    this.stale.fill(0);
    this.pending.clear();
    this.pendingBarcode.clear();
    this.pendingSku.clear();
    this.version++;
  }

  /** Where the live product `id`'s document is on disk (see upsert), or undefined when there is none. */
  locationOf(id: string): number | undefined {
    const slot = this.slotFor(id);
    return slot === undefined ? undefined : this.locations[slot];
  }

  /** Calls `visit` with the location of every live product not stored by id (location ≠ 0), with its slot. */
  forEachLocation(visit: (location: number, slot: number) => void): void {
    for (let slot = 0; slot < this.ids.length; slot++) {
      const location = this.locations[slot]!;
      if (location !== 0) visit(location, slot);
    }
  }

  /** The ids of the live products whose location passes `test` (location 0, stored by id, is never offered). */
  idsLocated(test: (location: number) => boolean): string[] {
    const found: string[] = [];
    this.forEachLocation((location, slot) => {
      if (!test(location)) return;
      const id = this.ids.get(slot);
      if (id !== undefined) found.push(id);
    });
    return found;
  }

  /** The stored revision of the live product `id` (see upsert), or undefined when there is none or it is not known. */
  revisionOf(id: string): Revision | undefined {
    const slot = this.slotFor(id);
    return slot === undefined ? undefined : this.revisions.get(slot);
  }

  get(id: string): ProductRow | undefined {
    const slot = this.slotFor(id);
    return slot === undefined ? undefined : this.row(slot);
  }

  /** Calls `visit` with every live product, in slot order (tools and benches; a sale never walks the catalogue). */
  forEach(visit: (row: ProductRow) => void): void {
    for (let slot = 0; slot < this.ids.length; slot++) if (this.ids.get(slot) !== undefined) visit(this.row(slot));
  }

  /** Exact barcode, then exact SKU (a scanner or a typed code). */
  findByCode(code: string): ProductRow | undefined {
    const slot = this.codeSlot(code);
    return slot === undefined ? undefined : this.row(slot);
  }

  private codeSlot(code: string): number | undefined {
    return this.exact(code, this.barcodes, this.built.byBarcode, this.pendingBarcode) ?? this.exact(code, this.skus, this.built.bySku, this.pendingSku);
  }

  /** The live slot of `id`: products added since the load in the Map, the snapshot's by binary search. */
  private slotFor(id: string): number | undefined {
    const added = this.slotOf.get(id);
    if (added !== undefined) return added;
    const byId = this.loadedById;
    if (!byId) return undefined;
    const position = lowerBound(byId.length, (p) => this.ids.loaded(byId[p]!), id);
    if (position === byId.length) return undefined;
    const slot = byId[position]!;
    // A removed product's slot keeps its loaded id but no longer its live one.
    return this.ids.loaded(slot) === id && this.ids.get(slot) === id ? slot : undefined;
  }

  /**
   * Products whose words start with every word of the query, in name order. A query that is a whole
   * barcode or SKU puts that product first, so a scanner hit is always the top row. `limit` caps the
   * rows returned (suggestions; a list asks for one more than it shows to know that there are more).
   */
  search(query: string, limit = Number.POSITIVE_INFINITY): ProductRow[] {
    const wanted = words(normalize(query)).slice(0, MAX_WORDS);
    const exactSlot = wanted.length > 0 ? this.codeSlot(query) : undefined;
    // The exact hit leads even when name order would put it past the limit.
    const leading = exactSlot !== undefined && this.matchesAll(exactSlot, wanted) ? [this.row(exactSlot)] : [];
    const slots: number[] = [];
    const room = limit - leading.length;
    const base = this.baseMatches(wanted, room + 1);
    const pending = [...this.pending].filter((slot) => this.matchesAll(slot, wanted));
    let ordered = base;
    if (pending.length > 0) {
      const keyed = (slot: number) => ({ slot, key: sortKey(this.names.get(slot)!, this.ids.get(slot)!) });
      ordered = [...base.map(keyed), ...pending.map(keyed)].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((entry) => entry.slot);
    }
    for (const slot of ordered) {
      if (slots.length >= room) break;
      if (slot !== exactSlot || leading.length === 0) slots.push(slot);
    }
    return [...leading, ...slots.map((slot) => this.row(slot))];
  }

  /**
   * Rebuilds the search index over every product in this thread, now: pending changes join it, stale
   * entries leave it. Blocks for seconds at 1,000,000 products; the catalogue itself rebuilds in the
   * background (`settled()`); this is for tools and tests.
   */
  rebuild(): void {
    this.cancelIdle();
    this.generation++;
    const input = this.buildInput();
    this.install(buildIndex(input), new Set());
  }

  /**
   * Resolves once the index holds every change made before the call (a background build, started
   * here when changes wait). Changes made meanwhile may still be pending.
   */
  async settled(): Promise<void> {
    while (this.building) await this.building.done;
    if (this.pending.size === 0 && !this.stale.includes(1)) return;
    await this.rebuildInBackground();
  }

  /** Whether the built index holds every change: `snapshot()` then builds nothing in this thread. */
  get indexCurrent(): boolean {
    return this.pending.size === 0 && !this.stale.includes(1);
  }

  /** Whether searches still check products one by one (changes since the last build). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Whether a background build is running. */
  get rebuilding(): boolean {
    return this.building !== null;
  }

  /** The whole catalogue and its index, for IndexedDB. Changes still pending are built first, in this thread (call `settled()` before to avoid it). */
  snapshot(): CatalogueSnapshot {
    if (this.pending.size > 0 || this.stale.includes(1)) this.rebuild();
    const slots = this.built.rankSlots;
    // Slots are renumbered in rank order: the snapshot holds live products only.
    const renumbered = new Int32Array(this.ids.length).fill(-1);
    slots.forEach((slot, rank) => (renumbered[slot] = rank));
    const column = (source: TextColumn) => Array.from(slots, (slot) => source.get(slot)!);
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
    // An index loaded from a format-1 snapshot has no id order yet: sorted here once (about a second at 1,000,000).
    const byId = this.built.byId ?? sortedIds(slots, column(this.ids));
    return {
      format: 2,
      count: slots.length,
      ids: join(column(this.ids)),
      skus: join(column(this.skus)),
      barcodes: join(column(this.barcodes)),
      names: join(column(this.names)),
      units: typed(this.units),
      groups: [...this.groups],
      groupCodes: typed(this.groupCodes),
      prices: typed(this.prices),
      stocks: typed(this.stocks),
      active: typed(this.activeFlags),
      locations: typed(this.locations),
      revisions: this.revisions.snapshot(slots),
      built: {
        rankSlots: Int32Array.from(slots, (_slot, rank) => rank),
        vocabulary: this.built.vocabulary.join(VOCABULARY_SEPARATOR),
        postingStarts: this.built.postingStarts,
        postings: this.built.postings,
        byBarcode: renumber(this.built.byBarcode),
        bySku: renumber(this.built.bySku),
        byId: renumber(byId),
      },
    };
  }

  /** A catalogue as `snapshot()` left it: no per-product work beyond splitting its columns (ids are found by binary search over `built.byId`; a format-1 snapshot fills a Map of them). */
  static fromSnapshot(snapshot: CatalogueSnapshot, options: CatalogueOptions = {}): CatalogueIndex {
    const index = new CatalogueIndex(options);
    const column = (joined: string) => new TextColumn(snapshot.count === 0 ? '' : joined, snapshot.count, SEPARATOR);
    index.ids = column(snapshot.ids);
    index.skus = column(snapshot.skus);
    index.barcodes = column(snapshot.barcodes);
    index.names = column(snapshot.names);
    index.ensureCapacity(snapshot.count);
    index.units.set(snapshot.units);
    index.groupCodes.set(snapshot.groupCodes);
    index.prices.set(snapshot.prices);
    index.stocks.set(snapshot.stocks);
    index.activeFlags.set(snapshot.active);
    if (snapshot.locations) index.locations.set(snapshot.locations);
    index.revisions = StoredRevisions.fromSnapshot(snapshot.revisions, snapshot.count);
    index.groups = [...snapshot.groups];
    snapshot.groups.forEach((group, code) => index.groupCode.set(group, code));
    if (snapshot.built.byId && snapshot.built.byId.length === snapshot.count) {
      index.loadedById = snapshot.built.byId;
    } else {
      // A format-1 snapshot (before byId): every id into the Map, as then.
      for (let slot = 0; slot < snapshot.count; slot++) index.slotOf.set(index.ids.loaded(slot), slot);
    }
    index.live = snapshot.count;
    const { built } = snapshot;
    index.built = derive(built, built.vocabulary === '' ? [] : built.vocabulary.split(VOCABULARY_SEPARATOR), snapshot.count);
    return index;
  }

  /** Stops the idle rebuild timer (the catalogue is being dropped); a running background build is dropped when it ends. */
  dispose(): void {
    this.cancelIdle();
    this.generation++;
  }

  private cancelIdle(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The live products' text columns, in slot order. */
  private buildInput(): BuildInput {
    const slots: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) if (this.ids.get(slot) !== undefined) slots.push(slot);
    return {
      slots: Int32Array.from(slots),
      ids: slots.map((slot) => this.ids.get(slot)!),
      names: slots.map((slot) => this.names.get(slot)!),
      skus: slots.map((slot) => this.skus.get(slot)!),
      barcodes: slots.map((slot) => this.barcodes.get(slot)!),
    };
  }

  /**
   * Starts a build of the current columns in the builder (a Worker) unless one runs (then one more
   * follows it). Searches keep using the old index and the pending set until it is swapped in.
   */
  private rebuildInBackground(): Promise<void> {
    this.cancelIdle();
    if (this.building) {
      this.buildAgain = true;
      return this.building.done;
    }
    const generation = this.generation;
    const touched = new Set<number>();
    const input = this.buildInput();
    const done = this.builder(input).then(
      (output) => {
        this.building = null;
        if (generation !== this.generation) return;
        this.install(output, touched);
        this.version++;
      },
      (error: unknown) => {
        this.building = null;
        console.warn('the catalogue index was not rebuilt', error);
      },
    ).then(() => {
      if (this.buildAgain) {
        this.buildAgain = false;
        if (this.pending.size > 0) this.scheduleIdle();
      }
    });
    this.building = { touched, done };
    return done;
  }

  /** Swaps a built index in. Slots changed since its columns were read stay pending and stale in it. */
  private install(output: BuildOutput, touched: Set<number>): void {
    this.built = derive(output, output.vocabulary === '' ? [] : output.vocabulary.split(VOCABULARY_SEPARATOR), this.ids.length);
    this.stale = new Uint8Array(this.stale.length);
    for (const slot of touched) this.stale[slot] = 1;
    const stillPending = [...this.pending].filter((slot) => touched.has(slot));
    this.pending = new Set(stillPending);
    this.pendingBarcode.clear();
    this.pendingSku.clear();
    for (const slot of stillPending) {
      this.pendingBarcode.set(this.barcodes.get(slot)!, slot);
      this.pendingSku.set(this.skus.get(slot)!, slot);
    }
  }

  private row(slot: number): ProductRow {
    const group = this.groupCodes[slot]!;
    return {
      id: this.ids.get(slot)!,
      sku: this.skus.get(slot)!,
      barcode: this.barcodes.get(slot)!,
      name: this.names.get(slot)!,
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
    this.locations = grown(this.locations, capacity);
    this.stale = grown(this.stale, capacity);
  }

  private markPending(slot: number): void {
    this.pending.add(slot);
    this.building?.touched.add(slot);
    this.pendingBarcode.set(this.barcodes.get(slot)!, slot);
    this.pendingSku.set(this.skus.get(slot)!, slot);
    if (this.pending.size > PENDING_REBUILD && this.pending.size > PENDING_GROWTH * this.built.rankSlots.length) {
      if (this.building) this.buildAgain = true;
      else void this.rebuildInBackground();
    } else {
      this.scheduleIdle();
    }
  }

  /**
   * (Re)arms the rebuild for when writes pause. Called per changed product, so it only notes the time:
   * one timer runs, and when it fires early (writes went on) it waits out the rest (a clearTimeout and
   * setTimeout per product cost a second of a 200,000-product first sync).
   */
  private scheduleIdle(): void {
    this.lastChangeAt = Date.now();
    if (this.idleTimer === null) this.armIdle(IDLE_REBUILD_MS);
  }

  private armIdle(delay: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      const quiet = Date.now() - this.lastChangeAt;
      if (quiet < IDLE_REBUILD_MS) return this.armIdle(IDLE_REBUILD_MS - quiet);
      if (this.building) this.buildAgain = true;
      else void this.rebuildInBackground();
    }, delay);
  }

  private unmarkPendingCodes(slot: number): void {
    if (this.pendingBarcode.get(this.barcodes.get(slot)!) === slot) this.pendingBarcode.delete(this.barcodes.get(slot)!);
    if (this.pendingSku.get(this.skus.get(slot)!) === slot) this.pendingSku.delete(this.skus.get(slot)!);
  }

  /** A slot whose raw value is exactly `text`: the pending map first, then the sorted slots. */
  private exact(text: string, values: TextColumn, sorted: Int32Array, pending: Map<string, number>): number | undefined {
    const recent = pending.get(text);
    if (recent !== undefined && this.ids.get(recent) !== undefined) return recent;
    const key = normalize(text);
    for (let position = lowerBound(sorted.length, (p) => normalize(values.get(sorted[p]!)!), key); position < sorted.length; position++) {
      const slot = sorted[position]!;
      if (normalize(values.get(slot)!) !== key) break;
      if (!this.stale[slot] && values.get(slot) === text) return slot;
    }
    return undefined;
  }

  /** Where `word` is a prefix in the vocabulary and in the sorted codes, and how many candidates that gives. */
  private rangesOf(word: string): WordRanges {
    const { vocabulary, postingStarts, byBarcode, bySku } = this.built;
    const upper = `${word}\uffff`;
    const v0 = lowerBound(vocabulary.length, (p) => vocabulary[p]!, word);
    const v1 = lowerBound(vocabulary.length, (p) => vocabulary[p]!, upper);
    const barcodeAt = (p: number) => normalize(this.barcodes.get(byBarcode[p]!)!);
    const skuAt = (p: number) => normalize(this.skus.get(bySku[p]!)!);
    const b0 = lowerBound(byBarcode.length, barcodeAt, word);
    const b1 = lowerBound(byBarcode.length, barcodeAt, upper);
    const s0 = lowerBound(bySku.length, skuAt, word);
    const s1 = lowerBound(bySku.length, skuAt, upper);
    return { v0, v1, b0, b1, s0, s1, size: postingStarts[v1]! - postingStarts[v0]! + (b1 - b0) + (s1 - s0) };
  }

  /** Whether the product at `rank` has a name word, barcode or SKU in `ranges` (the forward index: no string work). */
  private rankHas(rank: number, ranges: WordRanges): boolean {
    // An empty range matches nothing: its part of the forward index is not needed (nor built).
    const built = this.built;
    if (ranges.b1 > ranges.b0) {
      const barcode = (built.barcodePos ??= positionsOf(built, built.byBarcode))[rank]!;
      if (barcode >= ranges.b0 && barcode < ranges.b1) return true;
    }
    if (ranges.s1 > ranges.s0) {
      const sku = (built.skuPos ??= positionsOf(built, built.bySku))[rank]!;
      if (sku >= ranges.s0 && sku < ranges.s1) return true;
    }
    if (ranges.v1 > ranges.v0) {
      const { starts, words } = (built.rankWords ??= deriveRankWords(built));
      const end = starts[rank + 1]!;
      for (let p = starts[rank]!; p < end; p++) {
        const word = words[p]!;
        if (word >= ranges.v0 && word < ranges.v1) return true;
      }
    }
    return false;
  }

  /**
   * Slots of the built index matching every word, in rank order, at most `limit`. Each word's name
   * postings are already in rank order, and its few codes (SKU, barcode) are sorted once: the words are
   * intersected by leapfrogging (each list jumps by binary search to the highest rank another reached),
   * which stops at the limit and skips over whole runs of names ("parafuso inox" jumps past every
   * other "parafuso"). A word matching many codes ("789", every barcode) is not sorted but tested per
   * product; with only such words, ranks are walked in name order, where they sit everywhere.
   */
  private baseMatches(wanted: readonly string[], limit: number): number[] {
    const { rankSlots } = this.built;
    const count = rankSlots.length;
    const out: number[] = [];
    if (wanted.length === 0) {
      for (let rank = 0; rank < count && out.length < limit; rank++) if (!this.stale[rankSlots[rank]!]) out.push(rankSlots[rank]!);
      return out;
    }
    const ranges = wanted.map((word) => this.rangesOf(word));
    if (ranges.some((range) => range.size === 0)) return out;
    const codes = (range: WordRanges) => range.b1 - range.b0 + (range.s1 - range.s0);
    const streamed = this.path === 'walk' ? [] : ranges.filter((range) => this.path === 'merge' || codes(range) <= this.walkAboveCodes);
    const tested = ranges.filter((range) => !streamed.includes(range));
    const matches = (rank: number) => !this.stale[rankSlots[rank]!] && tested.every((range) => this.rankHas(rank, range));
    if (streamed.length === 0) {
      for (let rank = 0; rank < count && out.length < limit; rank++) if (matches(rank)) out.push(rankSlots[rank]!);
      return out;
    }
    const streams = streamed.map((range) => this.streamOf(range));
    let target = 0;
    while (out.length < limit) {
      let agreed = true;
      for (const stream of streams) {
        const rank = stream(target);
        if (rank === NO_RANK) return out;
        if (rank !== target) {
          target = rank;
          agreed = false;
        }
      }
      if (!agreed) continue;
      if (matches(target)) out.push(rankSlots[target]!);
      target++;
    }
    return out;
  }

  /**
   * A word's ranks as a seek function: the smallest rank ≥ target (targets never decrease), or NO_RANK.
   * Lists: the postings of each vocabulary word it starts, and its codes' ranks sorted here.
   */
  private streamOf(ranges: WordRanges): (target: number) => number {
    const { postingStarts, postings, byBarcode, bySku, rankOf } = this.built;
    const arrays: Int32Array[] = [];
    const positions: number[] = [];
    const ends: number[] = [];
    for (let v = ranges.v0; v < ranges.v1; v++) {
      if (postingStarts[v]! === postingStarts[v + 1]!) continue;
      arrays.push(postings);
      positions.push(postingStarts[v]!);
      ends.push(postingStarts[v + 1]!);
    }
    const codeCount = ranges.b1 - ranges.b0 + (ranges.s1 - ranges.s0);
    if (codeCount > 0) {
      const codeRanks = new Int32Array(codeCount);
      let n = 0;
      for (let p = ranges.b0; p < ranges.b1; p++) codeRanks[n++] = rankOf[byBarcode[p]!] ?? -1;
      for (let p = ranges.s0; p < ranges.s1; p++) codeRanks[n++] = rankOf[bySku[p]!] ?? -1;
      // A typed array sorts numerically without a compare callback.
      codeRanks.sort();
      arrays.push(codeRanks);
      positions.push(0);
      ends.push(codeCount);
    }
    return (target) => {
      let best = NO_RANK;
      for (let list = 0; list < arrays.length; list++) {
        const array = arrays[list]!;
        let low = positions[list]!;
        const end = ends[list]!;
        if (low < end && array[low]! < target) {
          // Gallop, then binary search: jumps are short while lists interleave, long over runs.
          let step = 1;
          let high = low + 1;
          while (high < end && array[high]! < target) {
            low = high;
            step *= 2;
            high = Math.min(end, low + step);
          }
          while (low < high) {
            const middle = (low + high) >>> 1;
            if (array[middle]! < target) low = middle + 1;
            else high = middle;
          }
          positions[list] = low;
        }
        if (low < end && array[low]! < best) best = array[low]!;
      }
      return best;
    };
  }

  private matchesAll(slot: number, wanted: readonly string[]): boolean {
    if (this.ids.get(slot) === undefined) return false;
    const own = [...words(normalize(this.names.get(slot)!)), normalize(this.skus.get(slot)!), normalize(this.barcodes.get(slot)!)];
    return wanted.every((word) => own.some((candidate) => candidate.startsWith(word)));
  }
}
