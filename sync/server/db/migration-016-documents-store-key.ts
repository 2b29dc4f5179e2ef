/**
 * Migration 1611 (issue 16): drops the foreign key documents.store_id → stores(id).
 *
 * Why: PostgreSQL checks a foreign key with one query per inserted row (a FOR KEY SHARE lookup of the
 * store), and every document write is an insert of a whole batch into one store: in a 5,000-sale push
 * that check took 62–262 ms of a 260–560 ms INSERT (EXPLAIN ANALYZE, PostgreSQL 15 here, load 10;
 * test/bench/fleet/profile-push.ts, OLD_FK=1 puts the key back for a before/after on one machine).
 * What it guarded still holds without it: the one writer of documents (db/documents.ts writeDocuments)
 * draws the batch's sequence numbers from the store's `store_seq` row and refuses a store without one,
 * and `store_seq.store_id` keeps its own foreign key to `stores`, which also keeps a store with a
 * counter from being deleted (test/server/documents-store-key.test.ts).
 */
export const documentsStoreKeyMigration = {
  version: 1611,
  name: 'documents-store-key-by-counter',
  sql: `
    ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_store_id_fkey
  `,
};
