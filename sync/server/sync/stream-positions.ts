import type { Checkpoint, CollectionName } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';

/**
 * Where each collection of a store stands: the sequence number of its last document (0 while it has
 * none) and the epoch that number was issued in ('origin' before the first epoch), read in one query.
 * The live stream starts after these numbers and tells the device them on connect
 * (`StreamResync`, sync/schema/wire.ts): a device already handed exactly this checkpoint skips its pull.
 * The number is the collection's, not a station's share of it, so for a station-visible collection
 * a device matches it only when its own document is the last one (otherwise it pulls, as before).
 */
export async function streamPositions(db: Queryable, storeId: string, collections: readonly CollectionName[]): Promise<Map<CollectionName, Required<Checkpoint>>> {
  const rows = await db.query<{ collection: CollectionName; seq: number | string; epoch: string }>(
    `SELECT c.collection, coalesce(m.seq, 0) AS seq, balcao_epoch($1, coalesce(m.seq, 0)) AS epoch
       FROM unnest($2::text[]) AS c(collection)
       LEFT JOIN LATERAL (SELECT max(d.seq) AS seq FROM documents d WHERE d.store_id = $1 AND d.collection = c.collection) m ON true`,
    [storeId, [...collections]],
  );
  return new Map(rows.map((row) => [row.collection, { seq: Number(row.seq), epoch: row.epoch }]));
}
