import type { RxReplicationPullStreamItem } from 'rxdb';
import { deepEqual } from 'rxdb/plugins/utils';
import type { Checkpoint } from '../schema/index.ts';

type Doc = Record<string, unknown>;
export type StreamItem = RxReplicationPullStreamItem<Doc, Checkpoint>;

/**
 * Keeps server states older than a write the server has acknowledged from being stored over it.
 *
 * Why: once a push is answered, RxDB's assumed master state equals the device's state, so a server
 * state that was read before that write committed (a pull answer, a stream event) no longer looks like
 * a conflict and RxDB stores it, undoing e.g. a cancellation on the station. Server sequence numbers
 * give the order, but a push answer carries none, so the guard relies on what they imply:
 * - a server read that started after the answer sees the acknowledged state or a newer one;
 * - the stream delivers a store's changes in sequence order, so until it delivers the acknowledged
 *   state itself (its echo), any other state of that document it delivers is older.
 * Suspect pull answers are read again after the pushes are answered; suspect stream items become a
 * RESYNC (a pull, read after the answer). So the device also converges to the server's state.
 */
export class StaleGuard {
  /** Pushes sent and not yet answered or given up. */
  private pushing = 0;
  /** Counts answered pushes; a pull remembers the value it started at. */
  private ackEpoch = 0;
  /** Per document id: the acknowledged state, when, and whether the stream has delivered it since. */
  private readonly acked = new Map<string, { epoch: number; state: Doc; echoed: boolean }>();
  /** Per document id: the state in a push in flight. */
  private readonly inFlight = new Map<string, Doc>();
  /** Stream items that arrived while a push was in flight. */
  private held: StreamItem[] = [];
  private settledWaiters: (() => void)[] = [];
  /** Pulls running (RxDB runs one per collection at a time, but the count costs nothing). */
  private pulls = 0;

  constructor(
    private readonly primary: string,
    /** Hands an item to RxDB's pull stream. */
    private readonly emit: (item: StreamItem) => void,
  ) {}

  /** A pull request is about to go out; returns the epoch to pass to `pullIsStale`/`pullEnded`. */
  pullStarted(): number {
    this.pulls++;
    return this.ackEpoch;
  }

  /** The pull ended (answered or failed). */
  pullEnded(): void {
    this.pulls--;
    this.prune();
  }

  /** The epoch now: a pull read again after `settled()` records it as its new start. */
  get epoch(): number {
    return this.ackEpoch;
  }

  /** A push request round starts with these document states. */
  pushStarted(states: readonly Doc[]): void {
    this.pushing++;
    for (const state of states) this.inFlight.set(this.id(state), state);
  }

  /**
   * The round ended: `conflicts` is the server's answer (its states for the conflicting ids), or null
   * when the round gave up (nothing acknowledged). Held stream items are released or become a RESYNC.
   */
  pushEnded(states: readonly Doc[], conflicts: readonly Doc[] | null): void {
    this.pushing--;
    if (conflicts) {
      const conflicting = new Set(conflicts.map((doc) => this.id(doc)));
      this.ackEpoch++;
      for (const state of states) {
        const id = this.id(state);
        if (!conflicting.has(id)) this.acked.set(id, { epoch: this.ackEpoch, state, echoed: false });
      }
    }
    for (const state of states) this.inFlight.delete(this.id(state));
    if (this.pushing > 0) return;
    const items = this.held.splice(0);
    if (items.length > 0) this.forward(items);
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /** Resolves when no push is in flight. */
  settled(): Promise<void> {
    if (this.pushing === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * True when a pull answer whose request started at `startEpoch` may hold a state older than one the
   * device has (in flight, or acknowledged after the request started): read it again after `settled()`.
   */
  pullIsStale(documents: readonly Doc[], startEpoch: number): boolean {
    return documents.some((doc) => {
      const id = this.id(doc);
      const inFlight = this.inFlight.get(id);
      if (inFlight !== undefined && !deepEqual(inFlight, doc)) return true;
      const acked = this.acked.get(id);
      return acked !== undefined && acked.epoch > startEpoch && !deepEqual(acked.state, doc);
    });
  }

  /** A live change or RESYNC from the stream: handed on now, held behind a push, or turned into a RESYNC. */
  stream(item: StreamItem): void {
    if (item === 'RESYNC') {
      // A new stream connection: it carries only changes committed after it opened, so none older
      // than the writes acknowledged before it (those need no echo on this stream any more).
      for (const acked of this.acked.values()) acked.echoed = true;
    }
    if (this.pushing > 0) this.held.push(item);
    else this.forward([item]);
  }

  private forward(items: StreamItem[]): void {
    let stale = false;
    for (const item of items) {
      if (item === 'RESYNC') continue;
      for (const doc of item.documents) {
        const id = this.id(doc);
        const acked = this.acked.get(id);
        if (!acked || acked.echoed) continue;
        // In stream order, the acknowledged state itself comes before any newer one.
        if (deepEqual(acked.state, doc)) acked.echoed = true;
        else stale = true;
      }
    }
    this.prune();
    if (stale) this.emit('RESYNC');
    else for (const item of items) this.emit(item);
  }

  /** An entry is needed until the stream echoed it and no pull that started before it runs. */
  private prune(): void {
    if (this.pulls > 0) return;
    for (const [id, acked] of this.acked) if (acked.echoed) this.acked.delete(id);
  }

  private id(doc: Doc): string {
    return String(doc[this.primary]);
  }
}
