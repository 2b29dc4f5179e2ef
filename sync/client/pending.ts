import { getAssumedMasterState, getLastCheckpointDoc, normalizeMangoQuery, prepareQuery, writeDocToDocState, type RxDocumentData, type RxStorageInstance, type MangoQuerySelector } from 'rxdb';
import { getHeightOfRevision } from 'rxdb/plugins/utils';
import type { RxReplicationState } from 'rxdb/plugins/replication';

type Doc = Record<string, unknown>;

async function countWhere(instance: RxStorageInstance<Doc, unknown, unknown>, selector: MangoQuerySelector<Doc>): Promise<number> {
  const primary = instance.schema.primaryKey as string;
  const query = normalizeMangoQuery(instance.schema, { selector, sort: [{ '_meta.lwt': 'asc' }, { [primary]: 'asc' }] as never, skip: 0 });
  return (await instance.count(prepareQuery(instance.schema, query))).count;
}

async function findWhere(instance: RxStorageInstance<Doc, unknown, unknown>, selector: MangoQuerySelector<Doc>): Promise<RxDocumentData<Doc>[]> {
  const primary = instance.schema.primaryKey as string;
  const query = normalizeMangoQuery(instance.schema, { selector, sort: [{ '_meta.lwt': 'asc' }, { [primary]: 'asc' }] as never, skip: 0 });
  return (await instance.query(prepareQuery(instance.schema, query))).documents;
}

/**
 * An upper bound of countPending from two index counts only: documents the local storage changed since
 * the stored upstream checkpoint. While an upload round runs, these are what it is sending (the exact
 * count would read every one of them and their acknowledged states, slowing the round down).
 */
export async function countChangedSinceUpload(replication: RxReplicationState<Doc, { seq: number }>): Promise<number> {
  await replication.startPromise;
  const state = replication.internalReplicationState;
  if (!state) return 0;
  const checkpoint = (await getLastCheckpointDoc<Doc, unknown>(state, 'up')) as { id: string; lwt: number } | undefined;
  const instance = state.input.forkInstance as RxStorageInstance<Doc, unknown, unknown>;
  const primary = instance.schema.primaryKey as string;
  const lwt = checkpoint?.lwt ?? 0;
  const [after, sameTime] = await Promise.all([
    countWhere(instance, { '_meta.lwt': { $gt: lwt } } as MangoQuerySelector<Doc>),
    checkpoint ? countWhere(instance, { '_meta.lwt': { $eq: lwt }, [primary]: { $gt: checkpoint.id } } as MangoQuerySelector<Doc>) : 0,
  ]);
  return after + sameTime;
}

/**
 * Local writes not yet acknowledged. Candidates are the documents the local storage changed since the
 * upstream checkpoint RxDB persisted in its meta storage (a cheap index read; usually none). A candidate
 * is not pending when
 * - its current state is a server state the downstream wrote (RxDB marks them in `_meta.o` with the
 *   replication's identifier hash and the revision height it wrote): server states written after the
 *   last upload round are passed by no further round until the device writes again; or
 * - it equals the master state RxDB recorded as acknowledged for it (the same test RxDB's upstream uses
 *   to skip a document). The checkpoint alone cannot say: for one bulk write RxDB gives every document
 *   the same time stamp and names the bulk's last document *in write order*, so the documents of that
 *   time with a higher id look unsent although the server has them (an import that writes out of id
 *   order would show "1 pending" for good).
 * Derived from stored state, so it survives a reload (an in-memory counter would forget offline writes).
 */
export async function countPending(replication: RxReplicationState<Doc, { seq: number }>): Promise<number> {
  await replication.startPromise;
  const state = replication.internalReplicationState;
  if (!state) return 0;
  // RxDB queues its checkpoint writes without awaiting them: count after the queued ones are stored.
  await state.checkpointQueue;
  const checkpoint = (await getLastCheckpointDoc<Doc, unknown>(state, 'up')) as { id: string; lwt: number } | undefined;
  const instance = state.input.forkInstance as RxStorageInstance<Doc, unknown, unknown>;
  const primary = instance.schema.primaryKey as string;
  const lwt = checkpoint?.lwt ?? 0;
  const after = { '_meta.lwt': { $gt: lwt } } as MangoQuerySelector<Doc>;
  const sameTime = { '_meta.lwt': { $eq: lwt }, [primary]: { $gt: checkpoint?.id ?? '' } } as MangoQuerySelector<Doc>;
  const [afterCount, sameTimeCount] = await Promise.all([countWhere(instance, after), checkpoint ? countWhere(instance, sameTime) : 0]);
  if (afterCount + sameTimeCount === 0) return 0;
  const hash = await state.input.hashFunction(state.input.identifier);
  const fromServer = (doc: RxDocumentData<Doc>): boolean => {
    const origin = (doc._meta as { o?: { hash?: string; _rev?: number } }).o;
    return origin?.hash === hash && origin._rev === getHeightOfRevision(doc._rev);
  };
  const changed = [...(await findWhere(instance, after)), ...(checkpoint && sameTimeCount > 0 ? await findWhere(instance, sameTime) : [])];
  const local = changed.filter((doc) => !fromServer(doc));
  if (local.length === 0) return 0;
  const acknowledged = await getAssumedMasterState(state, local.map((doc) => String(doc[primary])));
  let pending = 0;
  for (const doc of local) {
    const master = acknowledged[String(doc[primary])];
    const sent = master && master.metaDocument.isResolvedConflict !== doc._rev && state.input.conflictHandler.isEqual(master.docData, writeDocToDocState(doc, state.hasAttachments, !!state.input.keepMeta), 'upstream-check-if-equal');
    if (!sent) pending++;
  }
  return pending;
}

/**
 * Runs `task` when asked, at most once per `intervalMs` and never twice at a time: the pending count
 * reads every changed document, so recounting on each local write would compete with the writes.
 */
export class ThrottledTask {
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private again = false;
  private stopped = false;
  /** A run was due while `hold` said wait: `release` runs it. */
  private held = false;

  /**
   * `hold`: while it answers true, a due run waits for `release()` instead of starting (the upload is
   * reading and recording the same documents the count reads: counting then only slows both down and
   * counts a state about to change). `now()` never waits for it.
   */
  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly hold: () => boolean = () => false,
  ) {}

  /** The hold ended: a run that was due starts (throttled as usual). */
  release(): void {
    if (!this.held) return;
    this.held = false;
    this.request();
  }

  /** Runs soon: at once when the last run is old enough, else when the interval has passed. */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.held) {
      if (this.hold()) return;
      this.held = false;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.hold()) this.held = true;
        else void this.start();
      },
      Math.max(0, this.lastStart + this.intervalMs - Date.now()),
    );
  }

  /** Runs now (after a run in progress ends) and resolves when done: for sendNow and tests. */
  async now(): Promise<void> {
    while (this.running) await this.running;
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = false;
    await this.start();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private start(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.lastStart = Date.now();
    this.again = false;
    this.running = this.task()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        if (this.again) this.request();
      });
    return this.running;
  }
}
