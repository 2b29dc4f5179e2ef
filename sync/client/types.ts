import type { Observable } from 'rxjs';
import type { RxCollection } from 'rxdb';
import type { CollectionName } from '../schema/index.ts';

/** The one status stream the UI shows in its header (and the Electron tray mirrors). */
export interface SyncStatus {
  /** True while the server answers (stream connected or the last request succeeded). */
  online: boolean;
  /** Local writes the server has not acknowledged yet, over all collections. */
  pendingUploads: number;
  /** ISO time (device clock, display only) of the last successful pull or push. */
  lastSyncAt: string | null;
  /** What went wrong last, readable by a person; null after the next success. */
  lastError: string | null;
  /**
   * Progress of the first full pull; `done` once every collection caught up once. `expected`: documents
   * the first pull will have stored in all (at least `pulled`), once the server said how many are left
   * (streamed pulls); absent until then.
   */
  initialSync: { done: boolean; pulled: number; expected?: number };
}

export interface SyncOptions {
  /** e.g. http://localhost:4010 (no trailing slash). */
  serverUrl: string;
  /** The RxDB collections to replicate, by their contract name. */
  collections: Partial<Record<CollectionName, RxCollection>>;
  /** Bearer token of the logged-in session; null stops requests until a login. */
  getToken(): string | null;
  /** Called when the server answers 401: the UI asks the user to log in again. */
  onUnauthorized?(): void;
  pullBatchSize?: number;
  pushBatchSize?: number;
  /** Base delay for retries with backoff, ms. */
  retryTime?: number;
  /** Replaces global fetch (tests, Electron). */
  fetch?: typeof fetch;
}

export interface SyncEngine {
  readonly status$: Observable<SyncStatus>;
  readonly status: SyncStatus;
  /** Uploads every pending local write now instead of waiting for the schedule (POS-14). */
  sendNow(): Promise<void>;
  /** Resolves once nothing is pending and the last pull caught up (tests, benchmarks; never block the UI on it). */
  awaitInSync(): Promise<void>;
  stop(): Promise<void>;
}
