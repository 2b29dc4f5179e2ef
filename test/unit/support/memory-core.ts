/** The renderer core as the unit tests run it: RxDB's memory storage, a fast offline-login verifier. */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { BalcaoBridge } from '../../../renderer/bridge/types.ts';
import { createCore, type Core, type CoreOptions } from '../../../renderer/core/core.ts';
import { createDatabase } from '../../../renderer/data/database.ts';
import type { MemoryStorage } from './memory-storage.ts';

export function memoryCore(bridge: BalcaoBridge, storage: MemoryStorage, startSync: CoreOptions['startSync']): Core {
  const dbName = `t${Math.random().toString(36).slice(2)}`;
  return createCore(bridge, {
    storage,
    openDatabase: (_name, roles) => createDatabase(dbName, roles, getRxStorageMemory()),
    startSync,
    verifierIterations: 1000,
  });
}
