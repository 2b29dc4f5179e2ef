/**
 * One IndexedDB database holding one object store of records keyed in-line, with no secondary index:
 * the cheapest write IndexedDB offers. Every extra index is another tree updated on every put, and a
 * read before each write doubles the round trips; the catalogue storage needs neither.
 *
 * Beside the records (version 2): a journal (the ids each write touched, written in the same
 * transaction as the records) and one snapshot (whatever the storage keeps in memory, with the last
 * journal entry it includes). Snapshot + the journal after it always equal the records, even after a
 * crash between a write and the next snapshot.
 *
 * Chunks (version 3): many records stored as one value (`append`). IndexedDB costs about 80 µs per
 * put in Chromium, mostly per request, and about a tenth of that per record inside one put (issue 16:
 * 40 s of a 1,000,000-product first sync went to single puts). A record in a chunk is found by its
 * location (chunk key × CHUNK_SPAN + position), which the caller keeps; location 0 is the records store.
 * A chunk is never rewritten: a record written again later lives elsewhere, and the caller's location
 * says which copy is current. A chunk none of whose records is current any more is deleted by the write
 * that supersedes its last one (`append`'s `drop`). Its key may then be used again after a reopen (the
 * next key follows the last one stored): no current location names it, and every write that moved a
 * record off it is journaled after it, so a replay never reads the old chunk's records by that key.
 */
export interface RecordStore<T> {
  /** Every record of the records store (location 0), without the chunks. */
  readAll(): Promise<T[]>;
  /** Every stored copy, in the records store and in every chunk, with its location. */
  readEverywhere(): Promise<{ record: T; at: number }[]>;
  /** The records at these locations (0: by key in the records store), in order; undefined where none is stored. */
  readAt(keys: readonly string[], locations: readonly number[]): Promise<(T | undefined)[]>;
  /**
   * Puts `puts` one by one and `chunked` as one chunk, in one transaction with one journal entry for
   * all of their keys (`keys`: the chunked ones' keys, in order), and deletes the chunks `drop`. Returns
   * the journal entry's key and the chunked records' locations.
   */
  append(puts: readonly T[], putKeys: readonly string[], chunked: readonly T[], keys: readonly string[], drop?: readonly number[]): Promise<{ seq: number; locations: Float64Array }>;
  /** The keys of the chunks stored. */
  chunkKeys(): Promise<number[]>;
  /** The records with these keys, in order; undefined where none is stored. */
  getMany(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** Puts and deletes in one transaction: all of them are stored, or none. Returns the journal entry's key (0 when none was asked). */
  write(puts: readonly T[], deletes: readonly string[], journal?: readonly string[]): Promise<number>;
  /** The snapshot (or null) and every journal entry, read in one transaction. */
  readSaved<S>(): Promise<{ snapshot: SavedSnapshot<S> | null; journal: JournalEntry[] }>;
  /** Replaces the snapshot and drops the journal entries it includes (keys ≤ `snapshot.seq`), in one transaction. */
  writeSnapshot<S>(snapshot: SavedSnapshot<S>): Promise<void>;
  close(): void;
}

export interface SavedSnapshot<S> {
  /** Key of the last journal entry the snapshot includes (0: none). */
  seq: number;
  data: S;
}

export interface JournalEntry {
  seq: number;
  ids: string[];
  /** Where each of `ids` was written (absent: all in the records store, location 0). */
  at?: Float64Array;
}

/** Locations of records in chunks: chunk key × CHUNK_SPAN + position; a chunk holds fewer records. */
export const CHUNK_SPAN = 65_536;

const STORE = 'records';
const JOURNAL = 'journal';
const SNAPSHOT = 'snapshot';
const SNAPSHOT_KEY = 'snapshot';
const CHUNKS = 'chunks';

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** A transaction's outcome; a quota failure arrives here as the `QuotaExceededError` that aborted it. */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'));
  });
}

/**
 * Queues a write transaction's requests and waits for its outcome; `queue` answers the journal entry's
 * request (its key is the entry's seq) or nothing. A record IndexedDB cannot take (no key, not cloneable)
 * throws while queuing: the transaction is then aborted and none of the records is stored.
 */
async function writeAll(transaction: IDBTransaction, queue: () => Promise<IDBValidKey> | undefined): Promise<number> {
  const done = committed(transaction);
  let seq: Promise<IDBValidKey> | undefined;
  try {
    seq = queue();
  } catch (error) {
    transaction.abort();
    done.catch(() => undefined);
    throw error;
  }
  await done;
  return Number((await seq) ?? 0);
}

export async function openRecordStore<T>(name: string, keyPath: string): Promise<RecordStore<T>> {
  // Version 1 had the records only, version 2 no chunks: upgrading adds what is missing and keeps the rest.
  const request = indexedDB.open(name, 3);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath });
    if (!db.objectStoreNames.contains(JOURNAL)) db.createObjectStore(JOURNAL, { autoIncrement: true });
    if (!db.objectStoreNames.contains(SNAPSHOT)) db.createObjectStore(SNAPSHOT);
    if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS);
  };
  const db = await settled(request);
  // Deleting this database (remove()) must not wait on a connection this page still holds.
  db.onversionchange = () => db.close();
  // Chunk keys only grow (a chunk is never rewritten); the next one follows the last stored.
  const lastChunk = await settled(db.transaction(CHUNKS, 'readonly').objectStore(CHUNKS).openKeyCursor(null, 'prev'));
  let nextChunk = lastChunk ? Number(lastChunk.key) + 1 : 1;
  return {
    readAll: () => settled(db.transaction(STORE, 'readonly').objectStore(STORE).getAll() as IDBRequest<T[]>),
    async readEverywhere() {
      const transaction = db.transaction([STORE, CHUNKS], 'readonly');
      const chunks = transaction.objectStore(CHUNKS);
      const [records, keys, values] = await Promise.all([
        settled(transaction.objectStore(STORE).getAll() as IDBRequest<T[]>),
        settled(chunks.getAllKeys()),
        settled(chunks.getAll() as IDBRequest<T[][]>),
      ]);
      const out = records.map((record) => ({ record, at: 0 }));
      values.forEach((chunk, i) => chunk.forEach((record, position) => out.push({ record, at: Number(keys[i]) * CHUNK_SPAN + position })));
      return out;
    },
    async readAt(keys, locations) {
      if (keys.length === 0) return [];
      const transaction = db.transaction([STORE, CHUNKS], 'readonly');
      const store = transaction.objectStore(STORE);
      const chunks = transaction.objectStore(CHUNKS);
      // Each chunk is read once, however many of its records are asked for.
      const chunkReads = new Map<number, Promise<T[] | undefined>>();
      return Promise.all(
        keys.map((key, i) => {
          const at = locations[i] ?? 0;
          if (at === 0) return settled(store.get(key) as IDBRequest<T | undefined>);
          const chunk = Math.floor(at / CHUNK_SPAN);
          let read = chunkReads.get(chunk);
          if (!read) chunkReads.set(chunk, (read = settled(chunks.get(chunk) as IDBRequest<T[] | undefined>)));
          return read.then((records) => records?.[at % CHUNK_SPAN]);
        }),
      );
    },
    async append(puts, putKeys, chunked, keys, drop = []) {
      if (chunked.length >= CHUNK_SPAN) throw new Error(`a chunk holds fewer than ${CHUNK_SPAN} records, not ${chunked.length}`);
      const chunk = nextChunk;
      const transaction = db.transaction([STORE, CHUNKS, JOURNAL], 'readwrite');
      const locations = new Float64Array(putKeys.length + keys.length);
      for (let i = 0; i < keys.length; i++) locations[putKeys.length + i] = chunk * CHUNK_SPAN + i;
      const seq = await writeAll(transaction, () => {
        const store = transaction.objectStore(STORE);
        for (const record of puts) store.put(record);
        const chunks = transaction.objectStore(CHUNKS);
        for (const key of drop) chunks.delete(key);
        if (chunked.length > 0) {
          chunks.put(chunked, chunk);
          nextChunk++;
        }
        return settled(transaction.objectStore(JOURNAL).add({ ids: [...putKeys, ...keys], at: locations }));
      });
      return { seq, locations: locations.subarray(putKeys.length) };
    },
    chunkKeys: async () => (await settled(db.transaction(CHUNKS, 'readonly').objectStore(CHUNKS).getAllKeys())).map(Number),
    async getMany(keys) {
      if (keys.length === 0) return [];
      const store = db.transaction(STORE, 'readonly').objectStore(STORE);
      // Queued at once, answered in order within the transaction.
      return Promise.all(keys.map((key) => settled(store.get(key) as IDBRequest<T | undefined>)));
    },
    async write(puts, deletes, journal) {
      const transaction = db.transaction(journal ? [STORE, JOURNAL] : [STORE], 'readwrite');
      return writeAll(transaction, () => {
        // Requests are queued without awaiting each one; the transaction's outcome covers them all.
        const store = transaction.objectStore(STORE);
        for (const record of puts) store.put(record);
        for (const key of deletes) store.delete(key);
        return journal ? settled(transaction.objectStore(JOURNAL).add({ ids: journal })) : undefined;
      });
    },
    async readSaved<S>() {
      const transaction = db.transaction([SNAPSHOT, JOURNAL], 'readonly');
      const snapshot = settled(transaction.objectStore(SNAPSHOT).get(SNAPSHOT_KEY) as IDBRequest<SavedSnapshot<S> | undefined>);
      const journal = transaction.objectStore(JOURNAL);
      const [saved, keys, values] = await Promise.all([snapshot, settled(journal.getAllKeys()), settled(journal.getAll() as IDBRequest<{ ids: string[]; at?: Float64Array }[]>)]);
      return { snapshot: saved ?? null, journal: values.map((value, i) => ({ seq: Number(keys[i]), ids: value.ids, ...(value.at ? { at: value.at } : {}) })) };
    },
    async writeSnapshot(snapshot) {
      const transaction = db.transaction([SNAPSHOT, JOURNAL], 'readwrite');
      const done = committed(transaction);
      transaction.objectStore(SNAPSHOT).put(snapshot, SNAPSHOT_KEY);
      if (snapshot.seq > 0) transaction.objectStore(JOURNAL).delete(IDBKeyRange.upperBound(snapshot.seq));
      await done;
    },
    close: () => db.close(),
  };
}

export async function deleteRecordStore(name: string): Promise<void> {
  await settled(indexedDB.deleteDatabase(name) as IDBRequest<unknown>);
}
