/**
 * Remembers, per local database, whether its first full pull has finished, so the UI shows the
 * first-sync indicator on a new device only, not after every login or reconnect (the sync engine's
 * own initialSync restarts with each engine).
 */
import type { KeyValueStorage } from './offline-login.ts';

const PREFIX = 'balcao.first-sync.';

/**
 * True while the database still has to finish its first pull; an interrupted first sync stays
 * pending across restarts. `localProducts` decides for a database older than this mark.
 */
export function isFirstSyncPending(storage: KeyValueStorage, databaseName: string, localProducts: number): boolean {
  const mark = storage.getItem(PREFIX + databaseName);
  if (mark === 'done') return false;
  if (mark === 'started') return true;
  const pending = localProducts === 0;
  storage.setItem(PREFIX + databaseName, pending ? 'started' : 'done');
  return pending;
}

export function markFirstSyncDone(storage: KeyValueStorage, databaseName: string): void {
  storage.setItem(PREFIX + databaseName, 'done');
}
