import type { RxReplicationPullStreamItem } from 'rxdb';
import { deepEqual } from 'rxdb/plugins/utils';
import type { Checkpoint } from '../schema/index.ts';

type Doc = Record<string, unknown>;
export type StreamItem = RxReplicationPullStreamItem<Doc, Checkpoint>;
/** The stream's RESYNC on connect, with where the collection stood then (`StreamResync`, sync/schema/wire.ts). */
interface PositionedResync {
  resyncUnlessAt: Checkpoint;
}
type HeldItem = StreamItem | PositionedResync;
const positioned = (item: HeldItem): item is PositionedResync => typeof item === 'object' && 'resyncUnlessAt' in item;

/** Acknowledged documents remembered at most (oldest forgotten first): a bound on memory, far above any burst. */
const MAX_ACKED = 50_000;

interface Acked {
  state: Doc;
  /** Where the push answer said the write sits in the store's history (header `balcao-seq`); null from an older server. */
  seq: number | null;
  /** ackEpoch when it was acknowledged. */
  epoch: number;
  /** The stream has since delivered a checkpoint at or past `seq` (or, without `seq`, the state itself / a new connection). */
  passed: boolean;
}

/**
 * Keeps server states older than a write the server has acknowledged from being stored over it.
 *
 * Why: once a push is answered, RxDB's assumed master state equals the device's state, so a server
 * state that was read before that write committed (a pull answer, a stream event) no longer looks like
 * a conflict and RxDB stores it, undoing e.g. a cancellation on the station — and when a later page
 * moves RxDB's checkpoint past the write, no pull ever brings the write back ("send now" cannot repair).
 *
 * The order is explicit, not inferred: the push answer says at which store sequence number the batch
 * was stored (every acknowledged row at or below it, any later change of them above it), and every
 * server state comes in a page whose checkpoint bounds its rows. Writers of a store commit in sequence
 * order (sync/server/db/documents.ts lockStoreSequence), so a page whose checkpoint is at or past the
 * write was read after it: its state of the document is the acknowledged one or newer. A page whose
 * checkpoint is below it holds the acknowledged state or an older one: a different state is refused,
 * unless the request was sent after the push answer came (it read after the commit, so a different
 * state is the server's own: a quarantined or merged document — taking it is how the device converges).
 * Refused pull answers are read again once the pushes are answered; refused stream items become a
 * RESYNC (a pull from RxDB's checkpoint, which is below the write, so the write comes back).
 *
 * For the stream this used to be inferred from arrival order (the stream's echo of the write, a RESYNC
 * meaning a new connection), which a stream RESYNC sent before the write but received after its answer
 * (separate connections), or a server restart's new epoch that the client turns into a RESYNC, broke:
 * a stale change then passed, and a later one moved RxDB's checkpoint past the write (issue 14). That
 * inference remains only for servers that send no sequence number.
 */
export class StaleGuard {
  /** Pushes sent and not yet answered or given up. */
  private pushing = 0;
  /** RxDB's upstream is working (it may be about to send a push this guard has not seen yet). */
  private upstreamBusy = false;
  /** Counts answered pushes; a pull remembers the value it started at. */
  private ackEpoch = 0;
  /** Per document id: the acknowledged state and where it sits. */
  private readonly acked = new Map<string, Acked>();
  /** Per document id: the state in a push in flight. */
  private readonly inFlight = new Map<string, Doc>();
  /** Stream items that arrived while a push was in flight. */
  private held: HeldItem[] = [];
  private settledWaiters: (() => void)[] = [];
  /** Pulls running (RxDB runs one per collection at a time, but the count costs nothing). */
  private pulls = 0;

  constructor(
    private readonly primary: string,
    /** Hands an item to RxDB's pull stream. */
    private readonly emit: (item: StreamItem) => void,
    /**
     * True when the lane has handed RxDB exactly this checkpoint (a pull answer or a live change), so a
     * stream opening at it has nothing the device lacks. Without it, every RESYNC goes to RxDB.
     */
    private readonly handedAt: (position: Checkpoint) => boolean = () => false,
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
   * when the round gave up (nothing acknowledged); `positions` the sequence number each acknowledged id
   * was stored at or below (from the answer's `balcao-seq`; absent from older servers). Held stream
   * items are released or become a RESYNC.
   */
  pushEnded(states: readonly Doc[], conflicts: readonly Doc[] | null, positions?: ReadonlyMap<string, number>): void {
    this.pushing--;
    if (conflicts) {
      const conflicting = new Set(conflicts.map((doc) => this.id(doc)));
      this.ackEpoch++;
      for (const state of states) {
        const id = this.id(state);
        if (conflicting.has(id)) continue;
        // Re-inserted so the map stays in acknowledgement order for the size bound.
        this.acked.delete(id);
        this.acked.set(id, { state, seq: positions?.get(id) ?? null, epoch: this.ackEpoch, passed: false });
      }
      for (const id of this.acked.keys()) {
        if (this.acked.size <= MAX_ACKED) break;
        this.acked.delete(id);
      }
    }
    for (const state of states) this.inFlight.delete(this.id(state));
    if (this.pushing > 0) return;
    this.release();
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /** Hands on the held stream items once no push runs (or becomes a RESYNC). */
  private release(): void {
    if (this.pushing > 0 || this.upstreamBusy) return;
    const items = this.held.splice(0);
    if (items.length > 0) this.forward(items);
  }

  /**
   * RxDB's upstream started or ended a round. While it runs, stream items are held as behind a push:
   * RxDB itself holds them until it ends, so judged now they could be stored after a write this guard
   * had not seen yet (a cancellation picked up by the round, answered before the item is stored).
   */
  upstreamActive(active: boolean): void {
    this.upstreamBusy = active;
    this.release();
  }

  /** Resolves when no push is in flight. */
  settled(): Promise<void> {
    if (this.pushing === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * True when a pull answer (its documents and checkpoint) whose request started at `startEpoch` may
   * hold a state older than one the device has (in flight, or acknowledged): read it again after `settled()`.
   */
  pullIsStale(documents: readonly Doc[], checkpoint: Checkpoint | null | undefined, startEpoch: number): boolean {
    return documents.some((doc) => {
      const id = this.id(doc);
      const inFlight = this.inFlight.get(id);
      if (inFlight !== undefined && !deepEqual(inFlight, doc)) return true;
      const acked = this.acked.get(id);
      if (acked === undefined || deepEqual(acked.state, doc)) return false;
      // A request sent after the answer reads after the commit: what it holds is the server's state (a
      // quarantined or merged document differs from what the device sent, and must be taken).
      if (acked.epoch <= startEpoch) return false;
      return acked.seq === null || !checkpoint || checkpoint.seq < acked.seq;
    });
  }

  /** The server answered from the beginning of another history (restored backup): its sequence numbers are not comparable. */
  historyChanged(): void {
    this.acked.clear();
  }

  /**
   * The stream's RESYNC on connect, saying where the collection stood when it opened: judged when RxDB
   * would get it (after the pushes and RxDB's upstream round, in arrival order): a lane handed exactly
   * that checkpoint by then skips it (the stream carries everything after it); any other pulls.
   */
  streamOpened(position: Checkpoint): void {
    const item: PositionedResync = { resyncUnlessAt: position };
    if (this.pushing > 0 || this.upstreamBusy) this.held.push(item);
    else this.forward([item]);
  }

  /**
   * The documents of a server page that are exactly a state the server acknowledged from this device
   * (its own write coming back): the device holds it already, or a newer local one RxDB would keep.
   */
  echoesOf(documents: readonly Doc[]): Set<Doc> {
    const echoes = new Set<Doc>();
    if (this.acked.size === 0) return echoes;
    for (const doc of documents) {
      const acked = this.acked.get(this.id(doc));
      if (acked && deepEqual(acked.state, doc)) echoes.add(doc);
    }
    return echoes;
  }

  /** A live change or RESYNC from the stream: handed on now, held behind a push, or turned into a RESYNC. */
  stream(item: StreamItem): void {
    if (item === 'RESYNC') {
      // Without sequence numbers (older server) only: a new connection carries changes committed after it opened.
      for (const acked of this.acked.values()) if (acked.seq === null) acked.passed = true;
    }
    if (this.pushing > 0 || this.upstreamBusy) this.held.push(item);
    else this.forward([item]);
  }

  private forward(items: HeldItem[]): void {
    let stale = false;
    let reached = -1;
    /** Per page, its documents that are the device's own acknowledged state (judged before pruning forgets them). */
    const echoes = new Map<StreamItem, Set<Doc>>();
    for (const item of items) {
      if (item === 'RESYNC' || positioned(item)) continue;
      reached = Math.max(reached, item.checkpoint.seq);
      echoes.set(item, this.echoesOf(item.documents));
      for (const doc of item.documents) {
        const acked = this.acked.get(this.id(doc));
        if (!acked) continue;
        if (acked.seq !== null) {
          if (item.checkpoint.seq < acked.seq && !deepEqual(acked.state, doc)) stale = true;
        } else if (!acked.passed) {
          // In stream order, the acknowledged state itself comes before any newer one.
          if (deepEqual(acked.state, doc)) acked.passed = true;
          else stale = true;
        }
      }
    }
    // The stream reads in order: after a page at or past a write, it (and any later connection) reads after it.
    if (!stale && reached >= 0) for (const acked of this.acked.values()) if (acked.seq !== null && reached >= acked.seq) acked.passed = true;
    this.prune();
    if (stale) return this.emit('RESYNC');
    for (const item of items) {
      // In order: the pages handed before the position count for it.
      if (!positioned(item)) this.emit(withoutEchoes(item, echoes.get(item)));
      else if (!this.handedAt(item.resyncUnlessAt)) this.emit('RESYNC');
    }
  }

  /** An entry is needed until the stream has passed it and no pull that may have started before runs. */
  private prune(): void {
    if (this.pulls > 0) return;
    for (const [id, acked] of this.acked) if (acked.passed) this.acked.delete(id);
  }

  private id(doc: Doc): string {
    return String(doc[this.primary]);
  }
}

/**
 * A stream page without the device's own writes coming back (the server sends every change to every
 * device, the writer included): RxDB would read each one's local and acknowledged state only to find
 * both equal to it, which cost seconds after a 10,000-row import. One document stays when all are
 * echoes, because RxDB stores a page's checkpoint only with a document (an empty page would leave the
 * checkpoint behind and the next pull would fetch the echoes again).
 */
function withoutEchoes(item: StreamItem, echoes: ReadonlySet<Doc> | undefined): StreamItem {
  if (item === 'RESYNC' || !echoes || echoes.size === 0) return item;
  const documents = item.documents.filter((doc) => !echoes.has(doc));
  if (documents.length === 0) documents.push(item.documents[item.documents.length - 1]!);
  return { documents, checkpoint: item.checkpoint };
}
