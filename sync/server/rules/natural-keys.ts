import type { CollectionName } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import type { DocumentWrite, StoredDocument } from '../db/documents.ts';
import type { Refusal } from './rule.ts';

/**
 * The natural keys of the catalogue (POS-03, API-01): the ERP names a product by its sku and a master
 * record by its kind and code. The batch upsert finds records by them, the batch price change and
 * `GET /api/v1/products/sku/{sku}` pick one product per sku, so two LIVE documents of a store never
 * share one. A deleted document holds no key: its sku or code may be given to another document (and
 * reviving the deleted one is then refused). Keys compare exactly, as those lookups do.
 * The back office's keys (CPF/CNPJ, service and contract codes, consumption external ids) have their
 * own normalisation and guards (backoffice/guards.ts), run at the same point of the same write path.
 */
interface NaturalKey {
  /** The fields that make the key, each a string of the document (its schema requires them). */
  fields: readonly string[];
  /**
   * An index covers the key (documents_product_sku): holders are found by one probe per key. Without one,
   * the store's documents of the collection are read once and joined with the keys, rather than once per key
   * (a master record may carry a price table of 200,000 entries, read whole to reach its kind).
   */
  indexed: boolean;
  /** The refusal for `data`, whose key `holderId` already holds. */
  refusal(data: Record<string, unknown>, holderId: string): string;
}

export const NATURAL_KEYS: Partial<Record<CollectionName, NaturalKey>> = {
  products: {
    fields: ['sku'],
    indexed: true,
    refusal: (data, holderId) => `Another product (${holderId}) already has sku ${String(data.sku)}; a sku names one product of the store. Use another sku, or change that product instead.`,
  },
  masterdata: {
    fields: ['kind', 'code'],
    indexed: false,
    refusal: (data, holderId) => `Another ${String(data.kind)} (${holderId}) already has code ${String(data.code)}; a code names one ${String(data.kind)} of the store. Use another code, or change that record instead.`,
  },
};

/**
 * A document's natural key as one string (`P000001`; `seller V01` for kind + code: kinds hold no
 * space, so the string is unambiguous); the batch upsert keys its items by the same string.
 * Throws for a collection without a natural key.
 */
export function naturalKeyOf(collection: CollectionName, data: Record<string, unknown>): string {
  const natural = NATURAL_KEYS[collection];
  if (!natural) throw new Error(`${collection} has no natural key`);
  return natural.fields.map((field) => String(data[field])).join(' ');
}

/**
 * The one uniqueness check of natural keys, on every write path (the generic PUT /api/v1/<collection>/{id},
 * the batch upsert, the server's own station records): writeRows calls it on the batch's accepted writes, in
 * upload order, with `current` (their stored versions). A write that gives a live document a key
 * another live document of the store holds is refused (`duplicate_key`, naming the holder), for
 * itself only; the first in upload order keeps a key two writes of one batch ask for. A write that
 * keeps its document's own key is never refused, even when a database from before this check holds
 * that key twice: those documents stay editable, and either can be given another key or deleted.
 *
 * Race-free because it runs under the store's sequence lock (writeBatchIn takes it first; every
 * writer of a store holds it until it commits): two concurrent writes of one new sku are serialised,
 * and the second finds the first one's product. No unique index enforces it: a database may already
 * hold duplicates (the migration would fail on them), and an index violation would surface as the
 * row's generic `invalid_value`, not a refusal that names the holder.
 *
 * Returns the refusals by document id (empty for a collection without a natural key).
 */
export async function naturalKeyRefusals(tx: Queryable, storeId: string, collection: CollectionName, accepted: readonly DocumentWrite[], current: ReadonlyMap<string, StoredDocument>): Promise<Map<string, Refusal>> {
  const refusals = new Map<string, Refusal>();
  const natural = NATURAL_KEYS[collection];
  if (!natural) return refusals;
  const storedKey = (id: string): string | null => {
    const stored = current.get(id);
    return stored && !stored.deleted ? naturalKeyOf(collection, stored.data) : null;
  };
  const wanted = accepted.filter((write) => !write.deleted && naturalKeyOf(collection, write.data) !== storedKey(write.id));
  if (wanted.length === 0) return refusals;
  // Who holds each key: documents outside the batch from the database, the batch's own from their stored versions.
  const holders = new Map<string, Set<string>>();
  const hold = (key: string, id: string) => holders.set(key, (holders.get(key) ?? new Set()).add(id));
  for (const [key, id] of await liveHolders(tx, storeId, collection, natural, wanted, accepted)) hold(key, id);
  for (const write of accepted) {
    const key = storedKey(write.id);
    if (key !== null) hold(key, write.id);
  }
  for (const write of accepted) {
    const before = storedKey(write.id);
    const after = write.deleted ? null : naturalKeyOf(collection, write.data);
    if (after === before) continue;
    if (after !== null) {
      const other = [...(holders.get(after) ?? [])].find((id) => id !== write.id);
      if (other !== undefined) {
        refusals.set(write.id, { reason: 'duplicate_key', message: natural.refusal(write.data, other) });
        continue;
      }
      hold(after, write.id);
    }
    if (before !== null) holders.get(before)!.delete(write.id);
  }
  return refusals;
}

/** One live holder per key of `wanted` among the store's documents outside `batch`, as [key, id]. */
async function liveHolders(tx: Queryable, storeId: string, collection: CollectionName, natural: NaturalKey, wanted: readonly DocumentWrite[], batch: readonly DocumentWrite[]): Promise<[string, string][]> {
  const keys = [...new Map(wanted.map((write) => [naturalKeyOf(collection, write.data), write.data])).values()];
  const columns = natural.fields.map((_field, n) => `k${n}`);
  const unnested = `unnest(${columns.map((_column, n) => `$${n + 3}::text[]`).join(', ')}) AS k(${columns.join(', ')})`;
  const key = `concat_ws(' ', ${columns.map((column) => `k.${column}`).join(', ')})`;
  // Field names and the collection come from NATURAL_KEYS, never from a request: literal, so the planner matches the partial index.
  const matches = natural.fields.map((field, n) => `d.data ->> '${field}' = k.${columns[n]}`).join(' AND ');
  const holder = `d.store_id = $1 AND d.collection = '${collection}' AND NOT d.deleted AND NOT (d.id = ANY($2::text[]))`;
  const sql = natural.indexed
    ? // One probe per key, as the sku lookups make them (product-lookups.ts: with `= ANY` the planner read every product of the store).
      `SELECT h.id, ${key} AS key FROM ${unnested} CROSS JOIN LATERAL (SELECT d.id FROM documents d WHERE ${holder} AND ${matches} LIMIT 1) h`
    : `SELECT d.id, ${key} AS key FROM documents d JOIN ${unnested} ON ${matches} WHERE ${holder}`;
  const rows = await tx.query<{ id: string; key: string }>(sql, [storeId, batch.map((write) => write.id), ...natural.fields.map((field) => keys.map((data) => String(data[field])))]);
  return rows.map((row) => [row.key, row.id]);
}
