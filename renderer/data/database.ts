import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { COLLECTIONS, collectionsFor, type CollectionName, type Role } from '../../sync/schema/index.ts';
import { conflictHandlerFor } from '../../sync/client/index.ts';

export type BalcaoCollections = Partial<Record<CollectionName, RxCollection>>;
export type BalcaoDatabase = RxDatabase<BalcaoCollections>;

/**
 * IndexedDB names allow few characters; the name carries the server and the store so two stores
 * (or two servers) on one device never share documents.
 */
export function databaseName(serverUrl: string, storeCode: string): string {
  const server = serverUrl.replace(/^https?:\/\//, '').replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  return `balcao_${server}_${storeCode.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;
}

// The sync client keeps its pull checkpoints and last-sync time in local documents (sync/client/sync-state.ts).
addRxPlugin(RxDBLocalDocumentsPlugin);

let devModeLoaded: Promise<void> | null = null;

/**
 * Dev mode and ajv validation compile code with `new Function` (the production CSP forbids eval) and
 * dev mode calls the vendor's site: development only. Production relies on the server's validation.
 */
async function storage(): Promise<RxStorage<unknown, unknown>> {
  const dexie = getRxStorageDexie();
  if (!import.meta.env.DEV) return dexie as RxStorage<unknown, unknown>;
  devModeLoaded ??= import('rxdb/plugins/dev-mode').then(({ RxDBDevModePlugin, disableWarnings }) => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
  });
  await devModeLoaded;
  const { wrappedValidateAjvStorage } = await import('rxdb/plugins/validate-ajv');
  return wrappedValidateAjvStorage({ storage: dexie }) as RxStorage<unknown, unknown>;
}

/** Opens (or creates) the local database with the collections these roles replicate. */
export async function createDatabase(name: string, roles: readonly Role[], storageOverride?: RxStorage<unknown, unknown>): Promise<BalcaoDatabase> {
  const db = await createRxDatabase<BalcaoCollections>({
    name,
    // Tests pass the memory storage; the app always uses IndexedDB.
    storage: storageOverride ?? (await storage()),
    // One window = one RxDB instance: replication must never wait for a leader a frozen tab holds.
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
    localDocuments: true,
  });
  await addMissingCollections(db, roles);
  return db;
}

/**
 * Adds the collections these roles replicate that the database lacks (a user with more roles may log in
 * after one with fewer). Each gets the conflict handler its replication expects.
 */
export async function addMissingCollections(db: BalcaoDatabase, roles: readonly Role[]): Promise<void> {
  const missing = collectionsFor(roles).filter((name) => !db.collections[name]);
  if (missing.length === 0) return;
  const creators: Record<string, { schema: RxJsonSchema<unknown>; conflictHandler: unknown }> = {};
  for (const collection of missing) {
    creators[collection] = { schema: COLLECTIONS[collection].schema as unknown as RxJsonSchema<unknown>, conflictHandler: conflictHandlerFor(collection) };
  }
  await db.addCollections(creators as never);
}
