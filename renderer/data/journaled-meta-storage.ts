import { getPrimaryFieldOfPrimaryKey, normalizeMangoQuery, prepareQuery, type BulkWriteRow, type RxDocumentData, type RxStorage, type RxStorageBulkWriteResponse, type RxStorageInstance, type RxStorageInstanceCreationParams } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { COLLECTIONS, type CollectionName } from '../../sync/schema/index.ts';

type Doc = Record<string, unknown>;
type Params = RxStorageInstanceCreationParams<Doc, unknown>;
type Instance = RxStorageInstance<Doc, unknown, unknown>;

/**
 * Collections whose replication metadata (RxDB's acknowledged states and checkpoints) is kept by the
 * journaled storage below instead of Dexie. Consumption: a 10,000-row spreadsheet import uploads in one
 * round, and recording its 10,000 acknowledged states in Dexie (a read and a write of each, plus the read
 * of each before the push) was over half of the upload (issue 11: at load 12, 6.2 s with Dexie against
 * 2.7 s with the metadata in memory; `BENCH_UPLOAD_STORAGE=meta-memory npx tsx test/bench/sheets/run.ts`).
 * Only collections a back-office device writes in bulk belong here: the metadata is held in memory (about
 * 1 KB per uploaded record), which a station's sales history should not be.
 */
export const JOURNALED_META_COLLECTIONS: ReadonlySet<CollectionName> = new Set<CollectionName>(['consumption']);

const META_PREFIX = 'rx-replication-meta-';
const JOURNAL = 'journal';
/** Reopening compacts the journal into one entry when it holds more entries than this. */
const COMPACT_ABOVE_ENTRIES = 20;

/** The IndexedDB database that holds one metadata instance's journal. */
export function journalDatabaseName(databaseName: string, collectionName: string): string {
  return `balcao-meta--${databaseName}--${collectionName}`;
}

/**
 * Whether `params` open the replication metadata of one of JOURNALED_META_COLLECTIONS. RxDB names a
 * metadata instance by a hash of its collection and replication, but its schema embeds the replicated
 * documents' fields (`docData`), which tell the collection.
 */
export function isJournaledMeta(params: { collectionName: string; schema: { properties?: Record<string, unknown> } }): boolean {
  if (!params.collectionName.startsWith(META_PREFIX)) return false;
  const docData = params.schema.properties?.docData as { properties?: Record<string, unknown> } | undefined;
  const fields = Object.keys(docData?.properties ?? {}).filter((key) => !key.startsWith('_'));
  return [...JOURNALED_META_COLLECTIONS].some((name) => {
    const own = Object.keys(COLLECTIONS[name].schema.properties);
    return own.length === fields.length && own.every((key) => fields.includes(key));
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (disk full?)'));
  });
}

async function openJournal(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(JOURNAL, { autoIncrement: true });
  return request(open);
}

/**
 * A storage for RxDB's replication metadata: the documents live in memory (RxDB's memory storage, so
 * reads, queries and conflict checks are RxDB's own) and on disk as a journal in one IndexedDB object
 * store, one value per bulk write (its written documents). A 10,000-document write is then one put, and
 * the reads before it cost nothing. Reopening replays the journal (last state of each id wins) and, when
 * it has grown, rewrites it as one entry.
 *
 * A write is answered only after its journal entry is stored. If that put fails (a full disk), the call
 * fails and memory may hold states the disk does not: after a reload the replication then knows less
 * than it acknowledged and sends those documents again, which the server answers as unchanged (a push
 * is idempotent) — nothing is lost. One window opens a device database (tab-lock.ts), so no other
 * instance writes the same journal.
 */
export function getJournaledMetaStorage(): RxStorage<unknown, unknown> {
  const memory = getRxStorageMemory() as unknown as RxStorage<unknown, unknown>;
  return {
    name: 'balcao-journaled-meta',
    rxdbVersion: memory.rxdbVersion,
    createStorageInstance: (params) => openInstance(memory, params as Params) as never,
  };
}

async function openInstance(memory: RxStorage<unknown, unknown>, params: Params): Promise<Instance> {
  const journalName = journalDatabaseName(params.databaseName, params.collectionName);
  const key = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
  const journal = await openJournal(journalName);
  // Its own memory state each time (RxDB's memory storage keeps a state per name for the page's life):
  // the journal is what the instance starts from.
  const inMemory = (await memory.createStorageInstance({ ...params, databaseName: `${params.databaseName}--journaled--${crypto.randomUUID()}` } as never)) as Instance;
  try {
    const entries = await request(journal.transaction(JOURNAL, 'readonly').objectStore(JOURNAL).getAll() as IDBRequest<RxDocumentData<Doc>[][]>);
    const latest = new Map<string, RxDocumentData<Doc>>();
    for (const docs of entries) for (const doc of docs) latest.set(String(doc[key]), doc);
    if (entries.length === 0) {
      // A device from before this storage kept the metadata in Dexie: taken over once, so nothing already
      // acknowledged is sent again (and no local change is mistaken for a conflict).
      const before = await fromDexie(params, key);
      if (before.length > 0) {
        for (const doc of before) latest.set(String(doc[key]), doc);
        const tx = journal.transaction(JOURNAL, 'readwrite');
        tx.objectStore(JOURNAL).add(before);
        await done(tx);
      }
    }
    if (latest.size > 0) {
      const result = await inMemory.bulkWrite([...latest.values()].map((document) => ({ document })), 'journaled-meta-replay');
      if (result.error.length > 0) throw new Error(`replaying ${journalName}: ${result.error.length} documents refused`);
    }
    if (entries.length > COMPACT_ABOVE_ENTRIES) {
      const tx = journal.transaction(JOURNAL, 'readwrite');
      const store = tx.objectStore(JOURNAL);
      store.clear();
      store.add([...latest.values()]);
      await done(tx);
    }
  } catch (error) {
    journal.close();
    await inMemory.close();
    throw error;
  }
  return journaled(inMemory, key, journal, journalName);
}

/** The IndexedDB database RxDB's Dexie storage keeps an instance in (rxdb/plugins/storage-dexie, dexie-helper.js). */
export function dexieDatabaseName(params: { databaseName: string; collectionName: string; schema: { version: number } }): string {
  return `rxdb-dexie-${params.databaseName}--${params.schema.version}--${params.collectionName}`;
}

/** Every document the Dexie storage holds for these params; none (and nothing created) when it has no database. */
async function fromDexie(params: Params, key: string): Promise<RxDocumentData<Doc>[]> {
  const name = dexieDatabaseName(params);
  if (!(await indexedDB.databases()).some((entry) => entry.name === name)) return [];
  const dexie = (await getRxStorageDexie().createStorageInstance(params as never)) as unknown as Instance;
  try {
    const query = normalizeMangoQuery(params.schema as never, { selector: {}, sort: [{ [key]: 'asc' }] as never, skip: 0 });
    return (await dexie.query(prepareQuery(params.schema as never, query))).documents;
  } finally {
    await dexie.close();
  }
}

function journaled(inMemory: Instance, primary: string, journal: IDBDatabase, journalName: string): Instance {
  let closed = false;
  // Reads, queries and the change stream are the memory instance's; writes also go to the journal.
  return {
    databaseName: inMemory.databaseName,
    collectionName: inMemory.collectionName,
    schema: inMemory.schema,
    internals: inMemory.internals,
    options: inMemory.options,
    async bulkWrite(rows: BulkWriteRow<Doc>[], context: string): Promise<RxStorageBulkWriteResponse<Doc>> {
      const result = await inMemory.bulkWrite(rows, context);
      const refused = new Set(result.error.map((error) => error.documentId));
      const written = rows.filter((row) => !refused.has(String(row.document[primary]))).map((row) => row.document);
      if (written.length > 0) {
        const tx = journal.transaction(JOURNAL, 'readwrite');
        tx.objectStore(JOURNAL).add(written);
        await done(tx);
      }
      return result;
    },
    findDocumentsById: (ids, withDeleted) => inMemory.findDocumentsById(ids, withDeleted),
    query: (prepared) => inMemory.query(prepared),
    count: (prepared) => inMemory.count(prepared),
    getAttachmentData: (documentId, attachmentId, digest) => inMemory.getAttachmentData(documentId, attachmentId, digest),
    changeStream: () => inMemory.changeStream(),
    // Metadata documents are never deleted by RxDB; nothing to clean in the journal.
    cleanup: (minimumDeletedTime) => inMemory.cleanup(minimumDeletedTime),
    async close() {
      if (closed) return;
      closed = true;
      journal.close();
      await inMemory.close();
    },
    async remove() {
      closed = true;
      journal.close();
      await inMemory.remove();
      await request(indexedDB.deleteDatabase(journalName));
    },
  } as Instance;
}
