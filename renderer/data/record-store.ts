/**
 * One IndexedDB database holding one object store of records keyed in-line, with no secondary index:
 * the cheapest write IndexedDB offers. Every extra index is another tree updated on every put, and a
 * read before each write doubles the round trips; the memory-mapped storage needs neither.
 */
export interface RecordStore<T> {
  readAll(): Promise<T[]>;
  /** Puts and deletes in one transaction: all of them are stored, or none. */
  write(puts: readonly T[], deletes: readonly string[]): Promise<void>;
  close(): void;
}

const STORE = 'records';

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
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath });
  const db = await settled(request);
  // Deleting this database (remove()) must not wait on a connection this page still holds.
  db.onversionchange = () => db.close();
  return {
    readAll: () => settled(db.transaction(STORE, 'readonly').objectStore(STORE).getAll() as IDBRequest<T[]>),
    async write(puts, deletes) {
      const transaction = db.transaction(STORE, 'readwrite');
      const done = committed(transaction);
      const store = transaction.objectStore(STORE);
      try {
        // Requests are queued without awaiting each one; the transaction's outcome covers them all.
        for (const record of puts) store.put(record);
        for (const key of deletes) store.delete(key);
      } catch (error) {
        // A record IndexedDB cannot take (no key, not cloneable) throws here: store none of them.
        transaction.abort();
        done.catch(() => undefined);
        throw error;
      }
      await done;
    },
    close: () => db.close(),
  };
}

export async function deleteRecordStore(name: string): Promise<void> {
  await settled(indexedDB.deleteDatabase(name) as IDBRequest<unknown>);
}
