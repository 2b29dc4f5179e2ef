import type { SyncEngine, SyncOptions } from '../../sync/client/types.ts';

type StartSync = (options: SyncOptions) => SyncEngine | Promise<SyncEngine>;

/**
 * sync/client is written alongside the UI; a glob import resolves to nothing (instead of failing the
 * build) while its index.ts does not exist yet, and the UI says the sync engine is missing.
 */
const modules = import.meta.glob<{ startSync?: StartSync }>('../../sync/client/index.ts');

export async function loadStartSync(): Promise<StartSync | null> {
  const load = Object.values(modules)[0];
  if (!load) return null;
  const module = await load();
  return module.startSync ?? null;
}
