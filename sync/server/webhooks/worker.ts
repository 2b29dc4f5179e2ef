import { setMaxListeners } from 'node:events';
import type { Database } from '../db/database.ts';
import { retryDelaySeconds } from './backoff.ts';
import { RETRY_WINDOW_SECONDS, WEBHOOKS_CHANNEL } from './outbox.ts';
import { keyStillValid, pauseSubscriptionsOfInvalidKeys } from './key-validity.ts';
import { sweepOverdueReceivables } from './receivable-events.ts';
import { sendMessage, type AttemptResult } from './send.ts';

/** Server options of webhook delivery (`startServer({ webhooks })`). */
export interface WebhookOptions {
  /** Start delivering at server start (default true). Tests that step time themselves call runDue(). */
  autoStart?: boolean;
  /** The clock that schedules retries and decides the 3-day limit (default: the real one). */
  clock?: () => Date;
  /** Random source of the retry jitter, [0, 1) (default Math.random). */
  random?: () => number;
  /** One attempt's limit: connect, send, answer (default 10,000 ms; env BALCAO_WEBHOOKS_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How long a claimed message is reserved for its sender; after it, another worker sends it again (default timeoutMs + 30 s; env BALCAO_WEBHOOKS_LEASE_MS). */
  leaseMs?: number;
  /** Messages sent at once by one server process (default 16). */
  concurrency?: number;
  /** Of those, at most this many to one subscription (default a quarter of concurrency, 4). */
  perSubscription?: number;
  /** Of those, at most this many for one store (default half of concurrency, 8). */
  perStore?: number;
  /** Loopback/private addresses and plain http allowed (default: env BALCAO_WEBHOOKS_ALLOW_PRIVATE, else on only under tests and the demo). */
  allowPrivateNetworks?: boolean;
  /** How often overdue receivables are looked for and old messages removed (default 60,000 ms). */
  sweepMs?: number;
  /** Delivered and failed messages are kept this many days for the log (default 30). */
  keepDays?: number;
}

/** How long a busy round waits for more attempts to end before it records and claims (ms). */
const GATHER_MS = 10;

interface Claimed {
  id: string;
  subscription_id: string;
  store_id: string;
  type: string;
  body: string;
  attempts: number;
  retry_until: Date | string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
}

/**
 * The delivery worker (API-02): at least once. It claims due messages of active subscriptions with a
 * lease (FOR UPDATE SKIP LOCKED, so several server instances share the work), sends each signed, and
 * records the attempt. A 2xx marks the message delivered; a failure schedules the next attempt
 * (backoff.ts) until its 3-day window ends, and then the message is `failed` and its subscription
 * paused with the reason (the admin and the integrator see it; resuming sends what waited).
 * A server killed mid-delivery leaves its claims to expire: the messages are sent again, with the same
 * `webhook-id`, so a receiver that drops duplicates by that id sees each event once.
 *
 * A slow receiver costs only its own slots: up to `concurrency` attempts are under way at once, and the
 * next due message is claimed as soon as any one ends (not when the slowest of a batch does). Of those
 * slots one subscription takes at most `perSubscription` and one store at most `perStore` (per server
 * process), so receivers that never answer hold at most those slots for the attempt timeout while other
 * stores' and subscriptions' messages keep going out. Order is not guaranteed (it never was).
 */
export class WebhookWorker {
  readonly allowPrivateNetworks: boolean;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly perSubscription: number;
  private readonly perStore: number;
  private readonly sweepMs: number;
  private readonly keepDays: number;
  private readonly autoStart: boolean;
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  /** Wakes the rounds under way (runDue) to claim again: something new may be due. */
  private readonly nudges = new Set<() => void>();
  private readonly abort = new AbortController();
  private log: (message: string) => void = (message) => console.error(message);

  constructor(
    private readonly db: Database,
    private readonly userAgent: string,
    options: WebhookOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? (Number(process.env.BALCAO_WEBHOOKS_TIMEOUT_MS) || 10_000);
    this.leaseMs = options.leaseMs ?? (Number(process.env.BALCAO_WEBHOOKS_LEASE_MS) || this.timeoutMs + 30_000);
    this.concurrency = options.concurrency ?? 16;
    this.perSubscription = options.perSubscription ?? Math.max(1, Math.ceil(this.concurrency / 4));
    this.perStore = options.perStore ?? Math.max(1, Math.ceil(this.concurrency / 2));
    this.sweepMs = options.sweepMs ?? 60_000;
    this.keepDays = options.keepDays ?? 30;
    this.autoStart = options.autoStart ?? true;
    this.allowPrivateNetworks = options.allowPrivateNetworks ?? defaultAllowPrivate();
    // Every attempt under way listens to the one stop signal.
    setMaxListeners(0, this.abort.signal);
  }

  /** The worker's clock (routes use it, so a redelivery is due on the same clock as the retries). */
  now(): Date {
    return this.clock();
  }

  /** Listens for new messages and starts delivering (unless autoStart is false). */
  async start(log?: (message: string) => void): Promise<void> {
    if (log) this.log = log;
    if (!this.autoStart) return;
    // After a lost listening connection, wake too: a message queued meanwhile sent no notice that arrived.
    this.unlisten = await this.db.listen(WEBHOOKS_CHANNEL, () => this.wake(), () => this.wake());
    this.sweepTimer = setInterval(() => void this.sweep().catch((error: unknown) => this.log(`webhooks: sweep failed: ${String(error)}`)), this.sweepMs);
    this.sweepTimer.unref();
    this.wake();
  }

  /** Delivers soon (a new message, a redelivery, a resumed subscription). No-op when not started. */
  wake(): void {
    if (this.stopped || !this.autoStart) return;
    if (this.running) {
      this.again = true;
      // A round waiting on slow attempts claims the new message now, in a free slot.
      for (const nudge of this.nudges) nudge();
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runDue();
        } while (this.again && !this.stopped);
      } catch (error) {
        if (!this.stopped) this.log(`webhooks: delivery round failed: ${String(error)}`);
      } finally {
        this.running = null;
        if (!this.stopped) await this.scheduleNext().catch(() => this.schedule(30_000));
      }
    })();
  }

  /** Stops: aborts attempts under way (their messages stay pending, unclaimed, and are sent by the next worker). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.abort.abort();
    for (const nudge of this.nudges) nudge();
    await this.running?.catch(() => undefined);
    await this.unlisten?.().catch(() => undefined);
  }

  /**
   * Sends every message due by the clock until none is due: up to `concurrency` attempts at once (within
   * the per-subscription and per-store caps), claiming the next as soon as one ends and recording each
   * attempt when it ends (those that ended together in one transaction). @returns the number of attempts made
   */
  async runDue(): Promise<number> {
    let attempts = 0;
    const underWay = new Set<Promise<void>>();
    const bySubscription = new Map<string, number>();
    const byStore = new Map<string, number>();
    const ended: { message: Claimed; result: AttemptResult; cut: boolean }[] = [];
    let changed = false;
    let resume: (() => void) | null = null;
    const nudge = () => {
      changed = true;
      resume?.();
    };
    const count = (map: Map<string, number>, key: string, by: number) => {
      const n = (map.get(key) ?? 0) + by;
      if (n === 0) map.delete(key);
      else map.set(key, n);
    };
    const begin = (message: Claimed) => {
      count(bySubscription, message.subscription_id, 1);
      count(byStore, message.store_id, 1);
      const attempt = this.send(message).then((result) => {
        underWay.delete(attempt);
        count(bySubscription, message.subscription_id, -1);
        count(byStore, message.store_id, -1);
        // Stopping: an attempt cut short is not the receiver's fault; its claim is given back for the next worker.
        ended.push({ message, result, cut: !result.ok && this.abort.signal.aborted });
        nudge();
      });
      underWay.add(attempt);
    };
    this.nudges.add(nudge);
    try {
      for (;;) {
        changed = false;
        if (ended.length > 0) await this.settle(ended.splice(0));
        // One claim fills what the caps allow: claiming again before an attempt ends would find nothing more.
        if (!this.stopped && underWay.size < this.concurrency) {
          const claimed = await this.claim(this.concurrency - underWay.size, bySubscription, byStore);
          attempts += claimed.length;
          for (const message of claimed) begin(message);
        }
        if (underWay.size === 0 && ended.length === 0) break;
        if (!changed && ended.length === 0) await new Promise<void>((resolve) => (resume = resolve));
        // Attempts that end close together are recorded and replaced together: a short gather (until the others
        // end, at most GATHER_MS) keeps a busy worker from recording and claiming once per message.
        if (!this.stopped && underWay.size > 0 && ended.length < underWay.size) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, GATHER_MS);
            resume = () => {
              if (underWay.size > 0 && !this.stopped) return;
              clearTimeout(timer);
              resolve();
            };
          });
        }
        resume = null;
      }
    } catch (error) {
      // The round failed (the database): its attempts under way end first (unrecorded, their claims lapse
      // and they are sent again), so no attempt outlives its round.
      await Promise.allSettled([...underWay]);
      throw error;
    } finally {
      this.nudges.delete(nudge);
    }
    return attempts;
  }

  /** Announces receivables that became overdue, and removes delivered/failed messages past the keeping time. */
  async sweep(): Promise<number> {
    const now = this.clock();
    const overdue = await sweepOverdueReceivables(this.db, now);
    await pauseSubscriptionsOfInvalidKeys(this.db, now);
    await this.db.query("DELETE FROM webhook_messages WHERE state <> 'pending' AND created_at < $1::timestamptz - make_interval(days => $2)", [now.toISOString(), this.keepDays]);
    if (overdue > 0) this.wake();
    return overdue;
  }

  /**
   * Claims up to `room` due messages, oldest first: of each active subscription below its cap its oldest
   * due ones (`perSubscription` less those under way, `bySubscription`; one index probe per subscription,
   * so a held-back backlog is not scanned), then no more of a store than `perStore` less its own under way.
   */
  private async claim(room: number, bySubscription: ReadonlyMap<string, number>, byStore: ReadonlyMap<string, number>): Promise<Claimed[]> {
    const now = this.clock().toISOString();
    const fullStores = [...byStore].filter(([, n]) => n >= this.perStore).map(([id]) => id);
    return this.db.query<Claimed>(
      `WITH candidates AS (
         SELECT m2.id, s2.store_id, m2.next_attempt_at
           FROM webhook_subscriptions s2
           LEFT JOIN unnest($4::text[], $5::integer[]) AS busy(id, n) ON busy.id = s2.id
           CROSS JOIN LATERAL (
             SELECT m1.id, m1.next_attempt_at FROM webhook_messages m1
              WHERE m1.subscription_id = s2.id AND m1.state = 'pending' AND m1.next_attempt_at <= $1::timestamptz
                AND (m1.lease_until IS NULL OR m1.lease_until <= $1::timestamptz)
              ORDER BY m1.next_attempt_at, m1.id
              LIMIT $8::integer - coalesce(busy.n, 0)
              FOR UPDATE OF m1 SKIP LOCKED) m2
          WHERE s2.status = 'active' AND coalesce(busy.n, 0) < $8::integer AND s2.store_id <> ALL($10::text[])
            AND ${keyStillValid('s2', '$1')}
       ), within_store AS (
         SELECT c.id, c.next_attempt_at, coalesce(busy.n, 0) + row_number() OVER (PARTITION BY c.store_id ORDER BY c.next_attempt_at, c.id) AS n
           FROM candidates c LEFT JOIN unnest($6::text[], $7::integer[]) AS busy(id, n) ON busy.id = c.store_id
       )
       UPDATE webhook_messages m SET lease_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000)
         FROM webhook_subscriptions s
        WHERE s.id = m.subscription_id
          AND m.id IN (SELECT id FROM within_store WHERE n <= $9::integer ORDER BY next_attempt_at, id LIMIT $3)
       RETURNING m.id, m.subscription_id, s.store_id, m.type, m.payload::text AS body, m.attempts, m.retry_until, s.url, s.secret, s.previous_secret, s.previous_secret_until`,
      [now, this.leaseMs, room, [...bySubscription.keys()], [...bySubscription.values()], [...byStore.keys()], [...byStore.values()], this.perSubscription, this.perStore, fullStores],
    );
  }

  /** One attempt of a claimed message (an unexpected error is a failed attempt, recorded as such). */
  private send(message: Claimed): Promise<AttemptResult> {
    const previousValid = message.previous_secret !== null && message.previous_secret_until !== null && new Date(message.previous_secret_until) > this.clock();
    return sendMessage({
      url: message.url,
      id: message.id,
      body: message.body,
      secrets: previousValid ? [message.secret, message.previous_secret!] : [message.secret],
      timeoutMs: this.timeoutMs,
      allowPrivateNetworks: this.allowPrivateNetworks,
      userAgent: this.userAgent,
      signal: this.abort.signal,
    }).catch((error: unknown) => ({ ok: false, statusCode: null, durationMs: 0, error: String(error) }));
  }

  /** Gives back the claims of attempts cut by a stop, and records the others (record). */
  private async settle(ended: readonly { message: Claimed; result: AttemptResult; cut: boolean }[]): Promise<void> {
    const cut = ended.filter((entry) => entry.cut);
    if (cut.length > 0) await this.db.query('UPDATE webhook_messages SET lease_until = NULL WHERE id = ANY($1::text[])', [cut.map(({ message }) => message.id)]).catch(() => undefined);
    await this.record(ended.filter((entry) => !entry.cut));
  }

  /**
   * The attempts in the log and the messages' next states, in one transaction of a few set-based
   * statements whatever the batch size. A message whose subscription was deleted meanwhile is skipped.
   */
  private async record(done: readonly { message: Claimed; result: AttemptResult }[]): Promise<void> {
    if (done.length === 0) return;
    const now = this.clock();
    const at = now.toISOString();
    const rows = done.map(({ message, result }) => {
      const attempt = message.attempts + 1;
      const retryUntil = new Date(message.retry_until);
      const gaveUp = !result.ok && now >= retryUntil;
      const next = result.ok || gaveUp ? now : new Date(Math.min(retryUntil.getTime(), now.getTime() + retryDelaySeconds(attempt, this.random) * 1000));
      return { message, result, attempt, gaveUp, next: next.toISOString(), state: result.ok ? 'delivered' : gaveUp ? 'failed' : 'pending' };
    });
    await this.db.transaction(async (tx) => {
      // Subscriptions first, as a delete takes them (then cascades to their messages): the attempts' foreign
      // keys would otherwise lock a message before its subscription, and a concurrent delete deadlocked the
      // round or removed a message between the check below and the insert. A subscription deleted before
      // this lock is gone for the statements that follow (each reads a new snapshot), so its attempts are skipped.
      await tx.query('SELECT 1 FROM webhook_subscriptions WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE', [[...new Set(rows.map((row) => row.message.subscription_id))]]);
      await tx.query(
        `INSERT INTO webhook_attempts (message_id, subscription_id, attempt, at, duration_ms, status_code, error)
         SELECT a.message_id, a.subscription_id, a.attempt, $4::timestamptz, a.duration_ms, a.status_code, a.error
           FROM unnest($1::text[], $2::text[], $3::integer[], $5::integer[], $6::integer[], $7::text[]) AS a(message_id, subscription_id, attempt, duration_ms, status_code, error)
          WHERE EXISTS (SELECT 1 FROM webhook_messages m WHERE m.id = a.message_id)
         ON CONFLICT DO NOTHING`,
        [rows.map((row) => row.message.id), rows.map((row) => row.message.subscription_id), rows.map((row) => row.attempt), at, rows.map((row) => row.result.durationMs), rows.map((row) => row.result.statusCode), rows.map((row) => row.result.error)],
      );
      await tx.query(
        `UPDATE webhook_messages m SET attempts = u.attempt, lease_until = NULL, last_status = u.status_code, last_error = u.error, next_attempt_at = u.next,
                state = u.state, delivered_at = CASE WHEN u.state = 'delivered' THEN $7::timestamptz ELSE m.delivered_at END
           FROM unnest($1::text[], $2::integer[], $3::integer[], $4::text[], $5::timestamptz[], $6::text[]) AS u(id, attempt, status_code, error, next, state)
          WHERE m.id = u.id`,
        [rows.map((row) => row.message.id), rows.map((row) => row.attempt), rows.map((row) => row.result.statusCode), rows.map((row) => row.result.error), rows.map((row) => row.next), rows.map((row) => row.state), at],
      );
      for (const row of rows.filter((entry) => entry.gaveUp)) {
        const reason = `Message ${row.message.id} (${row.message.type}) could not be delivered for ${RETRY_WINDOW_SECONDS / 86_400} days (${row.attempt} attempts); last error: ${row.result.error ?? 'unknown'}. Fix the receiver, resume the subscription (what waited is then sent) and redeliver the failed message.`;
        await tx.query("UPDATE webhook_subscriptions SET status = 'paused', paused_at = $2, paused_reason = $3, paused_code = 'delivery_failed', paused_by = NULL, updated_at = $2 WHERE id = $1 AND status = 'active'", [row.message.subscription_id, at, reason]);
      }
    });
  }

  /**
   * Milliseconds until the next message this worker would send is due (0 or less: due now; Infinity: none
   * pending). Messages of paused subscriptions, and of subscriptions whose API key was revoked or has
   * expired (paused at the next sweep), are not waited on: they would make the worker look every 20 ms.
   */
  async nextDueInMs(): Promise<number> {
    const now = this.clock();
    const [row] = await this.db.query<{ next: Date | string | null }>(
      `SELECT min(greatest(m.next_attempt_at, coalesce(m.lease_until, m.next_attempt_at))) AS next
         FROM webhook_messages m JOIN webhook_subscriptions s ON s.id = m.subscription_id
        WHERE m.state = 'pending' AND s.status = 'active' AND ${keyStillValid('s', '$1')}`,
      [now.toISOString()],
    );
    return row?.next ? new Date(row.next).getTime() - now.getTime() : Infinity;
  }

  private async scheduleNext(): Promise<void> {
    const next = await this.nextDueInMs();
    // Other instances' messages arrive by NOTIFY; the poll only covers retries and expired claims.
    this.schedule(Math.max(20, Math.min(next, 30_000)));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }
}

function defaultAllowPrivate(): boolean {
  const env = process.env.BALCAO_WEBHOOKS_ALLOW_PRIVATE;
  if (env !== undefined && env !== '') return /^(1|true|yes)$/i.test(env);
  return Boolean(process.env.VITEST) || /^(1|true|yes)$/i.test(process.env.BALCAO_DEMO ?? '');
}
