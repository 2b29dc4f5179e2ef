import { RXDB_VERSION, addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { COLLECTIONS, collectionsFor, type CollectionName, type Role } from '../../sync/schema/index.ts';
import { conflictHandlerFor, migrationStrategiesFor } from '../../sync/client/index.ts';
import { getMemoryMappedStorage } from './memory-mapped-storage.ts';
import type { ChunkPolicy } from './chunk-ledger.ts';
import { getJournaledMetaStorage, isJournaledMeta } from './journaled-meta-storage.ts';

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
// Schema versions above 0 (customers v1) migrate stored documents when the database opens.
addRxPlugin(RxDBMigrationSchemaPlugin);

let devModeLoaded: Promise<void> | null = null;

/**
 * The catalogue is large, read-only on devices and held whole in memory by the product index: it is
 * kept by the memory-mapped storage, which writes a first sync about twice as fast. Everything else,
 * including the products' own local documents, stays in RxDB's Dexie storage.
 */
export const MEMORY_MAPPED_COLLECTIONS: ReadonlySet<string> = new Set<CollectionName>(['products']);

/** One storage for the database that hands each collection to the storage that suits it; `chunkPolicy` is for tests (default CHUNK_POLICY). */
export function balcaoStorage(chunkPolicy?: ChunkPolicy): RxStorage<unknown, unknown> {
  const dexie = getRxStorageDexie() as RxStorage<unknown, unknown>;
  const memoryMapped = getMemoryMappedStorage(chunkPolicy) as unknown as RxStorage<unknown, unknown>;
  // Replication metadata of bulk-written collections: in memory with a journal (journaled-meta-storage.ts).
  const journaledMeta = getJournaledMetaStorage();
  const pick = (params: { collectionName: string; schema: object }) =>
    MEMORY_MAPPED_COLLECTIONS.has(params.collectionName) ? memoryMapped : isJournaledMeta(params) ? journaledMeta : dexie;
  return {
    name: 'balcao',
    rxdbVersion: RXDB_VERSION,
    createStorageInstance: (params) => pick(params).createStorageInstance(params),
  };
}

/**
 * Dev mode and ajv validation compile code with `new Function` (the production CSP forbids eval) and
 * dev mode calls the vendor's site: development only. Production relies on the server's validation.
 */
async function storage(): Promise<RxStorage<unknown, unknown>> {
  const routed = balcaoStorage();
  if (!import.meta.env.DEV) return routed;
  devModeLoaded ??= import('rxdb/plugins/dev-mode').then(({ RxDBDevModePlugin, disableWarnings }) => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
  });
  await devModeLoaded;
  const { wrappedValidateAjvStorage } = await import('rxdb/plugins/validate-ajv');
  return wrappedValidateAjvStorage({ storage: routed }) as RxStorage<unknown, unknown>;
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
  const creators: Record<string, { schema: RxJsonSchema<unknown>; conflictHandler: unknown; migrationStrategies: unknown }> = {};
  for (const collection of missing) {
    creators[collection] = {
      schema: COLLECTIONS[collection].schema as unknown as RxJsonSchema<unknown>,
      conflictHandler: conflictHandlerFor(collection),
      migrationStrategies: migrationStrategiesFor(collection),
    };
  }
  await db.addCollections(creators as never);
}
