import { Subject, filter, merge, type Subscription } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxCollection, RxReplicationPullStreamItem, WithDeleted } from 'rxdb';
import {
  COLLECTIONS,
  isCollectionName,
  PUSH_POSITION_HEADER,
  type Checkpoint,
  type CollectionName,
  type PullResponse,
  type PushRow,
  type PushResponse,
  type StreamChange,
  type StreamResync,
} from '../schema/index.ts';
import { ApiError } from './api-error.ts';
import { requestJson, requestJsonAnswer, type HttpContext } from './http.ts';
import { ThrottledTask, countChangedSinceUpload, countPending } from './pending.ts';
import { pullWithoutEchoes } from './echo-free-pull.ts';
import { PullLane } from './pull-lane.ts';
import { awaitDownstreamIdle, awaitUpstreamIdle } from './replication-idle.ts';
import { openPullStream } from './pull-stream.ts';
import { readSse } from './sse.ts';
import { StaleGuard } from './stale-guard.ts';
import { StatusStore } from './status-store.ts';
import { syncStateStore } from './sync-state.ts';
import { WakeableDelay, backoff } from './wakeable-delay.ts';
import type { SyncEngine, SyncOptions, SyncStatus } from './types.ts';

export interface StartSyncOptions extends SyncOptions {
  /** Longest wait between retries, ms. */
  maxRetryTime?: number;
  /** Shortest time between two pending-upload counts, ms. */
  pendingIntervalMs?: number;
}

/** Rows per push request the server accepts (MAX_PUSH in sync/server/http/routes-sync.ts). */
const SERVER_PUSH_LIMIT = 5000;

/** How often, at most, the time of the last successful sync is written to the device. */
const LAST_SYNC_SAVE_MS = 2000;

type Doc = Record<string, unknown>;
type StreamItem = RxReplicationPullStreamItem<Doc, Checkpoint>;

/** A collection devices write: RxDB's two-way replication. Read-only collections use a PullLane. */
interface Lane {
  name: CollectionName;
  collection: RxCollection;
  stream$: Subject<StreamItem>;
  replication: RxReplicationState<Doc, Checkpoint>;
  failures: number;
  /** Epoch of the last checkpoint this lane received; live changes of another one go through a pull. */
  epoch?: string;
  /** Sequence number of the lane's checkpoint (pulled or live): 0 (nothing yet) belongs to every history. */
  seq?: number;
  /** The checkpoint of the last pull answer or live change handed to RxDB (a stream opening there need not pull). */
  handed?: Checkpoint;
  /** Every server state bound for RxDB passes it: none older than an acknowledged write is stored. */
  guard: StaleGuard;
  /** RxDB's upstream is reading, sending or recording a round (not waiting out an outage). */
  uploading: boolean;
  /** This lane's last pending-upload count (the status shows the sum). */
  pendingCount: number;
}

/** The data of a stream `resync` event: positions on connect (`StreamResync`), or `"RESYNC"` (after a gap; older servers). */
function streamResyncOf(data: string): StreamResync | undefined {
  try {
    const parsed = JSON.parse(data) as unknown;
    const positions = (parsed as { positions?: unknown } | null)?.positions;
    if (typeof positions !== 'object' || positions === null) return undefined;
    const valid: StreamResync['positions'] = {};
    for (const [name, position] of Object.entries(positions)) {
      const { seq, epoch } = (position ?? {}) as Partial<Checkpoint>;
      if (isCollectionName(name) && Number.isSafeInteger(seq) && typeof epoch === 'string') valid[name] = { seq: seq!, epoch };
    }
    return { positions: valid };
  } catch {
    return undefined;
  }
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
  // RxDB reads, compares and records this many rows per round; sendRows splits them into server-sized requests.
  const pushBatchSize = options.pushBatchSize ?? 10_000;
  const retryTime = options.retryTime ?? 1000;
  const maxRetryTime = options.maxRetryTime ?? 15_000;
  const http: HttpContext = { serverUrl, getToken: options.getToken, fetchImpl, onUnauthorized: options.onUnauthorized };
  const status = new StatusStore();
  const wake = new WakeableDelay();
  const stopController = new AbortController();
  const subscriptions: Subscription[] = [];
  const firstCollection = Object.values(options.collections).find((collection) => collection !== undefined);
  const syncState = firstCollection ? syncStateStore(firstCollection.database, serverUrl) : null;
  /** Documents the server refused as malformed; kept so lastError keeps naming them. */
  const rejected = new Map<string, string>();
  let stopped = false;
  let pulledInitially = 0;

  // The last successful sync survives a reload (else a device reopened offline would look never synced).
  let lastSyncSaving: Promise<void> = Promise.resolve();
  let lastSyncTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSyncSavedAt = 0;
  const saveLastSync = (): Promise<void> => {
    const at = status.value.lastSyncAt;
    lastSyncSavedAt = Date.now();
    if (syncState && at) lastSyncSaving = lastSyncSaving.then(() => syncState.saveLastSyncAt(at)).catch(() => undefined);
    return lastSyncSaving;
  };
  const scheduleLastSyncSave = (): void => {
    if (stopped || lastSyncTimer !== undefined) return;
    lastSyncTimer = setTimeout(
      () => {
        lastSyncTimer = undefined;
        void saveLastSync();
      },
      Math.max(0, lastSyncSavedAt + LAST_SYNC_SAVE_MS - Date.now()),
    );
  };
  if (syncState) {
    void syncState.loadLastSyncAt().then(
      (at) => {
        if (at && !stopped && (status.value.lastSyncAt === null || status.value.lastSyncAt < at)) status.patch({ lastSyncAt: at });
      },
      () => undefined,
    );
  }

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
    scheduleLastSyncSave();
  };

  const validate = (name: CollectionName, doc: unknown): string | null => {
    const primary = COLLECTIONS[name].schema.primaryKey as string;
    if (typeof doc !== 'object' || doc === null) return 'not an object';
    const record = doc as Doc;
    if (typeof record[primary] !== 'string' || record[primary] === '') return `missing ${primary}`;
    if (typeof record._deleted !== 'boolean') return 'missing _deleted';
    return null;
  };

  /** The checkpoint goes back with its epoch, so the server can tell one of another history of its own (a restored backup). */
  const pullPath = (name: CollectionName, checkpoint: Checkpoint | undefined, limit: number): string =>
    `/api/sync/${name}/pull?limit=${limit}${checkpoint ? `&checkpoint=${checkpoint.seq}${checkpoint.epoch ? `&epoch=${encodeURIComponent(checkpoint.epoch)}` : ''}` : ''}`;

  const pull = async (lane: { name: CollectionName }, checkpoint: Checkpoint | undefined, batchSize: number): Promise<PullResponse> => {
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

  /**
   * Sends rows in requests the server accepts, all at once: RxDB waits for the whole round before it
   * reads the next rows, so one round of many rows beats several rounds of few.
   */
  const sendRows = async (name: CollectionName, rows: PushRow[], positions: Map<string, number>): Promise<PushResponse> => {
    if (rows.length <= SERVER_PUSH_LIMIT) return sendRequest(name, rows, positions);
    const requests: Promise<PushResponse>[] = [];
    for (let start = 0; start < rows.length; start += SERVER_PUSH_LIMIT) requests.push(sendRequest(name, rows.slice(start, start + SERVER_PUSH_LIMIT), positions));
    return (await Promise.all(requests)).flat();
  };

  /**
   * One push request; a 400 is bisected so one malformed row cannot hold back the others. Records in
   * `positions` the sequence number the server stored each row at or below (see stale-guard.ts).
   */
  const sendRequest = async (name: CollectionName, rows: PushRow[], positions: Map<string, number>): Promise<PushResponse> => {
    try {
      const answer = await requestJsonAnswer<PushResponse>(http, 'POST', `/api/sync/${name}/push`, rows, stopController.signal);
      const conflicts = answer.body;
      const primary = COLLECTIONS[name].schema.primaryKey as string;
      const position = Number(answer.headers.get(PUSH_POSITION_HEADER) ?? Number.NaN);
      if (Number.isSafeInteger(position) && position >= 0) for (const row of rows) positions.set(String(row.newDocumentState[primary]), position);
      if (rejected.size > 0) {
        for (const row of rows) rejected.delete(`${name}/${String(row.newDocumentState[primary])}`);
      }
      return conflicts;
    } catch (error) {
      const malformed = error instanceof ApiError && (error.status === 400 || error.status === 413);
      if (!malformed) throw error;
      if (rows.length > 1) {
        const middle = Math.ceil(rows.length / 2);
        const left = await sendRequest(name, rows.slice(0, middle), positions);
        const right = await sendRequest(name, rows.slice(middle), positions);
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
    const states = rows.map((row) => row.newDocumentState);
    lane.guard.pushStarted(states);
    let answer: PushResponse | null = null;
    const positions = new Map<string, number>();
    try {
      answer = await pushRetrying(lane, rows, positions);
      return answer;
    } finally {
      lane.guard.pushEnded(states, answer, positions);
    }
  };

  const pushRetrying = async (lane: Lane, rows: PushRow[], positions: Map<string, number>): Promise<PushResponse> => {
    for (let attempt = 0; ; attempt++) {
      if (stopped) throw new Error('Synchronisation stopped.');
      try {
        if (!options.getToken()) throw new ApiError('unauthorized', 'Not logged in: log in to upload pending changes.');
        positions.clear();
        const conflicts = await sendRows(lane.name, rows, positions);
        succeeded();
        return conflicts;
      } catch (error) {
        reportError(error);
        // Offline the round can wait for minutes: the pending count must follow new writes meanwhile.
        lane.uploading = false;
        pending.release();
        await wake.wait(backoff(retryTime, attempt, maxRetryTime));
        lane.uploading = true;
      }
    }
  };

  /**
   * A pull whose answer may predate a write acknowledged meanwhile is read again once pushes are
   * answered (with a growing pause if, with none in flight, the server keeps answering an older state).
   */
  const guardedPull = async (lane: Lane, checkpoint: Checkpoint | undefined, batchSize: number): Promise<PullResponse> => {
    let startEpoch = lane.guard.pullStarted();
    try {
      let response = await pull(lane, checkpoint, batchSize);
      for (let attempt = 0; !stopped; attempt++) {
        // Answered from the beginning of another history (restored backup): sequence numbers start over.
        if (response.resync) lane.guard.historyChanged();
        if (!lane.guard.pullIsStale(response.documents, response.checkpoint, startEpoch)) break;
        if (attempt > 0 && lane.guard.epoch === startEpoch) await wake.wait(backoff(retryTime, attempt, maxRetryTime));
        await lane.guard.settled();
        startEpoch = lane.guard.epoch;
        response = await pull(lane, checkpoint, batchSize);
      }
      return response;
    } finally {
      lane.guard.pullEnded();
    }
  };

  const lanes: Lane[] = [];
  const pullLanes: PullLane[] = [];
  /** First-sync progress of the pull lanes: documents stored, and stored plus what their streams announced. */
  const pulledByLane = new Map<CollectionName, number>();
  const expectedByLane = new Map<CollectionName, number>();
  const initialProgress = (): SyncStatus['initialSync'] => {
    if (expectedByLane.size === 0) return { done: false, pulled: pulledInitially };
    let expected = pulledInitially;
    for (const [name, total] of expectedByLane) expected += Math.max(0, total - (pulledByLane.get(name) ?? 0));
    return { done: false, pulled: pulledInitially, expected };
  };
  const showPending = (): void => {
    if (!stopped) status.patch({ pendingUploads: lanes.reduce((sum, lane) => sum + lane.pendingCount, 0) });
  };
  // The exact count waits for the end of an upload round: it reads the same documents and acknowledged
  // states the round reads and records, on the same IndexedDB, and slowed a 10,000-row upload down.
  const pending = new ThrottledTask(
    async () => {
      const counts = await Promise.all(lanes.map((lane) => countPending(lane.replication).catch(() => 0)));
      counts.forEach((count, index) => (lanes[index]!.pendingCount = count));
      showPending();
    },
    options.pendingIntervalMs ?? 2000,
    () => lanes.some((lane) => lane.uploading),
  );
  /** When a round starts, what it sends is shown at once, from two index counts (an upper bound). */
  const countRound = (lane: Lane): void => {
    void countChangedSinceUpload(lane.replication).then((count) => {
      if (!lane.uploading || stopped) return;
      lane.pendingCount = count;
      showPending();
    }, () => undefined);
  };
  for (const [name, collection] of Object.entries(options.collections)) {
    if (!collection || !isCollectionName(name)) continue;
    if (COLLECTIONS[name].writeRoles.length === 0) {
      if (!syncState) continue;
      pullLanes.push(
        new PullLane({
          name,
          collection,
          batchSize: pullBatchSize,
          state: syncState,
          fetchPage: (checkpoint, limit) => pull({ name }, checkpoint, limit),
          // Progress (the count of what is left) is only worth a query while the first sync runs.
          openStream: (checkpoint, limit) => openPullStream(http, name, checkpoint, limit, !status.value.initialSync.done, stopController.signal),
          onRemaining: (documents) => {
            if (status.value.initialSync.done) return;
            expectedByLane.set(name, (pulledByLane.get(name) ?? 0) + documents);
            status.patch({ initialSync: initialProgress() });
          },
          isValid: (doc) => validate(name, doc) === null,
          onStored: (count) => {
            succeeded();
            if (!status.value.initialSync.done && count > 0) {
              pulledInitially += count;
              pulledByLane.set(name, (pulledByLane.get(name) ?? 0) + count);
              status.patch({ initialSync: initialProgress() });
            }
          },
          onError: reportError,
          retryWait: (attempt) => wake.wait(backoff(retryTime, attempt + 1, maxRetryTime)),
          isStopped: () => stopped,
        }),
      );
      continue;
    }
    const stream$ = new Subject<StreamItem>();
    const guard = new StaleGuard(
      COLLECTIONS[name].schema.primaryKey as string,
      (item) => {
        if (item !== 'RESYNC') lane.handed = item.checkpoint;
        stream$.next(item);
      },
      (position) => lane.handed !== undefined && lane.handed.seq === position.seq && lane.handed.epoch === position.epoch,
    );
    const lane = { name, collection, stream$, failures: 0, guard, uploading: true, pendingCount: 0 } as Lane;
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
          // Without the device's own writes coming back (an upload's echo): RxDB would only compare them.
          const response = await pullWithoutEchoes((from, limit) => guardedPull(lane, from, limit), (docs) => lane.guard.echoesOf(docs), checkpoint, batchSize);
          lane.failures = 0;
          lane.replication.retryTime = retryTime;
          succeeded();
          if (!status.value.initialSync.done) {
            pulledInitially += response.documents.length;
            status.patch({ initialSync: initialProgress() });
          }
          // With `resync` the server answered from the beginning (our checkpoint is of a history it no
          // longer has): RxDB stores this page and its checkpoint like any other, which is the restart.
          const next = response.checkpoint ?? checkpoint ?? { seq: 0 };
          lane.epoch = next.epoch;
          lane.seq = next.seq;
          lane.handed = next;
          return { documents: response.documents as WithDeleted<Doc>[], checkpoint: next };
        },
      },
      push: {
        batchSize: pushBatchSize,
        handler: async (rows) => (await push(lane, rows as PushRow[])) as WithDeleted<Doc>[],
      },
    });
    // RxDB's upstream starts active (its first round reads what changed while the app was closed).
    const notUploading = () => {
      lane.uploading = false;
      pending.release();
    };
    void lane.replication.startPromise.then(() => {
      const upstream = lane.replication.internalReplicationState?.events.active.up;
      if (!upstream || stopped) return notUploading();
      // RxDB holds live changes while its upstream runs; the guard judges them when RxDB would store them.
      subscriptions.push(upstream.subscribe((active) => guard.upstreamActive(active)));
      // The pending count waits for the end of an upload round (it would read the same 10,000 documents
      // and their acknowledged states as the round and slow it down; counted after, it finds few or none).
      subscriptions.push(
        upstream.subscribe((active) => {
          lane.uploading = active;
          if (active) countRound(lane);
          else pending.release();
        }),
      );
    }, notUploading);
    subscriptions.push(
      lane.replication.error$.subscribe((error) => {
        // RxDB wraps handler errors; the original one carries the readable message.
        const inner = (error as { parameters?: { errors?: unknown[] } }).parameters?.errors?.[0] ?? error;
        reportError(inner);
        lane.failures++;
        lane.replication.retryTime = backoff(retryTime, lane.failures, maxRetryTime);
      }),
    );
    // A write, a push, and the end of each upstream round: RxDB announces a push before it stores the
    // checkpoint the count is derived from, so a count started then alone could stay stale.
    subscriptions.push(merge(collection.$, lane.replication.sent$, lane.replication.active$.pipe(filter((active) => !active))).subscribe(() => pending.request()));
    lanes.push(lane);
  }
  for (const lane of pullLanes) lane.pull();
  pending.request();

  void Promise.all([...lanes.map((lane) => lane.replication.awaitInitialReplication()), ...pullLanes.map((lane) => lane.caughtUpOnce)]).then(
    () => {
      if (!stopped) status.patch({ initialSync: { done: true, pulled: pulledInitially } });
    },
    () => undefined,
  );

  const routeChange = (change: StreamChange): void => {
    const pullLane = pullLanes.find((candidate) => candidate.name === change.collection);
    if (pullLane) return pullLane.change(change);
    const lane = lanes.find((candidate) => candidate.name === change.collection);
    if (!lane) return;
    // An invalid document goes through the pull handler, which stops the checkpoint before it; a
    // change of another epoch too, so the server can check our checkpoint (RxDB would adopt the change's).
    let otherHistory = change.checkpoint.epoch !== undefined && change.checkpoint.epoch !== lane.epoch;
    // A checkpoint at 0 is valid in every history (the server accepts it as it is): nothing to check, so
    // the change is taken as it comes. Otherwise a device's first upload to an empty collection came back
    // through a pull of every row it had just sent (the empty pull's epoch is 'origin', before any start).
    if (otherHistory && lane.seq === 0 && lane.epoch !== undefined) {
      otherHistory = false;
      lane.epoch = change.checkpoint.epoch;
    }
    if (otherHistory || change.documents.some((doc) => validate(lane.name, doc) !== null)) return lane.guard.stream('RESYNC');
    // RxDB's checkpoint moves with the change (or with the pull that replaces it, which sets its own).
    if (change.documents.length > 0) lane.seq = change.checkpoint.seq;
    lane.guard.stream({ documents: change.documents as WithDeleted<Doc>[], checkpoint: change.checkpoint });
  };

  /** A RESYNC from the stream; on connect it says where each collection stood (`StreamResync`; absent from older servers). */
  const resyncAll = (opened?: StreamResync): void => {
    for (const lane of lanes) {
      const position = opened?.positions[lane.name];
      if (position) lane.guard.streamOpened(position);
      else lane.guard.stream('RESYNC');
    }
    for (const lane of pullLanes) lane.resync();
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
            if (event.event === 'resync') resyncAll(streamResyncOf(event.data));
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

  const awaitInSync = async (): Promise<void> => {
    await Promise.all([...lanes.map((lane) => lane.replication.awaitInSync()), ...pullLanes.map((lane) => lane.awaitIdle())]);
    await pending.now();
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
      for (const lane of pullLanes) lane.pull();
      // Upload first, then pull from the device's checkpoint: by then the stream has brought the server's
      // echo of the upload and RxDB's checkpoint has moved past it, so the pull does not fetch the
      // device's own writes again (pulling first, RxDB ran that pull after the upload from the old
      // checkpoint: 10,000 imported rows came back, to be read and left out again).
      const inSync = async (lane: Lane) => {
        await awaitUpstreamIdle(lane.replication);
        await awaitDownstreamIdle(lane.replication);
        lane.replication.reSync();
        await lane.replication.awaitInSync();
      };
      // Losing the server mid-way must reject instead of leaving the button spinning forever.
      let lost: Subscription | undefined;
      const wentOffline = new Promise<never>((_resolve, reject) => {
        lost = status.subject.subscribe((current) => {
          if (!current.online) reject(new ApiError('network', current.lastError ?? `Server ${serverUrl} is unreachable. Pending changes upload when it is back.`));
        });
      });
      try {
        await Promise.race([Promise.all(lanes.map(inSync)), wentOffline]);
      } finally {
        lost?.unsubscribe();
      }
      await pending.now();
    },
    awaitInSync,
    async stop() {
      stopped = true;
      pending.stop();
      clearTimeout(lastSyncTimer);
      stopController.abort();
      wake.wakeAll();
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all([...lanes.map((lane) => lane.replication.cancel()), ...pullLanes.map((lane) => lane.awaitIdle())]);
      await saveLastSync();
      status.subject.complete();
    },
  };
}
