import { Subject, auditTime, merge, type Subscription } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxCollection, RxReplicationPullStreamItem, WithDeleted } from 'rxdb';
import {
  COLLECTIONS,
  isCollectionName,
  type Checkpoint,
  type CollectionName,
  type PullResponse,
  type PushRow,
  type PushResponse,
  type StreamChange,
} from '../schema/index.ts';
import { ApiError } from './api-error.ts';
import { createApiClient } from './api.ts';
import { requestJson, type HttpContext } from './http.ts';
import { countPending } from './pending.ts';
import { readSse } from './sse.ts';
import { StatusStore } from './status-store.ts';
import { WakeableDelay, backoff } from './wakeable-delay.ts';
import type { SyncEngine, SyncOptions } from './types.ts';

export interface StartSyncOptions extends SyncOptions {
  /** Sends a heartbeat (POS-13) every `heartbeatIntervalMs` when set. */
  stationId?: string | null;
  appVersion?: string;
  heartbeatIntervalMs?: number;
  /** Longest wait between retries, ms. */
  maxRetryTime?: number;
}

type Doc = Record<string, unknown>;
type StreamItem = RxReplicationPullStreamItem<Doc, Checkpoint>;

interface Lane {
  name: CollectionName;
  collection: RxCollection;
  writable: boolean;
  stream$: Subject<StreamItem>;
  replication: RxReplicationState<Doc, Checkpoint>;
  failures: number;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

function isOfflineError(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'network';
}

export function startSync(options: StartSyncOptions): SyncEngine {
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const pullBatchSize = options.pullBatchSize ?? 5000;
  const pushBatchSize = options.pushBatchSize ?? 1000;
  const retryTime = options.retryTime ?? 1000;
  const maxRetryTime = options.maxRetryTime ?? 15_000;
  const http: HttpContext = { serverUrl, getToken: options.getToken, fetchImpl, onUnauthorized: options.onUnauthorized };
  const status = new StatusStore();
  const wake = new WakeableDelay();
  const stopController = new AbortController();
  const pendingTrigger = new Subject<void>();
  const subscriptions: Subscription[] = [];
  /** Documents the server refused as malformed; kept so lastError keeps naming them. */
  const rejected = new Map<string, string>();
  let stopped = false;
  let pulledInitially = 0;

  const reportError = (error: unknown): void => {
    status.patch({ lastError: describe(error), ...(isOfflineError(error) ? { online: false } : {}) });
  };

  const rejectedMessage = (): string | null => {
    if (rejected.size === 0) return null;
    const list = [...rejected.entries()].slice(0, 5).map(([id, message]) => `${id} (${message})`);
    return `The server refused ${rejected.size} document(s) as malformed and they were not uploaded: ${list.join('; ')}. Correct them and save again.`;
  };
  const reportRejected = (): void => {
    const message = rejectedMessage();
    if (message) status.patch({ lastError: message });
  };
  /** A success clears the last error, except refused documents, which stay reported until fixed. */
  const succeeded = (): void => {
    status.succeeded();
    reportRejected();
  };

  const validate = (name: CollectionName, doc: unknown): string | null => {
    const primary = COLLECTIONS[name].schema.primaryKey as string;
    if (typeof doc !== 'object' || doc === null) return 'not an object';
    const record = doc as Doc;
    if (typeof record[primary] !== 'string' || record[primary] === '') return `missing ${primary}`;
    if (typeof record._deleted !== 'boolean') return 'missing _deleted';
    return null;
  };

  const pullPath = (name: CollectionName, checkpoint: Checkpoint | undefined, limit: number): string =>
    `/api/sync/${name}/pull?limit=${limit}${checkpoint ? `&checkpoint=${checkpoint.seq}` : ''}`;

  const pull = async (lane: Lane, checkpoint: Checkpoint | undefined, batchSize: number) => {
    if (!options.getToken()) throw new ApiError('unauthorized', 'Not logged in: log in to synchronise.');
    const response = await requestJson<PullResponse>(http, 'GET', pullPath(lane.name, checkpoint, batchSize), undefined, stopController.signal);
    const badIndex = response.documents.findIndex((doc) => validate(lane.name, doc) !== null);
    if (badIndex === -1) return response;
    const bad = response.documents[badIndex];
    const reason = validate(lane.name, bad);
    if (badIndex > 0) {
      // Ask again for exactly the good prefix, so the checkpoint stops right before the bad document.
      const prefix = await requestJson<PullResponse>(http, 'GET', pullPath(lane.name, checkpoint, badIndex), undefined, stopController.signal);
      if (prefix.documents.every((doc) => validate(lane.name, doc) === null)) {
        status.patch({ lastError: `A ${lane.name} document from the server is invalid (${reason}); synchronisation of ${lane.name} stops before it. Ask the administrator to fix it.` });
        return prefix;
      }
    }
    throw new Error(`A ${lane.name} document from the server is invalid (${reason}); synchronisation of ${lane.name} is paused before it. Ask the administrator to fix it.`);
  };

  /** Sends rows; a 400 on a batch is bisected so one malformed row cannot hold back the others. */
  const sendRows = async (name: CollectionName, rows: PushRow[]): Promise<PushResponse> => {
    try {
      const conflicts = await requestJson<PushResponse>(http, 'POST', `/api/sync/${name}/push`, rows, stopController.signal);
      if (rejected.size > 0) {
        const primary = COLLECTIONS[name].schema.primaryKey as string;
        for (const row of rows) rejected.delete(`${name}/${String(row.newDocumentState[primary])}`);
      }
      return conflicts;
    } catch (error) {
      const malformed = error instanceof ApiError && (error.status === 400 || error.status === 413);
      if (!malformed) throw error;
      if (rows.length > 1) {
        const middle = Math.ceil(rows.length / 2);
        const left = await sendRows(name, rows.slice(0, middle));
        const right = await sendRows(name, rows.slice(middle));
        return [...left, ...right];
      }
      const primary = COLLECTIONS[name].schema.primaryKey as string;
      rejected.set(`${name}/${String(rows[0]?.newDocumentState[primary])}`, describe(error));
      reportRejected();
      return [];
    }
  };

  /**
   * Waits out network and server failures inside the handler (instead of RxDB's fixed retry) so the
   * stream reconnecting or sendNow can cut the wait short: offline writes leave without a click.
   */
  const push = async (lane: Lane, rows: PushRow[]): Promise<PushResponse> => {
    for (let attempt = 0; ; attempt++) {
      if (stopped) throw new Error('Synchronisation stopped.');
      try {
        if (!options.getToken()) throw new ApiError('unauthorized', 'Not logged in: log in to upload pending changes.');
        const conflicts = await sendRows(lane.name, rows);
        succeeded();
        return conflicts;
      } catch (error) {
        reportError(error);
        await wake.wait(backoff(retryTime, attempt, maxRetryTime));
      }
    }
  };

  const lanes: Lane[] = [];
  for (const [name, collection] of Object.entries(options.collections)) {
    if (!collection || !isCollectionName(name)) continue;
    const writable = COLLECTIONS[name].writeRoles.length > 0;
    const stream$ = new Subject<StreamItem>();
    const lane = { name, collection, writable, stream$, failures: 0 } as Lane;
    lane.replication = replicateRxCollection<Doc, Checkpoint>({
      collection: collection as RxCollection<Doc>,
      // Per server and collection: the stored checkpoint is reused after a restart, never across servers.
      replicationIdentifier: `balcao-sync:${serverUrl}:${name}`,
      live: true,
      retryTime,
      autoStart: true,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      pull: {
        batchSize: pullBatchSize,
        stream$: stream$.asObservable(),
        handler: async (checkpoint, batchSize) => {
          const response = await pull(lane, checkpoint, batchSize);
          lane.failures = 0;
          lane.replication.retryTime = retryTime;
          succeeded();
          if (!status.value.initialSync.done) {
            pulledInitially += response.documents.length;
            status.patch({ initialSync: { done: false, pulled: pulledInitially } });
          }
          return {
            documents: response.documents as WithDeleted<Doc>[],
            checkpoint: response.checkpoint ?? checkpoint ?? { seq: 0 },
          };
        },
      },
      push: writable
        ? {
            batchSize: pushBatchSize,
            handler: async (rows) => (await push(lane, rows as PushRow[])) as WithDeleted<Doc>[],
          }
        : undefined,
    });
    subscriptions.push(
      lane.replication.error$.subscribe((error) => {
        // RxDB wraps handler errors; the original one carries the readable message.
        const inner = (error as { parameters?: { errors?: unknown[] } }).parameters?.errors?.[0] ?? error;
        reportError(inner);
        lane.failures++;
        lane.replication.retryTime = backoff(retryTime, lane.failures, maxRetryTime);
      }),
    );
    if (writable) {
      subscriptions.push(merge(collection.$, lane.replication.sent$).subscribe(() => pendingTrigger.next()));
    }
    lanes.push(lane);
  }

  const refreshPending = async (): Promise<void> => {
    const counts = await Promise.all(lanes.filter((lane) => lane.writable).map((lane) => countPending(lane.replication).catch(() => 0)));
    if (!stopped) status.patch({ pendingUploads: counts.reduce((sum, count) => sum + count, 0) });
  };
  subscriptions.push(pendingTrigger.pipe(auditTime(150)).subscribe(() => void refreshPending()));
  void refreshPending();

  void Promise.all(lanes.map((lane) => lane.replication.awaitInitialReplication())).then(
    () => {
      if (!stopped) status.patch({ initialSync: { done: true, pulled: pulledInitially } });
    },
    () => undefined,
  );

  const routeChange = (change: StreamChange): void => {
    const lane = lanes.find((candidate) => candidate.name === change.collection);
    if (!lane) return;
    // An invalid document goes through the pull handler, which stops the checkpoint before it.
    if (change.documents.some((doc) => validate(lane.name, doc) !== null)) lane.stream$.next('RESYNC');
    else lane.stream$.next({ documents: change.documents as WithDeleted<Doc>[], checkpoint: change.checkpoint });
  };

  const runStream = async (): Promise<void> => {
    for (let attempt = 0; !stopped; attempt++) {
      const token = options.getToken();
      if (!token) {
        await wake.wait(1000);
        continue;
      }
      try {
        const response = await fetchImpl(`${serverUrl}/api/sync/stream`, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: stopController.signal,
        });
        if (response.status === 401) {
          options.onUnauthorized?.();
          status.patch({ online: true, lastError: 'Session expired: log in again to keep synchronising.' });
        } else if (!response.ok || !response.body) {
          throw new Error(`Live updates refused (HTTP ${response.status}).`);
        } else {
          attempt = 0;
          status.patch({ online: true });
          // Pushes waiting out an outage go now instead of at the end of their backoff.
          wake.wakeAll();
          await readSse(response.body, (event) => {
            if (event.event === 'resync') for (const lane of lanes) lane.stream$.next('RESYNC');
            else if (event.event === 'change') routeChange(JSON.parse(event.data) as StreamChange);
          });
          if (!stopped) status.patch({ online: false, lastError: 'Lost the connection to the server. You can keep working offline.' });
        }
      } catch (error) {
        if (stopped) return;
        status.patch({ online: false, lastError: `Server ${serverUrl} is unreachable (${describe(error)}). You can keep working offline.` });
      }
      await wake.wait(backoff(retryTime, attempt, Math.min(maxRetryTime, 5000)));
    }
  };
  void runStream();

  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  if (options.stationId) {
    const api = createApiClient(serverUrl, options.getToken, fetchImpl, options.onUnauthorized);
    const beat = (): void => {
      if (!options.getToken()) return;
      api
        .heartbeat({ pendingUploads: status.value.pendingUploads, appVersion: options.appVersion ?? 'unknown', lastError: status.value.lastError })
        .catch(() => undefined);
    };
    heartbeatTimer = setInterval(beat, options.heartbeatIntervalMs ?? 20_000);
    beat();
  }

  const awaitInSync = async (): Promise<void> => {
    await Promise.all(lanes.map((lane) => lane.replication.awaitInSync()));
    await refreshPending();
  };

  return {
    status$: status.subject.asObservable(),
    get status() {
      return status.value;
    },
    async sendNow() {
      try {
        await requestJson<unknown>(http, 'GET', '/health', undefined, stopController.signal);
      } catch (error) {
        status.patch({ online: false, lastError: describe(error) });
        throw error instanceof ApiError ? error : new ApiError('network', describe(error));
      }
      status.patch({ online: true });
      wake.wakeAll();
      for (const lane of lanes) lane.replication.reSync();
      // Losing the server mid-way must reject instead of leaving the button spinning forever.
      let lost: Subscription | undefined;
      const wentOffline = new Promise<never>((_resolve, reject) => {
        lost = status.subject.subscribe((current) => {
          if (!current.online) reject(new ApiError('network', current.lastError ?? `Server ${serverUrl} is unreachable. Pending changes upload when it is back.`));
        });
      });
      try {
        await Promise.race([Promise.all(lanes.filter((lane) => lane.writable).map((lane) => lane.replication.awaitInSync())), wentOffline]);
      } finally {
        lost?.unsubscribe();
      }
      await refreshPending();
    },
    awaitInSync,
    async stop() {
      stopped = true;
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      stopController.abort();
      wake.wakeAll();
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all(lanes.map((lane) => lane.replication.cancel()));
      status.subject.complete();
    },
  };
}
