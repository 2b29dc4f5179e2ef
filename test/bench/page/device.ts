import type { RxStorage } from 'rxdb';
import { balcaoStorage, createDatabase, type BalcaoDatabase } from '../../../renderer/data/database.ts';
import { startSync, type SyncEngine } from '../../../sync/client/index.ts';
import type { DeviceSession, StorageProfile } from '../types.ts';
import { timedFetch, type FetchTally } from './timed-fetch.ts';
import { timedStorage } from './timed-storage.ts';

/** The device under test: the renderer's database (its production storage) and the sync client, as the app wires them. */
export interface Device {
  db: BalcaoDatabase;
  /** Profiles of the running phase; null outside a measured phase. */
  measure: { fetch: FetchTally | null; storage: StorageProfile | null };
  engine: SyncEngine | null;
  start(session: DeviceSession): SyncEngine;
  stopSync(): Promise<void>;
}

export async function openDevice(name: string): Promise<Device> {
  const measure: Device['measure'] = { fetch: null, storage: null };
  const storage = timedStorage(balcaoStorage(), () => measure.storage) as RxStorage<unknown, unknown>;
  // A station's cashier: the same collections a real till replicates.
  const db = await createDatabase(name, ['cashier'], storage);
  const fetchImpl = timedFetch(() => measure.fetch);
  const device: Device = {
    db,
    measure,
    engine: null,
    start(session) {
      device.engine = startSync({
        serverUrl: session.serverUrl,
        collections: db.collections,
        getToken: () => session.deviceToken,
        fetch: fetchImpl,
        ...(session.tuning.pullBatchSize ? { pullBatchSize: session.tuning.pullBatchSize } : {}),
        ...(session.tuning.pushBatchSize ? { pushBatchSize: session.tuning.pushBatchSize } : {}),
      });
      return device.engine;
    },
    async stopSync() {
      await device.engine?.stop();
      device.engine = null;
    },
  };
  return device;
}
