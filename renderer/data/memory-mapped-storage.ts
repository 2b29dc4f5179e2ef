import { Subject, type Observable } from 'rxjs';
import {
  RXDB_VERSION,
  categorizeBulkWriteRows,
  ensureRxStorageInstanceParamsAreCorrect,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  now,
  type BulkWriteRow,
  type EventBulk,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type RxStorageCountResult,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  type RxStorageQueryResult,
} from 'rxdb';
import { PRODUCT_UNITS } from '../../sync/schema/index.ts';
import { CatalogueIndex, type CatalogueSnapshot, type ProductRow } from './catalogue-index.ts';
import { CHUNK_POLICY, ChunkLedger, chunkOf, type ChunkPolicy } from './chunk-ledger.ts';
import { deleteRecordStore, openRecordStore, type JournalEntry, type RecordStore } from './record-store.ts';
import type { Revision } from './stored-revisions.ts';

type Doc = Record<string, unknown>;
type StoredDoc = RxDocumentData<Doc>;
type Checkpoint = RxStorageDefaultCheckpoint;

/**
 * The RxStorage of the product catalogue (read-only on devices, up to 1,000,000 SKUs — issue 16). The
 * documents live in IndexedDB only (one object store, no secondary index); memory holds the compact
 * catalogue a sale needs (renderer/data/catalogue-index.ts: columns and a search index, no object per
 * product) and the ids of tombstones. Every write updates the catalogue, so the sale screen's lookups
 * are current without a read of the collection.
 *
 * The catalogue's row holds every field of a product (its schema allows no other), so with the stored
 * revision kept beside it (stored-revisions.ts) a live product's document is answered from memory, not
 * read: a pull that updates 10,000 products scattered over 1,000,000 read a 5,000-product chunk for
 * every few of them (issue 16). A document the row does not hold whole (another field, attachments,
 * more in `_meta`) is read from disk, as are tombstones.
 *
 * Reopening reads one snapshot of the catalogue plus the journal of writes after it (record-store.ts),
 * not every document: 1,000,000 documents cost tens of seconds to read and a gigabyte of heap. The
 * snapshot is rewritten when writes pause after ≥ SNAPSHOT_AFTER journaled documents, and at close.
 *
 * Why not RxDB's Dexie storage: it reads every key before writing and maintains five index trees per
 * document, which caps a first sync at about half of what IndexedDB can write. Queries other than
 * by id or a count of everything read the documents from disk: nothing on the sale path makes them.
 *
 * Only one window opens a device database (renderer/data/tab-lock.ts), so no other instance can
 * change the IndexedDB copy behind this one's back.
 */
export function getMemoryMappedStorage(policy: ChunkPolicy = CHUNK_POLICY): RxStorage<MemoryMappedInternals, Record<string, never>> {
  return {
    name: 'balcao-memory-mapped',
    rxdbVersion: RXDB_VERSION,
    // RxDB's signature is generic in the document type; this storage treats every document alike.
    createStorageInstance: (params) => openInstance(params as unknown as Params, policy) as never,
  };
}

type Params = RxStorageInstanceCreationParams<Doc, Record<string, never>>;

/** What the snapshot keeps beside the catalogue: deleted ids, which RxDB asks about as tombstones, and where they are. */
interface SavedCatalogue {
  catalogue: CatalogueSnapshot;
  tombstones: string[];
  /** Each tombstone's location (absent from snapshots saved before chunks: all 0). */
  tombstoneLocations?: number[];
  /** The chunks' sizes as pairs, chunk then records (chunk-ledger.ts; absent from snapshots saved before they were kept). */
  chunkSizes?: number[];
}

/**
 * A write's live documents, new or updated, go into one chunk (record-store.ts: one put instead of one
 * per document, a tenth of the cost) when there are at least this many (a pulled page); fewer, and
 * every deletion, are put one by one, so an edit never rewrites a chunk. A price change of 10,000
 * products reaches a station as pages of 1,000 updates: 10,000 single puts took the station's page
 * about a second of its thread, which on a 2-core cashier PC the server's own work waited for (issue 16).
 * An updated product's older copy stays in its chunk, stale: the chunk is deleted when none of its
 * copies is current, and the emptiest chunks are compacted past a bound (chunk-ledger.ts).
 */
const CHUNK_MIN = 100;
const CHUNK_MAX = 50_000;

/** Journaled documents after which a pause in writes rewrites the snapshot (a reopen replays at most about this many). */
const SNAPSHOT_AFTER = 10_000;
/** How long writes must pause before the snapshot is rewritten (a pull writes in bursts). */
const SNAPSHOT_IDLE_MS = 2_000;

/** The catalogues of the open databases, by database name: what the sale screen searches (renderer/core/core.ts). */
const openCatalogues = new Map<string, CatalogueIndex>();

/** The live catalogue of an open device database, or undefined when its products are not in this storage. */
export function catalogueOf(databaseName: string): CatalogueIndex | undefined {
  return openCatalogues.get(databaseName);
}

async function openInstance(params: Params, policy: ChunkPolicy): Promise<MemoryMappedInstance> {
  ensureRxStorageInstanceParamsAreCorrect(params);
  if (params.schema.attachments) throw new Error(`${params.collectionName}: the memory-mapped storage keeps no attachments; use the Dexie storage for this collection.`);
  const primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
  const recordsName = memoryMappedDatabaseName(params.databaseName, params.collectionName, params.schema.version);
  const records = await openRecordStore<StoredDoc>(recordsName, primaryPath);
  const { snapshot, journal } = await records.readSaved<SavedCatalogue>();
  let catalogue: CatalogueIndex;
  const tombstones = new Map<string, number>();
  let unsaved = 0;
  const replayed = snapshot ? journal.filter((entry) => entry.seq > snapshot.seq) : journal;
  if (snapshot) {
    catalogue = CatalogueIndex.fromSnapshot(snapshot.data.catalogue);
    const { tombstones: deleted, tombstoneLocations } = snapshot.data;
    deleted.forEach((id, i) => tombstones.set(id, tombstoneLocations?.[i] ?? 0));
    unsaved = await replay(records, catalogue, tombstones, replayed);
  } else {
    // No snapshot yet (a catalogue stored before snapshots, or a crash before the first one): the
    // records store once (what came before the journal), then every write the journal names.
    catalogue = new CatalogueIndex();
    for (const doc of await records.readAll()) apply(catalogue, tombstones, doc[primaryPath] as string, doc, 0);
    await replay(records, catalogue, tombstones, journal);
    // Built in the background (a Worker): searches check the pending products meanwhile.
    void catalogue.settled();
    unsaved = catalogue.size + tombstones.size;
  }
  const lastSeq = journal.at(-1)?.seq ?? snapshot?.seq ?? 0;
  const ledger = ChunkLedger.load(await records.chunkKeys(), currentLocations(catalogue, tombstones), [...savedSizes(snapshot?.data.chunkSizes), ...replayed.flatMap((entry) => (entry.at ? ChunkLedger.sizesIn(entry.at) : []))], policy);
  const instance = new MemoryMappedInstance(params, { primaryPath, recordsName, records, catalogue, tombstones, ledger }, lastSeq, unsaved);
  if (params.collectionName === 'products') openCatalogues.set(params.databaseName, catalogue);
  return instance;
}

/**
 * Writes the journal names, in order: each id's document as stored now, from where its last write put it.
 * Returns how many ids that was.
 */
async function replay(records: RecordStore<StoredDoc>, catalogue: CatalogueIndex, tombstones: Map<string, number>, entries: readonly JournalEntry[]): Promise<number> {
  const where = new Map<string, number>();
  for (const entry of entries) entry.ids.forEach((id, i) => where.set(id, entry.at?.[i] ?? 0));
  const ids = [...where.keys()];
  const locations = [...where.values()];
  const docs = await records.readAt(ids, locations);
  ids.forEach((id, i) => apply(catalogue, tombstones, id, docs[i], locations[i]!));
  return ids.length;
}

/** Where every current copy is: the live products' and the tombstones'. */
function currentLocations(catalogue: CatalogueIndex, tombstones: ReadonlyMap<string, number>): number[] {
  const locations: number[] = [];
  catalogue.forEachLocation((location) => locations.push(location));
  for (const location of tombstones.values()) if (location !== 0) locations.push(location);
  return locations;
}

function* savedSizes(flat: readonly number[] | undefined): Generator<[number, number]> {
  for (let i = 0; flat && i + 1 < flat.length; i += 2) yield [flat[i]!, flat[i + 1]!];
}

/** Brings the catalogue to a document as stored at `location` (undefined: no longer stored at all). */
function apply(catalogue: CatalogueIndex, tombstones: Map<string, number>, id: string, doc: StoredDoc | undefined, location: number): void {
  if (!doc || doc._deleted) {
    catalogue.remove(id);
    if (doc) tombstones.set(id, location);
    else tombstones.delete(id);
  } else {
    catalogue.upsert(doc as unknown as ProductRow, location, revisionIfWhole(doc));
    tombstones.delete(id);
  }
}

const TEXT_FIELDS = ['id', 'sku', 'barcode', 'name'] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set([...TEXT_FIELDS, 'unit', 'priceCents', 'stock', 'groupId', 'active', '_deleted', '_rev', '_meta', '_attachments']);

/**
 * The live document's revision when `documentFromMemory` rebuilds exactly this document from its
 * catalogue row (the fields of a product of `sync/schema`, nothing else, no attachments, `_meta` with
 * `lwt` only); undefined otherwise, and the document is then read from disk when asked for.
 */
function revisionIfWhole(doc: StoredDoc): Revision | undefined {
  for (const key of Object.keys(doc)) if (!KNOWN_FIELDS.has(key)) return undefined;
  const meta = doc._meta as Record<string, unknown>;
  const whole =
    TEXT_FIELDS.every((field) => typeof doc[field] === 'string') &&
    (PRODUCT_UNITS as readonly unknown[]).includes(doc.unit) &&
    typeof doc.priceCents === 'number' &&
    typeof doc.stock === 'number' &&
    typeof doc.active === 'boolean' &&
    (!('groupId' in doc) || typeof doc.groupId === 'string') &&
    doc._deleted === false &&
    typeof doc._rev === 'string' &&
    Object.keys(doc._attachments ?? {}).length === 0 &&
    Object.keys(meta).length === 1 &&
    typeof meta.lwt === 'number';
  return whole ? { rev: doc._rev, lwt: meta.lwt as number } : undefined;
}

/** The stored document of a live product, rebuilt from its catalogue row and kept revision; undefined when the revision is not kept. */
function documentFromMemory(catalogue: CatalogueIndex, id: string): StoredDoc | undefined {
  const revision = catalogue.revisionOf(id);
  const row = revision && catalogue.get(id);
  if (!revision || !row) return undefined;
  return { ...row, _deleted: false, _rev: revision.rev, _meta: { lwt: revision.lwt }, _attachments: {} } as unknown as StoredDoc;
}

/** The IndexedDB database behind one collection at one schema version. */
export function memoryMappedDatabaseName(databaseName: string, collectionName: string, schemaVersion: number): string {
  return `${databaseName}--mm--${collectionName}--${schemaVersion}`;
}

export interface MemoryMappedInternals {
  primaryPath: string;
  recordsName: string;
  records: RecordStore<StoredDoc>;
  /** Live documents, compactly (the sale screen's product lookup). */
  catalogue: CatalogueIndex;
  /** Ids of deleted documents still stored as tombstones, with their locations on disk. */
  tombstones: Map<string, number>;
  /** What each chunk holds that is current (which to delete, which to compact). */
  ledger: ChunkLedger;
}

class MemoryMappedInstance implements RxStorageInstance<Doc, MemoryMappedInternals, Record<string, never>, Checkpoint> {
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schema: Readonly<RxJsonSchema<StoredDoc>>;
  readonly options: Readonly<Record<string, never>>;
  private readonly changes = new Subject<EventBulk<RxStorageChangeEvent<Doc>, Checkpoint>>();
  /** Writes run one after another, so each is categorized against the state the previous one left. */
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Writes stored so far (a read that spans one does not teach the catalogue what it read). */
  private writesDone = 0;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    params: Params,
    readonly internals: MemoryMappedInternals,
    /** Key of the newest journal entry. */
    private lastSeq: number,
    /** Documents written since the snapshot. */
    private unsaved: number,
  ) {
    this.databaseName = params.databaseName;
    this.collectionName = params.collectionName;
    this.schema = params.schema;
    this.options = params.options;
    if (unsaved >= SNAPSHOT_AFTER) this.saveWhenIdle();
  }

  bulkWrite(rows: BulkWriteRow<Doc>[], context: string): Promise<RxStorageBulkWriteResponse<Doc>> {
    this.ensureOpen();
    return this.serially(() => this.writeNow(rows, context));
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Ids this storage holds, live or as tombstones: only those are read from disk. */
  private stored(id: string): boolean {
    return this.internals.catalogue.has(id) || this.internals.tombstones.has(id);
  }

  /** Where the current copy of a stored id is (record-store.ts locations); undefined for an id not stored. */
  private locationOf(id: string): number | undefined {
    return this.internals.catalogue.locationOf(id) ?? this.internals.tombstones.get(id);
  }

  /** The stored documents of these ids (all stored): from memory where the catalogue holds them whole, else from wherever each one's current copy is on disk. */
  private async read(ids: readonly string[]): Promise<(StoredDoc | undefined)[]> {
    const found: (StoredDoc | undefined)[] = ids.map((id) => documentFromMemory(this.internals.catalogue, id));
    const missing: number[] = [];
    found.forEach((doc, i) => doc === undefined && missing.push(i));
    if (missing.length === 0) return found;
    const missingIds = missing.map((i) => ids[i]!);
    const locations = missingIds.map((id) => this.locationOf(id) ?? 0);
    const writesBefore = this.writesDone;
    const fromDisk = await this.internals.records.readAt(missingIds, locations);
    // A catalogue from a snapshot saved before revisions were kept learns each one as it is read, unless
    // a write landed during the read (what was read may be older than memory then).
    const learn = this.writesDone === writesBefore;
    const { catalogue } = this.internals;
    missing.forEach((i, n) => {
      const doc = fromDisk[n];
      found[i] = doc;
      if (learn && doc && !doc._deleted && catalogue.has(ids[i]!)) catalogue.upsert(doc as unknown as ProductRow, locations[n]!, revisionIfWhole(doc));
    });
    return found;
  }

  /** Disk first, memory and events after: nobody sees a document that a failed write did not keep. */
  private async writeNow(rows: BulkWriteRow<Doc>[], context: string): Promise<RxStorageBulkWriteResponse<Doc>> {
    const { primaryPath, records, catalogue, tombstones, ledger } = this.internals;
    // A fresh catalogue's pull reads nothing here: none of its ids is stored yet.
    const known = rows.map((row) => row.document[primaryPath] as string).filter((id) => this.stored(id));
    const docsInDb = new Map<string, StoredDoc>();
    for (const doc of await this.read(known)) if (doc) docsInDb.set(doc[primaryPath] as string, doc);
    const categorized = categorizeBulkWriteRows<Doc>(this, primaryPath as never, docsInDb, rows, context);
    const written = [...categorized.bulkInsertDocs, ...categorized.bulkUpdateDocs].map((row) => row.document);
    const live = written.filter((doc) => !doc._deleted);
    const chunked = live.length >= CHUNK_MIN && live.length <= CHUNK_MAX ? live : [];
    const single = chunked.length > 0 ? written.filter((doc) => doc._deleted) : written;
    if (chunked.length + single.length > 0) {
      const idOf = (doc: StoredDoc) => doc[primaryPath] as string;
      const writtenIds = new Set(written.map(idOf));
      const moved = chunked.length > 0 ? await this.compacted(writtenIds) : [];
      const inChunk = [...chunked, ...moved];
      // Where the copies this write supersedes are, read before it moves them: only ids stored before it
      // (`known`) have one, so a first sync's pages of new products look nothing up.
      const released: number[] = [];
      for (const id of [...known.filter((stored) => writtenIds.has(stored)), ...moved.map(idOf)]) {
        const location = this.locationOf(id);
        if (location) released.push(location);
      }
      const drops = ledger.dropsAfter(released);
      const { seq, locations } = await records.append(single, single.map(idOf), inChunk, inChunk.map(idOf), drops);
      this.writesDone++;
      this.lastSeq = seq;
      ledger.committed(released, locations, inChunk.length > 0 ? { chunk: chunkOf(locations[0]!), size: inChunk.length } : null, drops);
      for (const doc of single) apply(catalogue, tombstones, idOf(doc), doc, 0);
      inChunk.forEach((doc, i) => apply(catalogue, tombstones, idOf(doc), doc, locations[i]!));
      this.unsaved += inChunk.length + single.length;
      if (this.unsaved >= SNAPSHOT_AFTER) this.saveWhenIdle();
    }
    const { eventBulk, newestRow } = categorized;
    if (eventBulk.events.length > 0 && newestRow) {
      eventBulk.checkpoint = { id: newestRow.document[primaryPath] as string, lwt: newestRow.document._meta.lwt };
      this.changes.next(eventBulk);
    }
    return { error: categorized.errors };
  }

  /**
   * The current documents of the chunks the ledger says to compact (none while stale copies are within
   * its bound), to be moved into the chunk of the write under way; `skip` are that write's own ids.
   */
  private async compacted(skip: ReadonlySet<string>): Promise<StoredDoc[]> {
    const { catalogue, tombstones, ledger } = this.internals;
    const victims = new Set(ledger.compaction(catalogue.size));
    if (victims.size === 0) return [];
    const inVictim = (location: number) => victims.has(chunkOf(location));
    const ids = catalogue.idsLocated(inVictim);
    for (const [id, location] of tombstones) if (inVictim(location)) ids.push(id);
    const docs = await this.read(ids.filter((id) => !skip.has(id)));
    return docs.filter((doc): doc is StoredDoc => doc !== undefined);
  }

  /** (Re)arms the snapshot for when writes pause. */
  private saveWhenIdle(): void {
    if (this.snapshotTimer !== null) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      if (!this.closed) void this.saveWhenBuilt().catch((error: unknown) => console.warn(`${this.collectionName}: the catalogue snapshot was not saved`, error));
    }, SNAPSHOT_IDLE_MS);
  }

  /**
   * The index is built off the page's thread (seconds at 1,000,000 products) while writes go on: a
   * price change arriving then is not held back. A rename that came meanwhile leaves the index behind
   * again, and the snapshot waits for the next pause rather than build it in this thread.
   */
  private async saveWhenBuilt(): Promise<void> {
    await this.internals.catalogue.settled();
    await this.serially(async () => {
      if (this.closed) return;
      if (this.internals.catalogue.indexCurrent) await this.saveSnapshot();
      else this.saveWhenIdle();
    });
  }

  /** Runs between writes (serially), so the snapshot and `lastSeq` describe the same state. */
  private async saveSnapshot(): Promise<void> {
    if (this.unsaved === 0) return;
    const { catalogue, tombstones, records } = this.internals;
    const seq = this.lastSeq;
    const saved = this.unsaved;
    // The index is built off the page's thread first; writes wait meanwhile (this runs serially), so nothing new is pending after.
    await catalogue.settled();
    const chunkSizes = this.internals.ledger.knownSizes().flat();
    await records.writeSnapshot<SavedCatalogue>({ seq, data: { catalogue: catalogue.snapshot(), tombstones: [...tombstones.keys()], tombstoneLocations: [...tombstones.values()], chunkSizes } });
    this.unsaved -= saved;
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<StoredDoc[]> {
    this.ensureOpen();
    const wanted = ids.filter((id) => (withDeleted ? this.stored(id) : this.internals.catalogue.has(id)));
    const found = await this.read(wanted);
    return found.filter((doc): doc is StoredDoc => !!doc && (withDeleted || !doc._deleted));
  }

  /**
   * Every stored document, from disk: queries are rare here (the sale screen searches the catalogue).
   * Only current copies: one whose id was written again since lives elsewhere.
   */
  private async everything(): Promise<StoredDoc[]> {
    const { primaryPath } = this.internals;
    const copies = await this.internals.records.readEverywhere();
    return copies.filter(({ record, at }) => this.locationOf(record[primaryPath] as string) === at).map(({ record }) => record);
  }

  async query(prepared: PreparedQuery<Doc>): Promise<RxStorageQueryResult<Doc>> {
    this.ensureOpen();
    const { query } = prepared;
    const matches = getQueryMatcher(this.schema, query);
    const rows = (await this.everything()).filter((doc) => matches(doc)).sort(getSortComparator(this.schema, query));
    const skip = query.skip ?? 0;
    const end = typeof query.limit === 'number' ? skip + query.limit : undefined;
    return { documents: rows.slice(skip, end) };
  }

  /** A count of every live document comes from memory; any other selector reads the documents. */
  async count(prepared: PreparedQuery<Doc>): Promise<RxStorageCountResult> {
    this.ensureOpen();
    const selector = prepared.query.selector as Record<string, unknown>;
    const keys = Object.keys(selector);
    const deleted = selector._deleted as { $eq?: unknown } | boolean | undefined;
    if (keys.length === 1 && keys[0] === '_deleted' && (deleted === false || (typeof deleted === 'object' && deleted.$eq === false))) {
      return { count: this.internals.catalogue.size, mode: 'fast' };
    }
    const matches = getQueryMatcher(this.schema, prepared.query);
    let count = 0;
    for (const doc of await this.everything()) if (matches(doc)) count++;
    return { count, mode: 'slow' };
  }

  async getChangedDocumentsSince(limit: number, checkpoint?: Checkpoint): Promise<{ documents: StoredDoc[]; checkpoint: Checkpoint }> {
    this.ensureOpen();
    const { primaryPath } = this.internals;
    const key = (doc: StoredDoc) => ({ lwt: doc._meta.lwt, id: doc[primaryPath] as string });
    const after = (doc: StoredDoc) => !checkpoint || key(doc).lwt > checkpoint.lwt || (key(doc).lwt === checkpoint.lwt && key(doc).id > checkpoint.id);
    const documents = (await this.everything())
      .filter(after)
      .sort((a, b) => a._meta.lwt - b._meta.lwt || ((a[primaryPath] as string) < (b[primaryPath] as string) ? -1 : 1))
      .slice(0, limit);
    const last = documents.at(-1);
    return { documents, checkpoint: last ? key(last) : (checkpoint ?? { id: '', lwt: 0 }) };
  }

  getAttachmentData(documentId: string, attachmentId: string): Promise<Blob> {
    return Promise.reject(new Error(`${this.collectionName}/${documentId}: no attachment ${attachmentId} (this storage keeps none).`));
  }

  changeStream(): Observable<EventBulk<RxStorageChangeEvent<Doc>, Checkpoint>> {
    return this.changes.asObservable();
  }

  /** Drops tombstones older than `minimumDeletedTime` ms, from disk and then from memory. */
  cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen();
    const { tombstones, records, primaryPath } = this.internals;
    const before = now() - minimumDeletedTime;
    return this.serially(async () => {
      const expired = (await this.read([...tombstones.keys()])).filter((doc): doc is StoredDoc => !!doc && doc._deleted && doc._meta.lwt < before).map((doc) => doc[primaryPath] as string);
      if (expired.length > 0) {
        this.lastSeq = await records.write([], expired, expired);
        this.writesDone++;
        for (const id of expired) tombstones.delete(id);
        this.unsaved += expired.length;
      }
      return true;
    });
  }

  /** Saves the snapshot when writes came after it, so the next open reads no journal. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.snapshotTimer !== null) clearTimeout(this.snapshotTimer);
    await this.writes;
    await this.saveSnapshot().catch((error: unknown) => console.warn(`${this.collectionName}: the catalogue snapshot was not saved at close`, error));
    this.internals.records.close();
    this.internals.catalogue.dispose();
    if (openCatalogues.get(this.databaseName) === this.internals.catalogue) openCatalogues.delete(this.databaseName);
    this.changes.complete();
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    // Nothing to keep: no snapshot on the way out.
    this.unsaved = 0;
    await this.close();
    await deleteRecordStore(this.internals.recordsName);
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`${this.databaseName}/${this.collectionName} is closed.`);
  }
}
