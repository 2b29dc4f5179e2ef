import type { Queryable } from '../db/database.ts';
import { loadDocuments, type StoredDocument } from '../db/documents.ts';
import { batchedLookups, type BatchedLookup } from './batched-lookups.ts';

/** `lookup(storeId, id)` resolves to the store's stored document with that id (deleted ones too), or null. */
export type DocumentLookup = BatchedLookup<StoredDocument>;

/**
 * GET /api/v1/:collection/:id's lookup of one collection on `db`, batched per store (batched-lookups.ts): the
 * GETs of a turn share one primary-key query (`id = ANY(…)`); one per collection and server.
 */
export function documentLookups(db: Queryable, collection: string): DocumentLookup {
  return batchedLookups((storeId, ids) => loadDocuments(db, storeId, collection, ids));
}
