import type { CollectionName } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import { enqueueEvents, subscribedTypes, type OutboxEvent } from './outbox.ts';

/** A document about to be written (db/documents.ts DocumentWrite, restated here so this file imports no writer). */
interface Write {
  id: string;
  data: Record<string, unknown>;
  deleted: boolean;
}

const WATCHED = new Set<CollectionName>(['sales', 'products', 'backoffice']);

/**
 * The webhook events of document writes, queued in the writer's transaction. Called by writeDocuments
 * (db/documents.ts) BEFORE it stores the batch, because two events compare with what is stored: every
 * path that writes a sale, a product's stock or a contract goes through it (replication push, the
 * integration API, stock effects of sales, stock adjustments and reservation commits, contract
 * transitions, master-data batches), so none of them can forget its event.
 *
 * - sale.uploaded: a sale the server did not have before (a retried upload finds it and adds nothing).
 * - stock.below_level: an existing product whose stock crosses a subscription's level downwards.
 * - contract.changed: every written contract (writers only write what changed).
 *
 * Costs one statement when the store has no subscription to the collection's events.
 */
export async function enqueueDocumentEvents(tx: Queryable, storeId: string, collection: CollectionName, writes: readonly Write[]): Promise<void> {
  if (!WATCHED.has(collection) || writes.length === 0) return;
  const types = await subscribedTypes(tx, storeId);
  if (collection === 'sales' && types.has('sale.uploaded')) await enqueueEvents(tx, storeId, await newSales(tx, storeId, writes));
  if (collection === 'products' && types.has('stock.below_level')) await enqueueEvents(tx, storeId, await stockCrossings(tx, storeId, writes));
  if (collection === 'backoffice' && types.has('contract.changed')) {
    const contracts = writes.filter((write) => write.data.kind === 'contract');
    await enqueueEvents(tx, storeId, contracts.map((write) => ({ type: 'contract.changed', resourceId: write.id, data: { ...write.data, _deleted: write.deleted } })));
  }
}

async function newSales(tx: Queryable, storeId: string, writes: readonly Write[]): Promise<OutboxEvent[]> {
  const live = writes.filter((write) => !write.deleted);
  if (live.length === 0) return [];
  const stored = await tx.query<{ id: string }>("SELECT id FROM documents WHERE store_id = $1 AND collection = 'sales' AND id = ANY($2::text[])", [storeId, live.map((write) => write.id)]);
  const known = new Set(stored.map((row) => row.id));
  return live.filter((write) => !known.has(write.id)).map((write) => ({ type: 'sale.uploaded', resourceId: write.id, data: write.data }));
}

/** Products whose stock goes from ≥ some subscription's level to below it (their stored stock is read before the write). */
async function stockCrossings(tx: Queryable, storeId: string, writes: readonly Write[]): Promise<OutboxEvent[]> {
  const candidates = writes.filter((write) => !write.deleted && typeof write.data.stock === 'number');
  if (candidates.length === 0) return [];
  const rows = await tx.query<{ id: string; before: string | number }>(
    `SELECT n.id, (d.data ->> 'stock')::bigint AS before
       FROM unnest($2::text[], $3::bigint[]) AS n(id, stock)
       JOIN documents d ON d.store_id = $1 AND d.collection = 'products' AND d.id = n.id AND NOT d.deleted
        -- The ids named as well: an index probe per product whatever the statistics say (PGlite runs no
        -- autovacuum; a planner that takes the store for a few rows hashes all of its products).
        AND d.id = ANY($2::text[])
      WHERE EXISTS (SELECT 1 FROM webhook_subscriptions s
                     WHERE s.store_id = $1 AND 'stock.below_level' = ANY(s.event_types)
                       AND (d.data ->> 'stock')::bigint >= s.stock_level AND n.stock < s.stock_level)`,
    [storeId, candidates.map((write) => write.id), candidates.map((write) => write.data.stock as number)],
  );
  const byId = new Map(candidates.map((write) => [write.id, write]));
  return rows.map((row) => {
    const write = byId.get(row.id)!;
    return { type: 'stock.below_level', resourceId: row.id, data: write.data, stock: { before: Number(row.before), after: write.data.stock as number } };
  });
}
