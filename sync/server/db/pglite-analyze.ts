import type { Queryable } from './database.ts';

/** At most one look at the statistics per this many milliseconds (PostgreSQL's autovacuum naps 60 s). */
const CHECK_EVERY_MS = 5_000;

/**
 * PGlite's stand-in for autovacuum's ANALYZE. PGlite runs PostgreSQL in single-user mode, where no
 * autovacuum worker ever runs: a table that grew from empty to 1,000,000 products keeps no
 * statistics, the planner believes the store holds a handful of rows, and picks plans that read the
 * whole store per statement (issue 16: a batch upsert of 1,000 prices took ~6 s at 1,000,000 products,
 * 80 ms at 100,000). After a write, at most every CHECK_EVERY_MS, this analyses the tables that
 * changed by more than autovacuum's own default threshold (50 rows + 10 % of the table).
 *
 * Returns a function to call after each committed write transaction; it runs on the caller's
 * connection (PGlite has one), so nothing runs behind a later close(). An ANALYZE costs ~250 ms at
 * 200,000 rows (its sample is bounded, 30,000 rows), and happens again only after 10 % more changes.
 */
export function autoAnalyze(db: Queryable, now: () => number = Date.now): () => Promise<void> {
  let lastCheck = -Infinity;
  return async () => {
    if (now() - lastCheck < CHECK_EVERY_MS) return;
    lastCheck = now();
    // Counts of changes reach the shared statistics at most once a second unless forced (PostgreSQL 15+):
    // without this the latest batches would be invisible here. The flush happens as this statement ends.
    await db.query('SELECT pg_stat_force_next_flush()');
    const stale = await db.query<{ name: string }>(
      `SELECT quote_ident(c.relname) AS name FROM pg_class c
        WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
          AND pg_stat_get_mod_since_analyze(c.oid) > 50 + 0.1 * greatest(c.reltuples, 0)`,
    );
    if (stale.length > 0) await db.query(`ANALYZE ${stale.map((table) => table.name).join(', ')}`);
    lastCheck = now();
  };
}
