import type { Queryable } from './database.ts';

/** When the embedded database is vacuumed: after this long without a query, at most once per `everyMs`, at least once per `forceAfterMs`. */
export interface IdleVacuumTiming {
  /** Milliseconds without any query before a VACUUM may start (a sale never waits behind one it could have avoided). */
  idleMs: number;
  /** Milliseconds between two VACUUMs at least (PostgreSQL's autovacuum naps 60 s between looks). */
  everyMs: number;
  /**
   * Milliseconds after which a VACUUM runs even though the database is never idle that long (a store whose
   * stations each send a heartbeat every 30 s, or a busy one); then a request may wait for it once.
   */
  forceAfterMs: number;
  /** Milliseconds between two looks at whether one is due (the embedded server's timer, pglite.ts). */
  checkMs: number;
}

export const IDLE_VACUUM: IdleVacuumTiming = { idleMs: 10_000, everyMs: 10 * 60_000, forceAfterMs: 60 * 60_000, checkMs: 5_000 };

export interface IdleVacuum {
  /** Call on every use of the database: it pushes the next VACUUM back until the database is idle again. */
  touch(): void;
  /**
   * Runs a database-wide VACUUM when it is due: idle for idleMs and none for everyMs, or none for
   * forceAfterMs (since the start, for the first) however busy; answers whether it ran.
   */
  tick(): Promise<boolean>;
  /** Resolves when no VACUUM is running (call before closing the database). */
  settled(): Promise<void>;
}

/**
 * PGlite's stand-in for autovacuum's VACUUM. PGlite runs PostgreSQL in single-user mode, where no
 * autovacuum worker runs, so nothing would ever (1) freeze old rows: transaction ids are 32-bit, and a
 * database whose oldest unfrozen id ages past about 2 billion refuses every write "to avoid wraparound
 * data loss" (PostgreSQL docs, "Preventing Transaction ID Wraparound Failures"); at 100 write
 * transactions a second that is about 250 days of a store's server; nor (2) make the space of dead rows
 * (each update of a product or a sale leaves one) reusable, so the files would only grow.
 *
 * A plain database-wide `VACUUM` does both: it reclaims dead rows, and once a table's oldest id is older
 * than vacuum_freeze_table_age (150 million) it scans the whole table and freezes it, as autovacuum's
 * anti-wraparound pass would; without a table name it covers the catalogs too, and advances the
 * database's datfrozenxid. It runs only when the database has been idle for `idleMs` (PGlite has one
 * connection: a request that arrives meanwhile waits for it), at most every `everyMs`. A database that is
 * never idle that long (a store whose stations each send a heartbeat every 30 s: with three or more of
 * them, gaps of 10 s are rare) is vacuumed all the same once `forceAfterMs` has passed since the last
 * VACUUM; a request may then wait for it, once an hour by default. Thanks to the visibility map a
 * VACUUM reads only pages changed since the last one. At 1,000,000 products (a copy
 * of the kept PGlite of test/bench/first-sync.ts, never vacuumed since its bulk load) the first took
 * 1,389 ms, the next 41 ms, and one after a price change of 10,000 products 285 ms (issue 16).
 * Statistics do not say when it is due: PGlite loses them at each restart.
 */
export function idleVacuum(db: Queryable, timing: IdleVacuumTiming = IDLE_VACUUM, now: () => number = Date.now): IdleVacuum {
  let lastUse = now();
  let lastVacuum = -Infinity;
  // A busy server's first forced VACUUM comes forceAfterMs after its start, not at once.
  const startedAt = now();
  let running: Promise<void> | null = null;
  const due = () => {
    const at = now();
    const idle = at - lastUse >= timing.idleMs && at - lastVacuum >= timing.everyMs;
    return idle || at - Math.max(lastVacuum, startedAt) >= timing.forceAfterMs;
  };
  return {
    touch() {
      lastUse = now();
    },
    async tick() {
      if (running || !due()) return false;
      running = db.query('VACUUM').then(() => undefined);
      try {
        await running;
      } finally {
        running = null;
        lastVacuum = now();
      }
      return true;
    },
    settled: () => running?.catch(() => undefined) ?? Promise.resolve(),
  };
}

/**
 * `target`'s queries, each counted as use of the database (`vacuum.touch()`) when it starts and when it
 * ends: a long statement's end, not its start, begins the idle time. The embedded server wraps every
 * query with it, in a transaction or not (pglite.ts).
 */
export function countedAsUse(vacuum: IdleVacuum, target: Queryable): Queryable {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      vacuum.touch();
      try {
        return await target.query<Row>(sql, params);
      } finally {
        vacuum.touch();
      }
    },
  };
}
