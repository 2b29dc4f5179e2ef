import { getLastCheckpointDoc, normalizeMangoQuery, prepareQuery, type RxStorageInstance, type MangoQuerySelector } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

type Doc = Record<string, unknown>;

async function countWhere(instance: RxStorageInstance<Doc, unknown, unknown>, selector: MangoQuerySelector<Doc>): Promise<number> {
  const primary = instance.schema.primaryKey as string;
  const query = normalizeMangoQuery(instance.schema, { selector, sort: [{ '_meta.lwt': 'asc' }, { [primary]: 'asc' }] as never, skip: 0 });
  return (await instance.count(prepareQuery(instance.schema, query))).count;
}

/**
 * Local writes not yet acknowledged = documents the local storage changed since the upstream
 * checkpoint RxDB persisted in its meta storage. Derived from stored state, so it survives a reload
 * (an in-memory counter would forget offline writes). Counted on the `_meta.lwt` index, without
 * reading the documents. Pulled documents also pass the upstream once, so the count briefly includes
 * them until the upstream skips past them.
 */
export async function countPending(replication: RxReplicationState<Doc, { seq: number }>): Promise<number> {
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
 * Runs `task` when asked, at most once per `intervalMs` and never twice at a time: the pending count
 * reads every changed document, so recounting on each local write would compete with the writes.
 */
export class ThrottledTask {
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private again = false;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Runs soon: at once when the last run is old enough, else when the interval has passed. */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.start();
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
