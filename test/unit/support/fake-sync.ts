/**
 * A stand-in for the sync engine (sync/client/start-sync.ts) that the renderer core starts: the test
 * reads the options the core passed and drives the status the core listens to.
 */
import { BehaviorSubject } from 'rxjs';
import type { SyncEngine, SyncOptions, SyncStatus } from '../../../sync/client/types.ts';

export const OFFLINE: SyncStatus = { online: false, pendingUploads: 0, lastSyncAt: null, lastError: null, initialSync: { done: false, pulled: 0 } };

export interface StartedEngine {
  options: SyncOptions;
  stopped: boolean;
  status: BehaviorSubject<SyncStatus>;
  /** Replace to make "send now" fail. */
  sendNow: () => Promise<void>;
}

export function fakeEngines(initial: SyncStatus = OFFLINE) {
  const started: StartedEngine[] = [];
  const startSync = (options: SyncOptions): SyncEngine => {
    const entry: StartedEngine = { options, stopped: false, status: new BehaviorSubject<SyncStatus>(initial), sendNow: async () => {} };
    started.push(entry);
    return {
      status$: entry.status,
      get status() {
        return entry.status.value;
      },
      sendNow: () => entry.sendNow(),
      awaitInSync: async () => {},
      stop: async () => {
        entry.stopped = true;
      },
    };
  };
  return { started, startSync, last: () => started.at(-1)! };
}
