import { getChangedDocumentsSince, type RxCollection } from 'rxdb';
import type { Checkpoint, CollectionName, PullResponse, StreamChange } from '../schema/index.ts';
import { StreamUnsupported, type PageStream } from './pull-stream.ts';
import type { SyncStateStore } from './sync-state.ts';
import { writePulled } from './write-pulled.ts';

export interface PullLaneOptions {
  name: CollectionName;
  collection: RxCollection;
  batchSize: number;
  state: SyncStateStore;
  /**
   * One page after `checkpoint`. When the server sends an invalid document it answers only the valid
   * prefix before it (or throws when there is none), so the checkpoint never passes it.
   */
  fetchPage(checkpoint: Checkpoint | undefined, limit: number): Promise<PullResponse>;
  /**
   * The whole pull after `checkpoint` as one stream of pages of `limit` (issue 16: one request instead
   * of one per page). Absent, or StreamUnsupported (an older server): page by page with fetchPage.
   */
  openStream?(checkpoint: Checkpoint | undefined, limit: number): Promise<PageStream>;
  /** A streamed pull began with this many documents after the stored checkpoint, when the server told. */
  onRemaining?(documents: number): void;
  isValid(doc: unknown): boolean;
  /** After every stored page or live change (counts documents for the initial-sync progress). */
  onStored(documents: number): void;
  onError(error: unknown): void;
  /** Backoff before retry `attempt`, cut short by sendNow or the stream reconnecting. */
  retryWait(attempt: number): Promise<void>;
  isStopped(): boolean;
}

/** During a long pull the checkpoint is written at most this often (and always when the pull ends). */
const CHECKPOINT_EVERY_MS = 2000;

type Work = { kind: 'pull' } | { kind: 'change'; change: StreamChange; from: number | null };

/**
 * Pull-only replication for collections devices never write (master data): no upstream, no fork/meta
 * documents per row, just "fetch after checkpoint, store, remember the checkpoint". The next page is
 * fetched while the current one is written. Everything the lane does runs one at a time in `drain`,
 * so stored documents and the stored checkpoint always move together, in order.
 */
export class PullLane {
  readonly name: CollectionName;
  private checkpoint: Checkpoint | null = null;
  private loaded = false;
  private queue: Work[] = [];
  private running = false;
  /** Checkpoint of the last live change for this collection since the stream's last RESYNC. */
  private streamSeq: number | null = null;
  private idleWaiters: (() => void)[] = [];
  /** The server answered 404 to the pull stream: page by page from now on. */
  private streamUnsupported = false;
  private checkpointWrites: Promise<void> = Promise.resolve();
  /** The checkpoint the queued write will store; null when no write is queued. */
  private nextCheckpoint: Checkpoint | null = null;
  /** Sequence number of the last checkpoint handed to a write, and when. */
  private queuedSeq: number | null = null;
  private queuedAt = 0;
  private caughtUp!: () => void;
  /** Resolves after the first complete pull (initial sync of this collection). */
  readonly caughtUpOnce = new Promise<void>((resolve) => (this.caughtUp = resolve));

  constructor(private readonly options: PullLaneOptions) {
    this.name = options.name;
  }

  /** Pulls everything after the stored checkpoint (start, RESYNC, sendNow). */
  pull(): void {
    this.enqueue({ kind: 'pull' });
  }

  /** The stream (re)connected or lost its chain: live changes cannot be trusted to follow on until a pull. */
  resync(): void {
    this.streamSeq = null;
    this.pull();
  }

  /**
   * A live change. The stream sends each collection's changes gap-free after its RESYNC, so a change
   * that starts where the stored checkpoint is can be stored directly; anything else pulls instead.
   */
  change(change: StreamChange): void {
    const from = this.streamSeq;
    this.streamSeq = change.checkpoint.seq;
    this.enqueue({ kind: 'change', change, from });
  }

  /** Resolves when nothing is queued or running (a lane retrying after a failure is not idle). */
  awaitIdle(): Promise<void> {
    if (!this.running && (this.queue.length === 0 || this.options.isStopped())) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(work: Work): void {
    if (this.options.isStopped()) return;
    this.queue.push(work);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.options.isStopped()) {
        const work = this.queue.shift()!;
        if (work.kind === 'pull') {
          // One pull catches up with every pull asked for meanwhile.
          this.queue = this.queue.filter((other) => other.kind !== 'pull');
          await this.retrying(() => this.pullAll());
        } else {
          await this.retrying(() => this.applyChange(work.change, work.from));
        }
      }
    } finally {
      this.running = false;
      if (this.queue.length === 0 || this.options.isStopped()) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async retrying(work: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.options.isStopped(); attempt++) {
      try {
        if (!this.loaded) {
          this.checkpoint = await this.trustedCheckpoint();
          this.loaded = true;
        }
        await work();
        await this.flushCheckpoints();
        return;
      } catch (error) {
        // What was stored before the failure is kept: the retry (or a restart) goes on from there.
        this.persist(true);
        if (this.options.isStopped()) return this.checkpointWrites.catch(() => undefined);
        this.options.onError(error);
        await this.options.retryWait(attempt);
      }
    }
  }

  /**
   * A checkpoint vouches for stored documents, and pulled documents stay stored (a deletion arrives as a
   * tombstone). A collection that holds nothing at all lost them: a new storage, or site data cleared
   * outside the app. Its checkpoint would skip everything, so it pulls again from the start.
   */
  private async trustedCheckpoint(): Promise<Checkpoint | null> {
    const checkpoint = await this.options.state.loadCheckpoint(this.name);
    if (!checkpoint) return null;
    // A count of live documents answers from memory in the catalogue's storage; the oldest change (any
    // document, tombstones too) is asked for only when none is live: at 1,000,000 products that read
    // every stored document from disk at each start (issue 16).
    if ((await this.options.collection.count().exec()) > 0) return checkpoint;
    const { documents } = await getChangedDocumentsSince(this.options.collection.storageInstance, 1);
    return documents.length > 0 ? checkpoint : null;
  }

  /**
   * Stores documents, then has the checkpoint written behind them: the next page's documents need not
   * wait for it, and it is only ever written after the documents it covers (a crash in between re-pulls
   * pages, never skips one). `flushCheckpoints` writes the last one and surfaces a failed write.
   */
  private async store(documents: PullResponse['documents'], checkpoint: Checkpoint): Promise<void> {
    await writePulled(this.options.collection, documents);
    this.checkpoint = checkpoint;
    this.persist(false);
    this.options.onStored(documents.length);
  }

  /** Hands the current checkpoint to a write, unless it was just written (`force`: the pull ended). */
  private persist(force: boolean): void {
    const checkpoint = this.checkpoint;
    if (!checkpoint || checkpoint.seq === this.queuedSeq) return;
    if (!force && Date.now() - this.queuedAt < CHECKPOINT_EVERY_MS) return;
    this.queuedSeq = checkpoint.seq;
    this.queuedAt = Date.now();
    this.queueCheckpoint(checkpoint);
  }

  /** At most one write waits behind the one in flight, and it takes the newest checkpoint when it starts. */
  private queueCheckpoint(checkpoint: Checkpoint): void {
    const alreadyQueued = this.nextCheckpoint !== null;
    this.nextCheckpoint = checkpoint;
    if (alreadyQueued) return;
    this.checkpointWrites = this.checkpointWrites.then(async () => {
      const newest = this.nextCheckpoint!;
      this.nextCheckpoint = null;
      await this.options.state.saveCheckpoint(this.name, newest);
    });
    this.checkpointWrites.catch(() => undefined);
  }

  private async flushCheckpoints(): Promise<void> {
    this.persist(true);
    const writes = this.checkpointWrites;
    try {
      await writes;
    } catch (error) {
      this.checkpointWrites = Promise.resolve();
      this.nextCheckpoint = null;
      this.queuedSeq = null;
      // Not stored: the next run starts again from the last checkpoint that was.
      this.loaded = false;
      throw error;
    }
  }

  private async pullAll(): Promise<void> {
    if (this.options.openStream && !this.streamUnsupported && (await this.pullStreamed())) {
      this.caughtUp();
      return;
    }
    await this.pullPaged();
  }

  /**
   * The pull as one stream, each page stored with its checkpoint as it arrives, so a cut midway goes
   * on from the last stored page (through `retrying`). True when it reached the end; false when the
   * paged pull must go on from where it stopped: a page holds an invalid document (the paged pull
   * stops right before it) or the server has no stream.
   */
  private async pullStreamed(): Promise<boolean> {
    const { batchSize } = this.options;
    // A stream that ended after a full page was cut at a line boundary, not finished: again from there.
    for (let ended = false; !ended; ) {
      let stream: PageStream;
      try {
        stream = await this.options.openStream!(this.checkpoint ?? undefined, batchSize);
      } catch (error) {
        if (!(error instanceof StreamUnsupported)) throw error;
        this.streamUnsupported = true;
        return false;
      }
      if (stream.remaining !== null) this.options.onRemaining?.(stream.remaining);
      ended = true;
      for await (const page of stream.pages) {
        if (this.options.isStopped()) return true;
        if (!page.documents.every((doc) => this.options.isValid(doc))) return false;
        await this.storePage(page);
        ended = page.documents.length < batchSize || page.checkpoint === null;
      }
    }
    return true;
  }

  private async pullPaged(): Promise<void> {
    const { batchSize } = this.options;
    let next: Promise<PullResponse> = this.options.fetchPage(this.checkpoint ?? undefined, batchSize);
    for (;;) {
      const page = await next;
      const full = page.documents.length >= batchSize && page.checkpoint !== null;
      if (full) {
        next = this.options.fetchPage(page.checkpoint!, batchSize);
        // Read later (or dropped when storing this page fails); never an unhandled rejection.
        next.catch(() => undefined);
      }
      await this.storePage(page);
      if (!full) break;
    }
    this.caughtUp();
  }

  private async storePage(page: PullResponse): Promise<void> {
    // The server did not issue our checkpoint (it was restored from a backup): this page starts
    // from the beginning, and live changes seen so far belong to the history we leave.
    if (page.resync) this.streamSeq = null;
    if (page.documents.length > 0 && page.checkpoint) await this.store(page.documents, page.checkpoint);
    else {
      // Nothing at all in the server's history: its start is where we stand now.
      if (page.resync && page.checkpoint) {
        this.checkpoint = page.checkpoint;
        this.persist(false);
      }
      this.options.onStored(0);
    }
  }

  /**
   * A change carries the epoch of the server history it belongs to. One of another epoch than our
   * checkpoint's is never stored directly nor skipped as old: a pull lets the server say whether our
   * checkpoint is still part of its history (after a restart it is; after a restore it may not be).
   */
  private async applyChange(change: StreamChange, from: number | null): Promise<void> {
    const at = this.checkpoint?.seq ?? 0;
    const sameHistory = change.checkpoint.epoch === undefined || change.checkpoint.epoch === this.checkpoint?.epoch;
    if (sameHistory && change.checkpoint.seq <= at) return;
    const follows = sameHistory && from !== null && from === at && change.documents.every((doc) => this.options.isValid(doc));
    if (follows) await this.store(change.documents, change.checkpoint);
    else await this.pullAll();
  }
}
