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
import { deleteRecordStore, openRecordStore, type RecordStore } from './record-store.ts';

type Doc = Record<string, unknown>;
type StoredDoc = RxDocumentData<Doc>;
type Checkpoint = RxStorageDefaultCheckpoint;

/**
 * An RxStorage for collections the device only ever receives and holds in memory anyway (the product
 * catalogue, which the product index keeps whole). Every document lives in a Map; IndexedDB keeps a
 * copy in one object store with no secondary index, read once when the collection opens.
 *
 * Why: RxDB's Dexie storage reads every key before writing and maintains five index trees per document,
 * which caps a 100,000-product first sync at about half of what IndexedDB can write. Here a write is one
 * put per document, and queries run over memory with RxDB's own matcher and sort.
 *
 * Only one window opens a device database (renderer/data/tab-lock.ts), so no other instance can
 * change the IndexedDB copy behind this one's back.
 */
export function getMemoryMappedStorage(): RxStorage<MemoryMappedInternals, Record<string, never>> {
  return {
    name: 'balcao-memory-mapped',
    rxdbVersion: RXDB_VERSION,
    // RxDB's signature is generic in the document type; this storage treats every document alike.
    createStorageInstance: (params) => openInstance(params as unknown as Params) as never,
  };
}

type Params = RxStorageInstanceCreationParams<Doc, Record<string, never>>;

async function openInstance(params: Params): Promise<MemoryMappedInstance> {
  ensureRxStorageInstanceParamsAreCorrect(params);
  if (params.schema.attachments) throw new Error(`${params.collectionName}: the memory-mapped storage keeps no attachments; use the Dexie storage for this collection.`);
  const primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
  const recordsName = memoryMappedDatabaseName(params.databaseName, params.collectionName, params.schema.version);
  const records = await openRecordStore<StoredDoc>(recordsName, primaryPath);
  const documents = new Map<string, StoredDoc>();
  for (const doc of await records.readAll()) documents.set(doc[primaryPath] as string, doc);
  return new MemoryMappedInstance(params, { primaryPath, recordsName, records, documents });
}

/** The IndexedDB database behind one collection at one schema version. */
export function memoryMappedDatabaseName(databaseName: string, collectionName: string, schemaVersion: number): string {
  return `${databaseName}--mm--${collectionName}--${schemaVersion}`;
}

export interface MemoryMappedInternals {
  primaryPath: string;
  recordsName: string;
  records: RecordStore<StoredDoc>;
  documents: Map<string, StoredDoc>;
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

  constructor(
    params: Params,
    readonly internals: MemoryMappedInternals,
  ) {
    this.databaseName = params.databaseName;
    this.collectionName = params.collectionName;
    this.schema = params.schema;
    this.options = params.options;
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

  /** Disk first, memory and events after: nobody sees a document that a failed write did not keep. */
  private async writeNow(rows: BulkWriteRow<Doc>[], context: string): Promise<RxStorageBulkWriteResponse<Doc>> {
    const { documents, primaryPath } = this.internals;
    const categorized = categorizeBulkWriteRows<Doc>(this, primaryPath as never, documents, rows, context);
    const written = [...categorized.bulkInsertDocs, ...categorized.bulkUpdateDocs].map((row) => row.document);
    if (written.length > 0) await this.internals.records.write(written, []);
    for (const doc of written) documents.set(doc[primaryPath] as string, doc);
    const { eventBulk, newestRow } = categorized;
    if (eventBulk.events.length > 0 && newestRow) {
      eventBulk.checkpoint = { id: newestRow.document[primaryPath] as string, lwt: newestRow.document._meta.lwt };
      this.changes.next(eventBulk);
    }
    return { error: categorized.errors };
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<StoredDoc[]> {
    this.ensureOpen();
    const found: StoredDoc[] = [];
    for (const id of ids) {
      const doc = this.internals.documents.get(id);
      if (doc && (withDeleted || !doc._deleted)) found.push(doc);
    }
    return found;
  }

  /** A scan of memory: these collections are read whole (the product index), not searched by index. */
  async query(prepared: PreparedQuery<Doc>): Promise<RxStorageQueryResult<Doc>> {
    this.ensureOpen();
    const { query } = prepared;
    const matches = getQueryMatcher(this.schema, query);
    const rows = [...this.internals.documents.values()].filter((doc) => matches(doc)).sort(getSortComparator(this.schema, query));
    const skip = query.skip ?? 0;
    const end = typeof query.limit === 'number' ? skip + query.limit : undefined;
    return { documents: rows.slice(skip, end) };
  }

  async count(prepared: PreparedQuery<Doc>): Promise<RxStorageCountResult> {
    this.ensureOpen();
    const matches = getQueryMatcher(this.schema, prepared.query);
    let count = 0;
    for (const doc of this.internals.documents.values()) if (matches(doc)) count++;
    return { count, mode: 'fast' };
  }

  async getChangedDocumentsSince(limit: number, checkpoint?: Checkpoint): Promise<{ documents: StoredDoc[]; checkpoint: Checkpoint }> {
    this.ensureOpen();
    const { primaryPath } = this.internals;
    const key = (doc: StoredDoc) => ({ lwt: doc._meta.lwt, id: doc[primaryPath] as string });
    const after = (doc: StoredDoc) => !checkpoint || key(doc).lwt > checkpoint.lwt || (key(doc).lwt === checkpoint.lwt && key(doc).id > checkpoint.id);
    const documents = [...this.internals.documents.values()]
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
    const { documents, records } = this.internals;
    const before = now() - minimumDeletedTime;
    return this.serially(async () => {
      const expired = [...documents.entries()].filter(([, doc]) => doc._deleted && doc._meta.lwt < before).map(([id]) => id);
      if (expired.length > 0) await records.write([], expired);
      for (const id of expired) documents.delete(id);
      return true;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes;
    this.internals.records.close();
    this.internals.documents.clear();
    this.changes.complete();
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    await this.close();
    await deleteRecordStore(this.internals.recordsName);
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`${this.databaseName}/${this.collectionName} is closed.`);
  }
}
