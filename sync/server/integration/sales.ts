import type { Queryable } from '../db/database.ts';
import { decodeCursor, encodeCursor } from './api-resource.ts';

/**
 * Sales movements for an ERP (POS-09, POS-10, API-04; seed 004 "movimentações de vendas"): the sales
 * the stations uploaded, read-only, with items and payments. Pages follow the server's sequence
 * numbers (commit order), not device times: a sale a station uploads days later, or a cancellation
 * that changes a sale already read, comes after the cursor and is never skipped. The period and
 * station filters select among them (`createdAt` is the sale's device time, in UTC).
 */
export interface SalesQuery {
  from?: string;
  to?: string;
  stationId?: string;
  status?: 'finished' | 'cancelled';
  limit: number;
  cursor?: string;
}

const isSeqCursor = (value: unknown): value is { s: number } => Number.isSafeInteger((value as { s?: unknown } | null)?.s) && (value as { s: number }).s >= 0;

/**
 * The query of one page: only the filters asked for are in the SQL, so the planner sees a plain
 * range on `sale_created` (balcao_instant of createdAt, written by the document writer) and can use
 * the documents_sales_created index (migrations 1203, 1610) for a period, whatever plan it caches.
 */
export function salesMovementsSql(storeId: string, after: number, query: SalesQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [storeId, after];
  const where = ["store_id = $1", "collection = 'sales'", 'NOT deleted', 'seq > $2'];
  const add = (condition: (at: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.stationId !== undefined) add((at) => `station_id = ${at}`, query.stationId);
  if (query.status !== undefined) add((at) => `data ->> 'status' = ${at}`, query.status);
  if (query.from !== undefined) add((at) => `sale_created >= ${at}::timestamptz`, query.from);
  if (query.to !== undefined) add((at) => `sale_created < ${at}::timestamptz`, query.to);
  params.push(query.limit + 1);
  return { sql: `SELECT data, seq, updated_at FROM documents WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`, params };
}

/**
 * One page of sales movements (stored, not deleted) after the cursor's sequence number, filtered by
 * station, status and createdAt period; `nextCursor` is always set. Money in cents. 400 for a foreign cursor.
 */
export async function listSalesMovements(db: Queryable, storeId: string, query: SalesQuery): Promise<{ sales: Record<string, unknown>[]; nextCursor: string; hasMore: boolean }> {
  const after = query.cursor ? decodeCursor(query.cursor, isSeqCursor).s : 0;
  const { sql, params } = salesMovementsSql(storeId, after, query);
  const rows = await db.query<{ data: Record<string, unknown>; seq: string | number; updated_at: unknown }>(sql, params);
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    sales: page.map((row) => ({ ...row.data, storedAt: new Date(row.updated_at as string).toISOString() })),
    // Always set: polling with it later returns only what was uploaded (or changed) since.
    nextCursor: encodeCursor({ s: last ? Number(last.seq) : after }),
    hasMore,
  };
}
