import { randomUUID } from 'node:crypto';
import type { CollectionName, IntegrationError, QuarantineReason } from '../../schema/index.ts';
import type { Queryable } from './database.ts';

export interface QuarantineEntry {
  documentId: string;
  stationId: string | null;
  reason: QuarantineReason;
  message: string;
  document: Record<string, unknown>;
  /** Who sent the refused version (WriteOptions.sender): only its sender's later write settles it. Absent: unknown (server-derived). */
  sender?: string | null;
}

/** Keeps refused documents; a refusal of the same document again updates its open entry. */
export async function quarantine(tx: Queryable, storeId: string, collection: CollectionName, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO quarantine (id, store_id, collection, document_id, station_id, reason, message, document, sender)
     SELECT e.id, $1, $2, e.document_id, e.station_id, e.reason, e.message, e.document::jsonb, e.sender
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS e(id, document_id, station_id, reason, message, document, sender)
     ON CONFLICT (store_id, collection, document_id) WHERE resolved_at IS NULL DO UPDATE
        SET reason = excluded.reason, message = excluded.message, document = excluded.document,
            -- The version kept is the sender's: a new version is its sender's, the same one checked again (a retry, no sender) keeps it.
            sender = CASE WHEN quarantine.document IS DISTINCT FROM excluded.document THEN excluded.sender ELSE COALESCE(excluded.sender, quarantine.sender) END,
            -- A retried upload of the very same document is not a new attempt…
            attempts = quarantine.attempts + CASE WHEN quarantine.document IS DISTINCT FROM excluded.document THEN 1 ELSE 0 END
      -- …but the same document refused for another reason now (its contract arrived) says the new reason.
      WHERE quarantine.document IS DISTINCT FROM excluded.document OR quarantine.reason IS DISTINCT FROM excluded.reason
         OR quarantine.message IS DISTINCT FROM excluded.message`,
    [
      storeId,
      collection,
      entries.map(() => randomUUID()),
      entries.map((entry) => entry.documentId),
      entries.map((entry) => entry.stationId),
      entries.map((entry) => entry.reason),
      entries.map((entry) => entry.message),
      entries.map((entry) => JSON.stringify(entry.document)),
      entries.map((entry) => entry.sender ?? null),
    ],
  );
}

/** Settles the open refusals of these documents: the caller decides which write is a fix (write-documents.ts, settledRefusals). */
export async function resolveQuarantine(tx: Queryable, storeId: string, collection: CollectionName, documentIds: readonly string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await tx.query(
    'UPDATE quarantine SET resolved_at = now() WHERE store_id = $1 AND collection = $2 AND resolved_at IS NULL AND document_id = ANY($3::text[])',
    [storeId, collection, documentIds],
  );
}

/** An open refusal: the refused version as kept, and who sent it (QuarantineEntry.sender; null: unknown). */
export interface OpenRefusal {
  document: Record<string, unknown>;
  sender: string | null;
}

/** Open refusals of these documents, by document id (to recognise a fix of a quarantined version). */
export async function openQuarantined(tx: Queryable, storeId: string, collection: CollectionName, documentIds: readonly string[]): Promise<Map<string, OpenRefusal>> {
  const found = new Map<string, OpenRefusal>();
  if (documentIds.length === 0) return found;
  const rows = await tx.query<{ document_id: string; document: Record<string, unknown>; sender: string | null }>(
    'SELECT document_id, document, sender FROM quarantine WHERE store_id = $1 AND collection = $2 AND resolved_at IS NULL AND document_id = ANY($3::text[])',
    [storeId, collection, documentIds],
  );
  for (const row of rows) found.set(row.document_id, { document: row.document, sender: row.sender });
  return found;
}

interface QuarantineRow {
  id: string; collection: CollectionName; document_id: string; station_id: string | null; reason: QuarantineReason;
  message: string; document: Record<string, unknown>; created_at: Date | string; attempts: number; resolved_at: Date | string | null;
}

function toIntegrationError(row: QuarantineRow): IntegrationError {
  return {
    id: row.id,
    collection: row.collection,
    documentId: row.document_id,
    stationId: row.station_id,
    reason: row.reason,
    message: row.message,
    document: row.document,
    createdAt: new Date(row.created_at).toISOString(),
    attempts: Number(row.attempts),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
  };
}

export interface ErrorFilter {
  storeId: string;
  /** The whole store, or only what one station (or, with null, the station-less callers) sent. */
  scope: { station: string | null } | 'store';
  includeResolved: boolean;
  limit: number;
  /** Only entries of these collections (the ones the caller's roles may read); absent: all. */
  collections?: readonly CollectionName[];
}

export async function listIntegrationErrors(db: Queryable, filter: ErrorFilter): Promise<IntegrationError[]> {
  const rows = await db.query<QuarantineRow>(
    `SELECT * FROM quarantine
      WHERE store_id = $1 AND ($2 OR station_id IS NOT DISTINCT FROM $3::text) AND ($4 OR resolved_at IS NULL)
        AND ($6::text[] IS NULL OR collection = ANY($6::text[]))
      ORDER BY created_at DESC LIMIT $5`,
    [filter.storeId, filter.scope === 'store', filter.scope === 'store' ? null : filter.scope.station, filter.includeResolved, filter.limit, filter.collections ?? null],
  );
  return rows.map(toIntegrationError);
}

/**
 * One entry of the store, or null. `lock`: read it FOR UPDATE, claiming it for the caller's transaction
 * (the retry route), so a concurrent claim waits and then reads it as this one left it. Take the store's
 * lock (lockStoreSequence) first, as every write of documents does before it touches quarantine.
 */
export async function findIntegrationError(db: Queryable, storeId: string, id: string, options: { lock?: boolean } = {}): Promise<IntegrationError | null> {
  const rows = await db.query<QuarantineRow>(`SELECT * FROM quarantine WHERE store_id = $1 AND id = $2${options.lock ? ' FOR UPDATE' : ''}`, [storeId, id]);
  return rows[0] ? toIntegrationError(rows[0]) : null;
}

export async function recordFailedRetry(tx: Queryable, id: string, reason: QuarantineReason, message: string): Promise<void> {
  await tx.query('UPDATE quarantine SET reason = $2, message = $3, attempts = attempts + 1 WHERE id = $1', [id, reason, message]);
}

/** Settles one entry by its id (an entry kept under its own document id, e.g. an edit conflict, after a successful retry). */
export async function resolveEntry(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE quarantine SET resolved_at = now() WHERE id = $1 AND resolved_at IS NULL', [id]);
}
