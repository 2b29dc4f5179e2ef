import type { RxDatabase } from 'rxdb';
import { LOCAL_DOC_STATE_BY_PARENT } from 'rxdb/plugins/local-documents';
import type { Checkpoint, CollectionName } from '../schema/index.ts';

/**
 * What the sync client keeps on the device besides documents, in RxDB local documents of the device
 * database (so it survives a reload and goes away with the database): the pull checkpoint of each
 * read-only collection and the time of the last successful sync. Each record names its server, so a
 * database reused against another server starts over instead of trusting foreign checkpoints.
 */
export interface SyncStateStore {
  loadCheckpoint(collection: CollectionName): Promise<Checkpoint | null>;
  saveCheckpoint(collection: CollectionName, checkpoint: Checkpoint): Promise<void>;
  loadLastSyncAt(): Promise<string | null>;
  saveLastSyncAt(at: string): Promise<void>;
}

interface CheckpointRecord {
  serverUrl: string;
  seq: number;
  /** The server history that issued it (absent in records of older versions). */
  epoch?: string;
}

interface StatusRecord {
  serverUrl: string;
  lastSyncAt: string;
}

/** Throws a readable error when the database was opened without `localDocuments: true`. */
export function assertLocalDocuments(db: RxDatabase): void {
  if (!LOCAL_DOC_STATE_BY_PARENT.has(db)) {
    throw new Error(`Database ${db.name} was opened without localDocuments: true; the sync client stores its checkpoints there (see renderer/data/database.ts).`);
  }
}

export function syncStateStore(db: RxDatabase, serverUrl: string): SyncStateStore {
  assertLocalDocuments(db);
  return {
    async loadCheckpoint(collection) {
      const record = (await db.getLocal<CheckpointRecord>(`sync-checkpoint-${collection}`))?.toJSON().data;
      if (!record || record.serverUrl !== serverUrl || !Number.isInteger(record.seq)) return null;
      return typeof record.epoch === 'string' ? { seq: record.seq, epoch: record.epoch } : { seq: record.seq };
    },
    async saveCheckpoint(collection, checkpoint) {
      await db.upsertLocal<CheckpointRecord>(`sync-checkpoint-${collection}`, { serverUrl, seq: checkpoint.seq, ...(checkpoint.epoch ? { epoch: checkpoint.epoch } : {}) });
    },
    async loadLastSyncAt() {
      const record = (await db.getLocal<StatusRecord>('sync-status'))?.toJSON().data;
      return record && record.serverUrl === serverUrl ? record.lastSyncAt : null;
    },
    async saveLastSyncAt(at) {
      await db.upsertLocal<StatusRecord>('sync-status', { serverUrl, lastSyncAt: at });
    },
  };
}
