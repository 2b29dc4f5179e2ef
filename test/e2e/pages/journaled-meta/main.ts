/**
 * Drives the storage of RxDB's replication metadata for bulk-written collections
 * (renderer/data/journaled-meta-storage.ts), through the app's own storage router, in a real Chromium
 * IndexedDB for test/e2e/journaled-meta-storage.test.ts. Each check returns plain data; the test asserts on it.
 */
import { fillWithDefaultSettings, getRxReplicationMetaInstanceSchema, type RxDocumentData, type RxJsonSchema, type RxStorageInstance } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { balcaoStorage } from '../../../../renderer/data/database.ts';
import { journalDatabaseName } from '../../../../renderer/data/journaled-meta-storage.ts';
import { COLLECTIONS, type CollectionName } from '../../../../sync/schema/index.ts';

type Doc = Record<string, unknown>;
type Meta = RxDocumentData<Doc>;

/** Opens the metadata instance RxDB's replication of `collection` would open (`dexie`: as it was kept before). */
async function openMeta(databaseName: string, collection: CollectionName, dexie = false): Promise<RxStorageInstance<Doc, unknown, unknown>> {
  const parent = fillWithDefaultSettings(COLLECTIONS[collection].schema as unknown as RxJsonSchema<RxDocumentData<Doc>>);
  const schema = fillWithDefaultSettings(getRxReplicationMetaInstanceSchema(parent as never, false) as never);
  return (await (dexie ? getRxStorageDexie() : balcaoStorage()).createStorageInstance({
    databaseName,
    collectionName: `rx-replication-meta-${collection}`,
    schema: schema as never,
    options: {},
    multiInstance: false,
    devMode: false,
    databaseInstanceToken: crypto.randomUUID(),
  })) as RxStorageInstance<Doc, unknown, unknown>;
}

function meta(itemId: string, quantity: number, rev = '1-a'): Meta {
  const docData = { id: itemId, externalId: `EXT-${itemId}`, contractId: 'ct-1', serviceId: 'svc-1', quantity, date: '2026-10-01', updatedAt: '2026-10-01T12:00:00.000Z', _deleted: false };
  return { id: `${itemId}|0`, itemId, isCheckpoint: '0', docData, _deleted: false, _rev: rev, _attachments: {}, _meta: { lwt: Date.now() } };
}

/** [item id, quantity] of the stored metadata of these replicated documents (RxDB keys them `<id>|0`). */
const quantities = async (instance: RxStorageInstance<Doc, unknown, unknown>, ids: string[]) =>
  (await instance.findDocumentsById(ids.map((id) => `${id}|0`), true)).map((doc) => [doc.itemId, (doc.docData as { quantity: number }).quantity]).sort();

async function journalEntries(databaseName: string, collectionName: string): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(journalDatabaseName(databaseName, collectionName));
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const count = await new Promise<number>((resolve, reject) => {
    const req = db.transaction('journal', 'readonly').objectStore('journal').count();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return count;
}

const databases = async () => (await indexedDB.databases()).map((entry) => entry.name ?? '');

const checks = {
  /** Writes, an update and a stale write; closes and reopens: what was acknowledged is there, from disk. */
  async reopen() {
    const name = `jm_reopen_${Date.now()}`;
    const first = await openMeta(name, 'consumption');
    const inserted = await first.bulkWrite(['r1', 'r2', 'r3'].map((id) => ({ document: meta(id, 1) })), 'test');
    // RxDB passes the stored state as `previous`.
    const stored = async (instance: RxStorageInstance<Doc, unknown, unknown>, id: string) => (await instance.findDocumentsById([`${id}|0`], true))[0]!;
    const updated = await first.bulkWrite([{ previous: await stored(first, 'r2'), document: meta('r2', 7, '2-b') }], 'test');
    // Against a revision that is not the stored one: refused, and not journaled.
    const stale = await first.bulkWrite([{ previous: { ...(await stored(first, 'r3')), _rev: '1-x' }, document: meta('r3', 99, '2-x') }], 'test');
    await first.close();
    const again = await openMeta(name, 'consumption');
    const reopened = await quantities(again, ['r1', 'r2', 'r3']);
    // The revision before the reopen's update is stale after it too.
    const staleAfter = await again.bulkWrite([{ previous: { ...(await stored(again, 'r2')), _rev: '1-a' }, document: meta('r2', 8, '2-c') }], 'test');
    await again.close();
    const customers = await openMeta(name, 'customers');
    await customers.close();
    const names = await databases();
    return {
      errors: [...inserted.error, ...updated.error].length,
      staleStatus: stale.error.map((error) => error.status),
      reopened,
      staleAfterStatus: staleAfter.error.map((error) => error.status),
      consumptionJournal: names.includes(journalDatabaseName(name, 'rx-replication-meta-consumption')),
      customersJournal: names.includes(journalDatabaseName(name, 'rx-replication-meta-customers')),
    };
  },

  /** Many small writes (one journal entry each) are rewritten as one entry when the instance reopens. */
  async compact() {
    const name = `jm_compact_${Date.now()}`;
    const instance = await openMeta(name, 'consumption');
    for (let i = 0; i < 30; i++) await instance.bulkWrite([{ document: meta(`c${i}`, i) }], 'test');
    await instance.close();
    const before = await journalEntries(name, 'rx-replication-meta-consumption');
    const reopened = await openMeta(name, 'consumption');
    const after = await journalEntries(name, 'rx-replication-meta-consumption');
    const all = await quantities(reopened, Array.from({ length: 30 }, (_, i) => `c${i}`));
    await reopened.close();
    const third = await openMeta(name, 'consumption');
    const afterCompaction = await quantities(third, ['c0', 'c29']);
    await third.close();
    return { before, after, count: all.length, afterCompaction };
  },

  /** A device upgraded from the Dexie-kept metadata: the first open takes it over, and journals it. */
  async upgrade() {
    const name = `jm_upgrade_${Date.now()}`;
    const old = await openMeta(name, 'consumption', true);
    await old.bulkWrite(['u1', 'u2'].map((id, i) => ({ document: meta(id, 10 + i) })), 'test');
    await old.close();
    const upgraded = await openMeta(name, 'consumption');
    const taken = await quantities(upgraded, ['u1', 'u2']);
    await upgraded.bulkWrite([{ previous: (await upgraded.findDocumentsById(['u1|0'], true))[0]!, document: meta('u1', 20, '2-u') }], 'test');
    await upgraded.close();
    // Taken over once: the journal is read from now on, not Dexie again.
    const again = await openMeta(name, 'consumption');
    const reopened = await quantities(again, ['u1', 'u2']);
    await again.close();
    return { taken, reopened, entries: await journalEntries(name, 'rx-replication-meta-consumption') };
  },

  /** remove() (RxDB removing a replication's metadata) deletes the journal. */
  async remove() {
    const name = `jm_remove_${Date.now()}`;
    const instance = await openMeta(name, 'consumption');
    await instance.bulkWrite([{ document: meta('x', 1) }], 'test');
    const journal = journalDatabaseName(name, 'rx-replication-meta-consumption');
    const before = (await databases()).includes(journal);
    await instance.remove();
    const after = (await databases()).includes(journal);
    const fresh = await openMeta(name, 'consumption');
    const left = await fresh.findDocumentsById(['x|0'], true);
    await fresh.remove();
    return { before, after, left: left.length };
  },
};

export type JournaledMetaChecks = typeof checks;
declare global {
  interface Window {
    journaledMetaChecks: JournaledMetaChecks;
  }
}
window.journaledMetaChecks = checks;
document.getElementById('state')!.textContent = 'pronto';
