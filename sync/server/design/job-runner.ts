import type { Database } from '../db/database.ts';
import { runJob, type JobResult } from './job-handlers.ts';
import { DESIGN_JOBS_CHANNEL, type JobKind } from './jobs-queue.ts';

export interface DesignJobRunnerOptions {
  /**
   * The longest the runner sleeps when nothing is due (milliseconds; default 30,000). A queued job
   * wakes it at once (NOTIFY on DESIGN_JOBS_CHANNEL, from any instance); a retry or an expired lease
   * wakes it when due. This is only the safety net for a notification lost with a dropped connection.
   */
  pollMs?: number;
  /** Jobs run at once (environment creations run side by side, DES-04). */
  concurrency?: number;
  log?: (message: string, detail?: unknown) => void;
}

interface ClaimedJob {
  id: string;
  store_id: string;
  kind: JobKind;
  payload: Record<string, string>;
  attempts: number;
}

/** 1 s, 2 s, 4 s … capped at a minute: a portal that is down is not hammered, and recovers quickly. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

const LEASE_SECONDS = 120;
/** Finished jobs and answered events are kept this long (an event redelivered after that is applied again, which revisions make harmless). */
const KEEP_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;
/** How soon a due job that could not be claimed (its row locked by an uncommitted re-arm) is looked at again. */
const LOCKED_RETRY_MS = 1_000;

/**
 * Runs the queued portal calls in the background. Jobs are claimed with SKIP LOCKED and a lease, so
 * several server instances share the queue and a job of a crashed instance runs again later.
 * It does not poll: it sleeps until a job is queued (NOTIFY), the next retry or lease falls due, or
 * `pollMs` passes. An idle server thus sends its database nothing, which the embedded database's idle
 * VACUUM needs (pglite-vacuum.ts): a poll every 250 ms, as before, kept PGlite from ever being idle.
 */
export class DesignJobRunner {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private running = new Set<Promise<void>>();
  private stopped = false;
  private readonly pollMs: number;
  private lastPrune = 0;
  private readonly concurrency: number;
  private unlisten: (() => Promise<void>) | null = null;
  /** A wake-up that came during a tick: the tick ends by looking again at once. */
  private again = false;

  constructor(private readonly db: Database, private readonly options: DesignJobRunnerOptions = {}) {
    this.pollMs = options.pollMs ?? 30_000;
    this.concurrency = options.concurrency ?? 4;
  }

  async start(): Promise<void> {
    this.stopped = false;
    // A lost listening connection made again (onResume) may have missed notices: look at once too.
    const unlisten = await this.db.listen(DESIGN_JOBS_CHANNEL, () => this.schedule(0), () => this.schedule(0));
    // stop() came while subscribing: it found nothing to stop.
    if (this.stopped) return unlisten().catch(() => undefined);
    this.unlisten = unlisten;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = null;
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.ticking) {
      if (delay === 0) this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // tick() never throws; it answers when to look next.
      this.ticking = this.tick().then((next) => {
        this.ticking = null;
        this.schedule(next);
      });
    }, delay);
    this.timer.unref();
  }

  /** One look: prunes when due, claims what it can, and answers in how many milliseconds to look again. */
  private async tick(): Promise<number> {
    let next = this.pollMs;
    try {
      this.again = false;
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
      const free = this.concurrency - this.running.size;
      if (free > 0 && !this.stopped) {
        const jobs = await this.claim(free);
        // Claimed while stopping: the lease expires and another run (or instance) takes them.
        for (const job of this.stopped ? [] : jobs) {
          const run = this.execute(job).finally(() => {
            this.running.delete(run);
            this.schedule(0);
          });
          this.running.add(run);
        }
      }
      // With every slot taken, a run that ends wakes the runner (schedule(0) above): nothing to look up.
      // A job still due with a slot free was not claimable: another transaction holds its row (a re-arm
      // that has not committed; its commit notifies). Look again in a second, not in a busy loop.
      if (this.running.size < this.concurrency) {
        const due = await this.untilDue();
        next = due <= 0 ? LOCKED_RETRY_MS : Math.max(20, Math.min(due, this.pollMs));
      }
    } catch (error) {
      if (!this.stopped) this.options.log?.('design job poll failed', error);
    }
    // schedule() ignores calls while a tick runs: the wake-ups that came meanwhile are in `again`.
    return this.again ? 0 : next;
  }

  /** Milliseconds until the next pending job or expired lease is due (0 or less: due now; Infinity: none), by the database's clock. */
  private async untilDue(): Promise<number> {
    const [row] = await this.db.query<{ ms: number | string | null }>(
      `SELECT extract(epoch FROM min(next_at) - now()) * 1000 AS ms FROM design_jobs WHERE status IN ('pending', 'running')`,
    );
    return row?.ms === null || row?.ms === undefined ? Infinity : Number(row.ms);
  }

  private async prune(): Promise<void> {
    this.lastPrune = Date.now();
    await this.db.query(`DELETE FROM design_jobs WHERE status IN ('done', 'failed') AND finished_at < now() - make_interval(days => $1)`, [KEEP_DAYS]);
    await this.db.query('DELETE FROM design_events WHERE received_at < now() - make_interval(days => $1)', [KEEP_DAYS]);
  }

  private async claim(limit: number): Promise<ClaimedJob[]> {
    return this.db.query<ClaimedJob>(
      `UPDATE design_jobs SET status = 'running', attempts = attempts + 1, next_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM design_jobs WHERE status IN ('pending', 'running') AND next_at <= now()
                      ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, store_id, kind, payload, attempts`,
      [limit, LEASE_SECONDS],
    );
  }

  private async execute(job: ClaimedJob): Promise<void> {
    try {
      await this.executeOnce(job);
    } catch (error) {
      this.options.log?.(`design job ${job.id} could not record its outcome; it runs again when its lease expires`, error);
    }
  }

  private async executeOnce(job: ClaimedJob): Promise<void> {
    let result: JobResult;
    try {
      result = await runJob(this.db, job.store_id, job.kind, job.payload);
    } catch (error) {
      result = { outcome: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    if (this.stopped && result.outcome === 'retry') return;
    // Only the claim this run holds is closed: a job re-armed meanwhile stays pending and runs again.
    const claim = `id = $1 AND status = 'running' AND attempts = $2`;
    if (result.outcome === 'done') {
      await this.db.query(`UPDATE design_jobs SET status = 'done', finished_at = now(), last_error = NULL WHERE ${claim}`, [job.id, job.attempts]);
    } else if (result.outcome === 'failed') {
      await this.db.query(`UPDATE design_jobs SET status = 'failed', finished_at = now(), last_error = $3 WHERE ${claim}`, [job.id, job.attempts, result.error]);
    } else {
      // A portal that is down for hours must not flood the log: the first failure and every tenth.
      if (job.attempts === 1 || job.attempts % 10 === 0) this.options.log?.(`design job ${job.id} will retry (attempt ${job.attempts})`, result.error);
      await this.db.query(`UPDATE design_jobs SET status = 'pending', next_at = now() + make_interval(secs => $3), last_error = $4 WHERE ${claim}`, [job.id, job.attempts, backoffMs(job.attempts) / 1000, result.error]);
    }
  }
}
