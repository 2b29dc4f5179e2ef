/**
 * One IndexedDB database holding one object store of records keyed in-line, with no secondary index:
 * the cheapest write IndexedDB offers. Every extra index is another tree updated on every put, and a
 * read before each write doubles the round trips; the catalogue storage needs neither.
 *
 * Beside the records (version 2): a journal (the ids each write touched, written in the same
 * transaction as the records) and one snapshot (whatever the storage keeps in memory, with the last
 * journal entry it includes). Snapshot + the journal after it always equal the records, even after a
 * crash between a write and the next snapshot.
 */
export interface RecordStore<T> {
  readAll(): Promise<T[]>;
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
}

const STORE = 'records';
const JOURNAL = 'journal';
const SNAPSHOT = 'snapshot';
const SNAPSHOT_KEY = 'snapshot';

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

export async function openRecordStore<T>(name: string, keyPath: string): Promise<RecordStore<T>> {
  // Version 1 had the records only: upgrading adds the journal and the snapshot and keeps the records.
  const request = indexedDB.open(name, 2);
  request.onupgradeneeded = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath });
    if (!db.objectStoreNames.contains(JOURNAL)) db.createObjectStore(JOURNAL, { autoIncrement: true });
    if (!db.objectStoreNames.contains(SNAPSHOT)) db.createObjectStore(SNAPSHOT);
  };
  const db = await settled(request);
  // Deleting this database (remove()) must not wait on a connection this page still holds.
  db.onversionchange = () => db.close();
  return {
    readAll: () => settled(db.transaction(STORE, 'readonly').objectStore(STORE).getAll() as IDBRequest<T[]>),
    async getMany(keys) {
      if (keys.length === 0) return [];
      const store = db.transaction(STORE, 'readonly').objectStore(STORE);
      // Queued at once, answered in order within the transaction.
      return Promise.all(keys.map((key) => settled(store.get(key) as IDBRequest<T | undefined>)));
    },
    async write(puts, deletes, journal) {
      const transaction = db.transaction(journal ? [STORE, JOURNAL] : [STORE], 'readwrite');
      const done = committed(transaction);
      const store = transaction.objectStore(STORE);
      let seq: Promise<IDBValidKey> = Promise.resolve(0);
      try {
        // Requests are queued without awaiting each one; the transaction's outcome covers them all.
        for (const record of puts) store.put(record);
        for (const key of deletes) store.delete(key);
        if (journal) seq = settled(transaction.objectStore(JOURNAL).add({ ids: journal }));
      } catch (error) {
        // A record IndexedDB cannot take (no key, not cloneable) throws here: store none of them.
        transaction.abort();
        done.catch(() => undefined);
        seq.catch(() => undefined);
        throw error;
      }
      await done;
      return Number(await seq);
    },
    async readSaved<S>() {
      const transaction = db.transaction([SNAPSHOT, JOURNAL], 'readonly');
      const snapshot = settled(transaction.objectStore(SNAPSHOT).get(SNAPSHOT_KEY) as IDBRequest<SavedSnapshot<S> | undefined>);
      const journal = transaction.objectStore(JOURNAL);
      const [saved, keys, values] = await Promise.all([snapshot, settled(journal.getAllKeys()), settled(journal.getAll() as IDBRequest<{ ids: string[] }[]>)]);
      return { snapshot: saved ?? null, journal: values.map((value, i) => ({ seq: Number(keys[i]), ids: value.ids })) };
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
