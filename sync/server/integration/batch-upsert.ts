import { randomUUID } from 'node:crypto';
import { isServerMasterId } from '../auth/ownership.ts';
import { isDeepStrictEqual } from 'node:util';
import type { ValidateFunction } from 'ajv';
import type { CollectionName, JsonSchema, WireDocument } from '../../schema/index.ts';
import { assertOwnership, type Writer } from '../auth/ownership.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadDocuments, lockStoreSequence, patchProductsBySku, type PatchProbe, type StoredDocument } from '../db/documents.ts';
import { resolveQuarantine } from '../db/quarantine.ts';
import { inSavepoint, isDocumentFault, writeBatchIn } from '../sync/write-documents.ts';
import { subscribedTypes } from '../webhooks/outbox.ts';
import { compileBodyValidator, describeValidationError } from '../validation/validator.ts';
import { documentSchema } from '../validation/schemas.ts';
import { masterItemSchema, productItemSchema } from './schemas.ts';
import { naturalKeyOf } from '../rules/natural-keys.ts';

/**
 * Batch upsert of master data from the ERP (POS-03, API-01; seed 004: "todos os cadastros serão feitos
 * no ERP"). Every item is checked on its own and answered on its own, with a JSON pointer per error:
 * one bad item never fails the others. The good ones go through the server's one write path
 * (writeBatchIn: set-based, with its per-row fallback and quarantine), so stations receive them by
 * replication like any other change. The whole call is one transaction holding the store's sequence
 * lock, so an item's stored state (stock a station just sold down) cannot change under the merge.
 */
export interface ItemError {
  /** JSON pointer into the request body, e.g. `/items/3/priceCents`. */
  pointer: string;
  message: string;
}

export interface ItemResult {
  index: number;
  id: string | null;
  status: 'created' | 'updated' | 'unchanged' | 'error';
  errors?: ItemError[];
}

export interface BatchAnswer {
  results: ItemResult[];
  summary: Record<'created' | 'updated' | 'unchanged' | 'error', number>;
}

/** How one collection's items are identified and completed. */
interface UpsertKind {
  collection: CollectionName;
  itemValidator: ValidateFunction;
  documentValidator: ValidateFunction;
  /** The natural key of an item ('sku', or 'kind code'; rules/natural-keys.ts, which every write path keeps unique). */
  keyOf(item: Record<string, unknown>): string;
  /** Stored records by natural key, one query for the batch: the live one when there is one, else a deleted one. */
  loadByKeys(tx: Queryable, storeId: string, items: readonly Record<string, unknown>[]): Promise<Map<string, StoredDocument>>;
  /** Fields a new record gets when the item leaves them out. */
  defaults: Record<string, unknown>;
  /** Set when an item may be merged into its stored record in SQL (patchInSql): the schema's keys and the statement that does it. */
  patchable?: {
    keys: { allowed: readonly string[]; required: readonly string[] };
    /** The fields a new record must have (required, without a default, not the key nor the id): an item with all of them may be new. */
    newNeeds: readonly string[];
    patch: typeof patchProductsBySku;
  };
}

/** Top-level keywords of a schema whose every rule is about one field (none spans two: no if/then, oneOf, dependencies). */
const PER_FIELD_KEYWORDS = new Set(['title', 'description', 'type', 'additionalProperties', 'properties', 'required']);
const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The keys of a document schema under which a stored record may take an item's fields in SQL,
 * without its whole document being read and validated in JavaScript; null when the schemas do not
 * allow it. They allow it when the document's rules are each about one field, no extra field is
 * allowed, every field is a scalar (so jsonb `@>` is equality) and the item checks each field by the
 * document's own rule: then a stored record that has exactly the schema's keys, merged with an item
 * that passed its schema, passes the document's schema.
 */
export function patchKeys(item: JsonSchema, doc: JsonSchema): { allowed: string[]; required: string[] } | null {
  const docProperties = (doc.properties ?? {}) as Record<string, { type?: unknown }>;
  const itemProperties = (item.properties ?? {}) as Record<string, unknown>;
  if (!Object.keys(doc).every((keyword) => PER_FIELD_KEYWORDS.has(keyword)) || doc.additionalProperties !== false || item.additionalProperties !== false) return null;
  if (!Object.values(docProperties).every((field) => typeof field.type === 'string' && SCALAR_TYPES.has(field.type))) return null;
  if (!Object.entries(itemProperties).every(([name, field]) => isDeepStrictEqual(field, docProperties[name]))) return null;
  return { allowed: Object.keys(docProperties), required: [...((doc.required ?? []) as string[])] };
}

function rowsToMap(rows: { id: string; seq: number; station_id: string | null; data: Record<string, unknown>; deleted: boolean; key: string }[]): Map<string, StoredDocument> {
  return new Map(rows.map((row) => [row.key, { id: row.id, seq: Number(row.seq), stationId: row.station_id, data: row.data, deleted: row.deleted }]));
}

/** Products: identified by sku; new ones start with no barcode, stock 0 and active. */
export const PRODUCT_UPSERT: UpsertKind = {
  collection: 'products',
  itemValidator: compileBodyValidator(productItemSchema),
  documentValidator: compileBodyValidator(documentSchema('products')),
  keyOf: (item) => naturalKeyOf('products', item),
  // One probe of documents_product_sku per sku (a lateral subquery with LIMIT): with `data ->> 'sku' =
  // ANY($2)` the planner read every product of the store instead (1,000 skus against 100,000 products:
  // 217–311 ms a call, growing with the catalogue; the probes take 11–28 ms). LIMIT 1 keeps its estimate
  // small, so PostgreSQL does not JIT-compile it (768 ms; an ORDER BY in the subquery brought that back).
  // The live product first, a deleted one only when none is live (a deleted product's sku may be reused):
  // the second probe runs only when the first finds nothing.
  loadByKeys: async (tx, storeId, items) =>
    rowsToMap(
      await tx.query(
        `SELECT d.id, d.seq, d.station_id, d.data, d.deleted, k.sku AS key
           FROM unnest($2::text[]) AS k(sku)
           CROSS JOIN LATERAL (
             (SELECT id, seq, station_id, data, deleted FROM documents
               WHERE store_id = $1 AND collection = 'products' AND data ->> 'sku' = k.sku AND NOT deleted
               LIMIT 1)
             UNION ALL
             (SELECT id, seq, station_id, data, deleted FROM documents
               WHERE store_id = $1 AND collection = 'products' AND data ->> 'sku' = k.sku AND deleted
               LIMIT 1)
             LIMIT 1
           ) d`,
        // Sorted: the probes then walk the index in order, touching each of its pages once (1,000,000 products: fewer cache misses).
        [storeId, [...new Set(items.map((item) => String(item.sku)))].sort()],
      ),
    ),
  defaults: { barcode: '', stock: 0, active: true },
};
const productKeys = patchKeys(productItemSchema, documentSchema('products'));
// A complete stored product has every required field: the defaults, all required, would add nothing to its merge.
if (productKeys && Object.keys(PRODUCT_UPSERT.defaults).every((field) => productKeys.required.includes(field))) {
  const newNeeds = productKeys.required.filter((field) => !(field in PRODUCT_UPSERT.defaults) && field !== 'id' && field !== 'sku');
  PRODUCT_UPSERT.patchable = { keys: productKeys, newNeeds, patch: patchProductsBySku };
}

/** Master records: identified by kind + code; new ones start active. */
export const MASTER_UPSERT: UpsertKind = {
  collection: 'masterdata',
  itemValidator: compileBodyValidator(masterItemSchema),
  documentValidator: compileBodyValidator(documentSchema('masterdata')),
  keyOf: (item) => naturalKeyOf('masterdata', item),
  loadByKeys: async (tx, storeId, items) =>
    // Live rows last: rowsToMap keeps the last row per key, so a live record wins over deleted ones of its code.
    rowsToMap(
      await tx.query(
        `SELECT d.id, d.seq, d.station_id, d.data, d.deleted, (d.data ->> 'kind') || ' ' || (d.data ->> 'code') AS key
           FROM documents d
           JOIN unnest($2::text[], $3::text[]) AS k(kind, code) ON d.data ->> 'kind' = k.kind AND d.data ->> 'code' = k.code
          WHERE d.store_id = $1 AND d.collection = 'masterdata'
          ORDER BY NOT d.deleted`,
        [storeId, items.map((item) => String(item.kind)), items.map((item) => String(item.code))],
      ),
    ),
  defaults: { active: true },
};

function errorsOf(validate: ValidateFunction, prefix: string): ItemError[] {
  return (validate.errors ?? []).map((error) => {
    const { field, message } = describeValidationError(error);
    return { pointer: `${prefix}${field === '/' ? '' : field}`, message };
  });
}

interface Candidate {
  index: number;
  doc: WireDocument;
  isNew: boolean;
}

/**
 * Upserts `items` (at most MAX_BATCH, checked by the route) of one kind; answers one result per item
 * in request order. Database refusals of single records come back from writeBatchIn's per-row
 * fallback as that item's error; anything else (a lost connection) fails the call and changes nothing.
 */
export async function batchUpsert(db: Database, kind: UpsertKind, writer: Writer, items: readonly unknown[]): Promise<BatchAnswer> {
  const results: ItemResult[] = items.map((_item, index) => ({ index, id: null, status: 'error' }));
  const fail = (index: number, errors: ItemError[]) => {
    results[index] = { index, id: results[index]!.id, status: 'error', errors };
  };
  const valid: { index: number; item: Record<string, unknown> }[] = [];
  const firstByKey = new Map<string, number>();
  items.forEach((item, index) => {
    if (!kind.itemValidator(item)) return fail(index, errorsOf(kind.itemValidator, `/items/${index}`));
    const record = item as Record<string, unknown>;
    const key = kind.keyOf(record);
    const earlier = firstByKey.get(key);
    if (earlier !== undefined) return fail(index, [{ pointer: `/items/${index}`, message: `The same record (${key}) is already item ${earlier} of this batch. Send each record once per call.` }]);
    firstByKey.set(key, index);
    valid.push({ index, item: record });
  });

  await db.transaction(async (tx) => {
    const last = await lockStoreSequence(tx, writer.storeId);
    // A batch of changes to live records by key is merged in SQL; any other batch is written below.
    const patched = await patchInSql(tx, kind, writer, last, valid, results);
    if (patched === 'done') return;
    const stored = patched === 'none stored' ? new Map<string, StoredDocument>() : await kind.loadByKeys(tx, writer.storeId, valid.map((entry) => entry.item));
    // A deleted record holds no key: an item naming another id takes its key (as PUT /api/v1/<collection>/{id} may) rather than reviving it.
    const byKey = (item: Record<string, unknown>): StoredDocument | undefined => {
      const found = stored.get(kind.keyOf(item));
      return found?.deleted && typeof item.id === 'string' && item.id !== found.id ? undefined : found;
    };
    // An item that names its id may change its key (a new sku for product X): it updates X, keeping X's other fields.
    const byId = await loadDocuments(tx, writer.storeId, kind.collection, valid.flatMap(({ item }) => (typeof item.id === 'string' && !byKey(item) ? [item.id] : [])));
    const candidates: Candidate[] = [];
    const idsSeen = new Map<string, number>();
    for (const { index, item } of valid) {
      const previous = byKey(item) ?? (typeof item.id === 'string' ? byId.get(item.id) : undefined);
      const id = previous?.id ?? (typeof item.id === 'string' ? item.id : randomUUID());
      results[index]!.id = id;
      if (previous && typeof item.id === 'string' && item.id !== previous.id) {
        fail(index, [{ pointer: `/items/${index}/id`, message: `${kind.keyOf(item)} is record ${previous.id}, not ${item.id}. Leave id out or send ${previous.id}.` }]);
        continue;
      }
      // An id naming a record of another kind (a station, the store's settings) is not this item's record.
      if (previous && kind.collection === 'masterdata' && previous.data.kind !== item.kind) {
        fail(index, [{ pointer: `/items/${index}/id`, message: `Record ${previous.id} is a ${String(previous.data.kind)}, not a ${String(item.kind)}. Leave id out or send the id of a ${String(item.kind)}.` }]);
        continue;
      }
      // The ids of the server's own records (assertOwnership refuses them for the whole request): this item's error here.
      if (kind.collection === 'masterdata' && isServerMasterId(id)) {
        fail(index, [{ pointer: `/items/${index}/id`, message: `Id ${id} is kept for the server's own records (store settings, supervisor codes, vouchers). Leave id out or choose another.` }]);
        continue;
      }
      if (idsSeen.has(id)) {
        fail(index, [{ pointer: `/items/${index}/id`, message: `Id ${id} is already item ${idsSeen.get(id)} of this batch.` }]);
        continue;
      }
      idsSeen.set(id, index);
      // A deleted record sent again comes back to life with the fields sent (and its old ones).
      // Object.assign, not spreads: spreading objects whose keys overlap left V8 with slow objects,
      // about 5 µs each to build and twice the time to validate (x1,000 a call). No key is `__proto__`:
      // the item passed its schema (no extra fields) and the stored data passed the document's.
      const doc: Record<string, unknown> = Object.assign({}, kind.defaults, previous?.data, item, { id });
      if (!kind.documentValidator(doc)) {
        fail(index, errorsOf(kind.documentValidator, `/items/${index}`));
        continue;
      }
      candidates.push({ index, doc: { ...doc, _deleted: false }, isNew: !previous || previous.deleted });
    }
    if (candidates.length === 0) return;
    // Every candidate's stored version (by key or by id) was read above under the lock: writeBatchIn need not read them again.
    const known = new Map([...stored.values(), ...byId.values()].map((doc) => [doc.id, doc]));
    const outcome = await writeBatchIn(tx, { storeId: writer.storeId, collection: kind.collection, checkConflicts: false, writer, validated: true, known }, candidates.map((candidate) => ({ newDocumentState: candidate.doc })));
    const written = new Set(outcome.written);
    const unchanged = new Set(outcome.unchanged);
    const refused = new Map(outcome.quarantined.map((entry) => [entry.id, entry.refusal]));
    for (const { index, doc, isNew } of candidates) {
      const id = String(doc.id);
      const refusal = refused.get(id);
      if (refusal) fail(index, [{ pointer: `/items/${index}`, message: `${refusal.message} (reason: ${refusal.reason}; kept in GET /api/sync/errors)` }]);
      else if (written.has(id)) results[index]!.status = isNew ? 'created' : 'updated';
      else if (unchanged.has(id)) results[index]!.status = 'unchanged';
    }
  });
  const summary = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const result of results) summary[result.status] += 1;
  return { results, summary };
}

/**
 * A batch whose every item changes some fields of a live record found by its key (no `id` sent, not
 * all the fields a new record needs: a price list, a stock count),
 * merged into the records by PostgreSQL (`data || item`, patchProductsBySku) when the kind is
 * `patchable`: the stored documents never cross to JavaScript. Equivalent to the general path for
 * such a batch: the same ownership rule, the same result per item ('updated', or 'unchanged' when the
 * record already holds every field sent, which writes nothing), sequence numbers in request order,
 * the records' open refusals settled. All or nothing, so that a mixed batch keeps its request order
 * too: when one item is new, names an id, finds a deleted record or one whose keys are not exactly
 * its schema's (which the general path reads and validates whole), when stock is sent while a
 * webhook subscription compares stock levels (its event carries the whole product), or when the
 * database refuses the write (rolled back to a savepoint), nothing is written here and the general
 * path writes the batch. Answers 'done', or 'none stored' (no item's key is stored: the general
 * path need not look them up), or 'general'.
 */
async function patchInSql(tx: Queryable, kind: UpsertKind, writer: Writer, last: number, entries: readonly { index: number; item: Record<string, unknown> }[], results: ItemResult[]): Promise<'done' | 'none stored' | 'general'> {
  const patchable = kind.patchable;
  if (!patchable || entries.length === 0 || entries.some(({ item }) => item.id !== undefined)) return 'general';
  // An item with every field a new record needs may well be new (a catalogue load): such batches go the general
  // way at once, rather than having every item probed and sent to PostgreSQL twice (+18 ms per 1,000 new products).
  if (entries.some(({ item }) => patchable.newNeeds.every((field) => item[field] !== undefined))) return 'general';
  if (entries.some(({ item }) => item.stock !== undefined) && (await subscribedTypes(tx, writer.storeId)).has('stock.below_level')) return 'general';
  let found: Map<string, PatchProbe>;
  try {
    found = await inSavepoint(tx, 'patch_batch', async () => {
      const outcome = await patchable.patch(tx, writer.storeId, last, entries.map(({ item }) => ({ sku: kind.keyOf(item), patch: item })), patchable.keys);
      await resolveQuarantine(tx, writer.storeId, kind.collection, [...outcome.found.values()].filter((probe) => probe.written).map((probe) => probe.id));
      return outcome.found;
    });
  } catch (error) {
    if (!isDocumentFault(error)) throw error;
    return 'general';
  }
  if (found.size === 0) return 'none stored';
  const probes = entries.map((entry) => ({ ...entry, probe: found.get(kind.keyOf(entry.item)) }));
  if (!probes.every(({ probe }) => probe && !probe.deleted && probe.complete)) return 'general';
  // The same rule as every write path (its refusal fails the call, so the transaction undoes the write above);
  // the stored versions matter only to station records and master kinds, which never come here.
  await assertOwnership(tx, writer, kind.collection, probes.map(({ item, probe }) => ({ ...item, id: probe!.id, _deleted: false })), new Map());
  for (const { index, probe } of probes) results[index] = { index, id: probe!.id, status: probe!.written ? 'updated' : 'unchanged' };
  return 'done';
}

/**
 * The HTTP answer of a batch: 200 with the per-item results when at least one item was accepted
 * (created, updated or unchanged); 422 when none was — nothing was written — with the first error as
 * the problem and the same per-item results beside it, so a retry after fixing is a new request.
 */
export function batchReply(answer: BatchAnswer): { status: number; body: unknown } {
  if (answer.summary.error < answer.results.length) return { status: 200, body: answer };
  const first = answer.results.find((result) => result.errors?.length)?.errors?.[0];
  const message = `No item of the batch was accepted (${answer.results.length} refused); each result names its errors. First: ${first?.pointer ?? '/items'} — ${first?.message ?? 'refused'}`;
  return { status: 422, body: { error: { code: 'validation_failed', message, field: first?.pointer ?? '/items' }, ...answer } };
}
