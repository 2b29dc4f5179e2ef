import type { Queryable } from '../db/database.ts';
import { readChangesPage } from '../db/documents.ts';
import { decodeCursor, encodeCursor } from './api-resource.ts';

/**
 * Products out (API-04): search, get and the change feed. Reads only the caller's store; the feed
 * follows the server's sequence numbers, which become visible only in commit order (every writer
 * holds the store's sequence lock), so a reader that asks "after N" never skips a row that commits late.
 */

export interface ProductSearch {
  sku?: string;
  barcode?: string;
  /** Part of the name or sku, any case. */
  q?: string;
  limit: number;
  cursor?: string;
}

const isIdCursor = (value: unknown): value is { after: string } => typeof (value as { after?: unknown } | null)?.after === 'string';

/** Live products matching every filter given, by id (keyset pages). */
export async function searchProducts(db: Queryable, storeId: string, search: ProductSearch): Promise<{ products: Record<string, unknown>[]; nextCursor: string | null; hasMore: boolean }> {
  const after = search.cursor ? decodeCursor(search.cursor, isIdCursor).after : null;
  const pattern = search.q ? `%${search.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
  const rows = await db.query<{ id: string; data: Record<string, unknown> }>(
    `SELECT id, data FROM documents
      WHERE store_id = $1 AND collection = 'products' AND NOT deleted
        AND ($2::text IS NULL OR data ->> 'sku' = $2)
        AND ($3::text IS NULL OR data ->> 'barcode' = $3)
        AND ($4::text IS NULL OR data ->> 'name' ILIKE $4 OR data ->> 'sku' ILIKE $4)
        AND ($5::text IS NULL OR id > $5)
      ORDER BY id
      LIMIT $6`,
    [storeId, search.sku ?? null, search.barcode ?? null, pattern, after, search.limit + 1],
  );
  const hasMore = rows.length > search.limit;
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return { products: page.map((row) => row.data), nextCursor: hasMore && last ? encodeCursor({ after: last.id }) : null, hasMore };
}

interface FeedCursor {
  s: number;
  e: string;
}
const isFeedCursor = (value: unknown): value is FeedCursor => {
  const cursor = value as Partial<FeedCursor> | null;
  return typeof cursor?.s === 'number' && Number.isSafeInteger(cursor.s) && cursor.s >= 0 && typeof cursor.e === 'string' && cursor.e.length <= 100;
};

/**
 * One page of the products change feed as a ready JSON body (PostgreSQL joins the documents; Node
 * never parses them): `{items, nextCursor, hasMore, resync?}`. `nextCursor` is always set — the
 * checkpoint to ask from next, also on the last page — so an integrator polls with it and gets only
 * what changed since. A cursor from another history (a restored backup) starts over with `resync`.
 */
export async function productFeedBody(db: Queryable, storeId: string, cursor: string | undefined, limit: number): Promise<string> {
  const from = cursor ? decodeCursor(cursor, isFeedCursor) : { s: 0, e: null };
  const page = await readChangesPage(db, { storeId, collection: 'products', stationId: null }, { seq: from.s, epoch: from.e }, limit);
  let hasMore = false;
  if (page.count === limit) {
    const [next] = await db.query("SELECT 1 FROM documents WHERE store_id = $1 AND collection = 'products' AND seq > $2 LIMIT 1", [storeId, page.checkpoint.seq]);
    hasMore = next !== undefined;
  }
  const nextCursor = encodeCursor({ s: page.checkpoint.seq, e: page.checkpoint.epoch });
  return `{"items":${page.json},"nextCursor":${JSON.stringify(nextCursor)},"hasMore":${hasMore}${page.resync ? ',"resync":true' : ''}}`;
}
