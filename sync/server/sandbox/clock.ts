import type { Queryable } from '../db/database.ts';

/**
 * The store's clock (API-06). Production stores live on the real clock; a sandbox store's clock is the
 * real one plus its offset (seconds, ≥ 0), moved forward by its keys or the admin, so billing runs,
 * overdue receivables and stock-reservation expiry can be exercised without waiting. SQL reads the same
 * value through the `store_now(store_id)` function (sandbox/migration.ts).
 */
export async function storeNow(db: Queryable, storeId: string): Promise<Date> {
  const [row] = await db.query<{ now: Date | string }>('SELECT store_now($1) AS now', [storeId]);
  return new Date(row!.now);
}

/** Sandbox stores whose clock is ahead, with their offsets in seconds (for sweeps over every store). */
export async function storesAhead(db: Queryable): Promise<{ storeId: string; offsetSeconds: number }[]> {
  const rows = await db.query<{ store_id: string; offset: string | number }>('SELECT sandbox_store_id AS store_id, clock_offset_seconds AS offset FROM sandboxes WHERE clock_offset_seconds > 0');
  return rows.map((row) => ({ storeId: row.store_id, offsetSeconds: Number(row.offset) }));
}

/** Largest forward move of one call: 400 days, in seconds (a year of billing and a margin). */
export const MAX_ADVANCE_SECONDS = 400 * 86_400;
/** Largest total offset: 10 years in seconds, far inside what timestamptz and JS dates hold. */
export const MAX_OFFSET_SECONDS = 3_650 * 86_400;

/**
 * Moves a sandbox store's clock forward by `advanceSeconds` (integer, 1…MAX_ADVANCE_SECONDS); never
 * back (a reset puts it at zero). Answers the new offset, or null if the store is no sandbox; a
 * RangeError when the total would pass MAX_OFFSET_SECONDS.
 */
export async function advanceClock(db: Queryable, sandboxStoreId: string, advanceSeconds: number): Promise<number | null> {
  const rows = await db.query<{ offset: string | number }>(
    `UPDATE sandboxes SET clock_offset_seconds = clock_offset_seconds + $2
      WHERE sandbox_store_id = $1 AND clock_offset_seconds + $2 <= $3 RETURNING clock_offset_seconds AS offset`,
    [sandboxStoreId, advanceSeconds, MAX_OFFSET_SECONDS],
  );
  if (rows[0]) return Number(rows[0].offset);
  const exists = await db.query('SELECT 1 FROM sandboxes WHERE sandbox_store_id = $1', [sandboxStoreId]);
  if (exists.length === 0) return null;
  throw new RangeError(`The sandbox clock may be at most ${MAX_OFFSET_SECONDS} seconds (10 years) ahead; reset the sandbox to start again.`);
}
