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
 * One page of sales movements (stored, not deleted) after the cursor's sequence number, filtered by
 * station, status and createdAt period; `nextCursor` is always set. Money in cents. 400 for a foreign cursor.
 */
export async function listSalesMovements(db: Queryable, storeId: string, query: SalesQuery): Promise<{ sales: Record<string, unknown>[]; nextCursor: string; hasMore: boolean }> {
  const after = query.cursor ? decodeCursor(query.cursor, isSeqCursor).s : 0;
  const rows = await db.query<{ data: Record<string, unknown>; seq: string | number; updated_at: unknown }>(
    `SELECT data, seq, updated_at FROM documents
      WHERE store_id = $1 AND collection = 'sales' AND NOT deleted AND seq > $2
        AND ($3::text IS NULL OR station_id = $3)
        AND ($4::text IS NULL OR data ->> 'status' = $4)
        AND ($5::timestamptz IS NULL OR balcao_instant(data ->> 'createdAt') >= $5::timestamptz)
        AND ($6::timestamptz IS NULL OR balcao_instant(data ->> 'createdAt') < $6::timestamptz)
      ORDER BY seq LIMIT $7`,
    [storeId, after, query.stationId ?? null, query.status ?? null, query.from ?? null, query.to ?? null, query.limit + 1],
  );
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
