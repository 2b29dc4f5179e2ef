import type { CollectionName } from '../../schema/index.ts';
import { assertValidDocument } from '../validation/documents.ts';
import { enqueueDocumentEvents } from '../webhooks/document-events.ts';
import { jsonbParameter, type Queryable } from './database.ts';
import { saleInstantText } from './migration-016-sale-instant.ts';

/** A document as stored: its fields without `_deleted`, which lives in its own column. */
export interface StoredDocument {
  id: string;
  seq: number;
  stationId: string | null;
  data: Record<string, unknown>;
  deleted: boolean;
}

export interface DocumentWrite {
  id: string;
  stationId: string | null;
  data: Record<string, unknown>;
  deleted: boolean;
}

/** Reads only what a device may see: its store, and for station collections its own station. */
export interface ReadScope {
  storeId: string;
  collection: CollectionName;
  /** Set for 'station'-visible collections read by a non-admin. */
  stationId: string | null;
}

export const CHANGES_CHANNEL = 'balcao_changes';

export interface ChangeNotice {
  storeId: string;
  collection: CollectionName;
  seq: number;
}

/**
 * Documents after `since`, in sequence order, already serialised as wire JSON by PostgreSQL:
 * a 100,000-document pull then never parses and re-stringifies each document in Node.
 */
export async function readChangesJson(db: Queryable, scope: ReadScope, since: number, limit: number): Promise<{ json: string[]; lastSeq: number | null }> {
  const rows = await db.query<{ doc: string; seq: number }>(
    `SELECT (data || jsonb_build_object('_deleted', deleted))::text AS doc, seq
       FROM documents
      WHERE store_id = $1 AND collection = $2 AND seq > $3 AND ($4::text IS NULL OR station_id = $4)
      ORDER BY seq
      LIMIT $5`,
    [scope.storeId, scope.collection, since, scope.stationId, limit],
  );
  const last = rows.at(-1);
  return { json: rows.map((row) => row.doc), lastSeq: last ? Number(last.seq) : null };
}

/** Where a reader stands: a sequence number and the epoch it was issued in (absent from older devices). */
export interface ReadFrom {
  seq: number;
  epoch?: string | null;
}

export interface ChangesPage {
  /** The page as one JSON array, joined by PostgreSQL. */
  json: string;
  count: number;
  lastSeq: number | null;
  /** After the page: its last document's, or the (accepted) starting point's, with its epoch. */
  checkpoint: { seq: number; epoch: string };
  /** The starting point was not issued by this history (restored backup): the page starts from the beginning. */
  resync: boolean;
}

/**
 * The same page as readChangesJson, joined into one JSON array body by PostgreSQL: one result row
 * instead of one per document, which on PGlite roughly halves the server's CPU per pulled page.
 * A starting point this server never issued (past the store's last sequence number, or from an epoch
 * whose history ended before it, see migration-012-hardening.ts) is answered from the beginning, with `resync`.
 */
export async function readChangesPage(db: Queryable, scope: ReadScope, from: ReadFrom, limit: number): Promise<ChangesPage> {
  const [row] = await db.query<{ docs: string | null; count: number | string; last_seq: number | string | null; since: number | string; epoch: string }>(
    `WITH req AS (
       SELECT CASE WHEN $3::bigint = 0 OR ($3::bigint <= s.last AND ($6::text IS NULL OR balcao_epoch($1, $3::bigint) = $6)) THEN $3::bigint ELSE 0 END AS since
         FROM store_seq s WHERE s.store_id = $1
     ), page AS (
       SELECT (data || jsonb_build_object('_deleted', deleted))::text AS doc, seq
         FROM documents
        WHERE store_id = $1 AND collection = $2 AND seq > (SELECT since FROM req) AND ($4::text IS NULL OR station_id = $4)
        ORDER BY seq
        LIMIT $5
     )
     SELECT string_agg(page.doc, ',' ORDER BY page.seq) AS docs, count(*) AS count, max(page.seq) AS last_seq,
            coalesce((SELECT since FROM req), 0) AS since,
            balcao_epoch($1, coalesce(max(page.seq), (SELECT since FROM req), 0)) AS epoch
       FROM page`,
    [scope.storeId, scope.collection, from.seq, scope.stationId, limit, from.epoch ?? null],
  );
  const count = Number(row?.count ?? 0);
  const lastSeq = count > 0 && row?.last_seq !== null ? Number(row?.last_seq) : null;
  const since = Number(row?.since ?? 0);
  return {
    json: `[${row?.docs ?? ''}]`,
    count,
    lastSeq,
    checkpoint: { seq: lastSeq ?? since, epoch: row?.epoch ?? 'origin' },
    resync: since !== from.seq,
  };
}

/** How many documents of the scope lie after sequence number `since` (a streamed pull's progress). */
export async function countChangesAfter(db: Queryable, scope: ReadScope, since: number): Promise<number> {
  const [row] = await db.query<{ count: number | string }>(
    'SELECT count(*) AS count FROM documents WHERE store_id = $1 AND collection = $2 AND seq > $3 AND ($4::text IS NULL OR station_id = $4)',
    [scope.storeId, scope.collection, since, scope.stationId],
  );
  return Number(row?.count ?? 0);
}

/** A page as the pull and list routes answer it: `{documents, checkpoint, resync?}`, spliced without re-serialising. */
export function pageBody(page: ChangesPage): string {
  return `{"documents":${page.json},"checkpoint":${JSON.stringify(page.checkpoint)}${page.resync ? ',"resync":true' : ''}}`;
}

export async function maxSeq(db: Queryable, storeId: string, collection: CollectionName): Promise<number> {
  const rows = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM documents WHERE store_id = $1 AND collection = $2', [storeId, collection]);
  return Number(rows[0]?.seq ?? 0);
}

export async function loadDocuments(db: Queryable, storeId: string, collection: string, ids: readonly string[]): Promise<Map<string, StoredDocument>> {
  const found = new Map<string, StoredDocument>();
  if (ids.length === 0) return found;
  const rows = await db.query<{ id: string; seq: number; station_id: string | null; data: Record<string, unknown>; deleted: boolean }>(
    'SELECT id, seq, station_id, data, deleted FROM documents WHERE store_id = $1 AND collection = $2 AND id = ANY($3::text[])',
    [storeId, collection, [...new Set(ids)]],
  );
  for (const row of rows) found.set(row.id, { id: row.id, seq: Number(row.seq), stationId: row.station_id, data: row.data, deleted: row.deleted });
  return found;
}

/** Documents whose field at `path` (e.g. ['exchange', 'originalSaleId']) is one of `values`, by their id. */
export async function loadDocumentsByField(db: Queryable, storeId: string, collection: string, path: readonly string[], values: readonly string[]): Promise<Map<string, StoredDocument>> {
  const found = new Map<string, StoredDocument>();
  if (values.length === 0) return found;
  const rows = await db.query<{ id: string; seq: number; station_id: string | null; data: Record<string, unknown>; deleted: boolean }>(
    'SELECT id, seq, station_id, data, deleted FROM documents WHERE store_id = $1 AND collection = $2 AND data #>> $3::text[] = ANY($4::text[])',
    [storeId, collection, [...path], [...new Set(values)]],
  );
  for (const row of rows) found.set(row.id, { id: row.id, seq: Number(row.seq), stationId: row.station_id, data: row.data, deleted: row.deleted });
  return found;
}

/** Products by sku, through the documents_product_sku index (the path is literal so the planner can use it). */
export async function loadProductsBySku(db: Queryable, storeId: string, skus: readonly string[]): Promise<StoredDocument[]> {
  if (skus.length === 0) return [];
  const rows = await db.query<{ id: string; seq: number; station_id: string | null; data: Record<string, unknown>; deleted: boolean }>(
    "SELECT id, seq, station_id, data, deleted FROM documents WHERE store_id = $1 AND collection = 'products' AND data ->> 'sku' = ANY($2::text[])",
    [storeId, [...new Set(skus)]],
  );
  return rows.map((row) => ({ id: row.id, seq: Number(row.seq), stationId: row.station_id, data: row.data, deleted: row.deleted }));
}

/**
 * Locks the store's sequence counter until the transaction ends. Every writer of a store takes it
 * first, so writes (and their conflict checks) are serialised and commit in sequence order: a reader
 * that sees sequence N sees every sequence below it (test/server/sequence-visibility.test.ts).
 * Returns the store's last sequence number when the lock was taken.
 */
export async function lockStoreSequence(tx: Queryable, storeId: string): Promise<number> {
  const rows = await tx.query<{ last: number | string }>('SELECT last FROM store_seq WHERE store_id = $1 FOR UPDATE', [storeId]);
  if (rows.length === 0) throw new Error(`store ${storeId} has no sequence counter`);
  return Number(rows[0]!.last);
}

/**
 * Writes a batch set-based; call inside the transaction that holds the store's lock. Every document
 * must pass its collection's schema first (InvalidDocument otherwise), derived ones included:
 * whatever a device pulls, it could write back. `validated`: the caller's documents came through the
 * request validator of this collection unchanged, so they are not checked a second time. `stored`:
 * the ids of the batch that are stored already (read under the same lock), when the caller knows
 * them: new rows then go in with a plain INSERT and stored ones with an UPDATE, which PostgreSQL does
 * faster than an upsert (no speculative insertion); without it, one INSERT … ON CONFLICT.
 */
export async function writeDocuments(tx: Queryable, storeId: string, collection: CollectionName, writes: readonly DocumentWrite[], options: { validated?: boolean; stored?: ReadonlySet<string> } = {}): Promise<number | null> {
  if (writes.length === 0) return null;
  if (!options.validated) for (const write of writes) assertValidDocument(collection, write.id, write.data);
  await enqueueDocumentEvents(tx, storeId, collection, writes); // webhooks (API-02): before the write, it compares with what is stored
  const [counter] = await tx.query<{ last: number }>('UPDATE store_seq SET last = last + $2 WHERE store_id = $1 RETURNING last', [storeId, writes.length]);
  // The store's counter is what keeps documents to known stores (migration-016-documents-store-key.ts).
  if (!counter) throw new Error(`store ${storeId} has no sequence counter: no document is written for it`);
  const last = Number(counter.last);
  const first = last - writes.length + 1;
  // Each batch goes as one JSON array (one parameter PostgreSQL parses in C), not as text arrays: a
  // text[] parameter of JSON documents costs an escaping pass in JS and an array-literal parse.
  // A live sale's createdAt goes in its own column (migration-016-sale-instant.ts), checked here rather than per row by PostgreSQL.
  const sales = collection === 'sales';
  const rows = writes.map((write, index) => ({ i: write.id, q: first + index, s: write.stationId, d: write.data, x: write.deleted, ...(sales && !write.deleted ? { c: saleInstantText(write.data.createdAt) } : {}) }));
  // Typed columns straight out of the array (jsonb_to_recordset), rather than each element extracted and
  // then each field out of it (`value -> 'd'`, `(value -> 'q')::bigint`, …): a push of 5,000 new sales'
  // INSERT took 231–310 ms against 276–460 ms on PGlite (issue 16, `npx tsx test/bench/fleet/profile-push.ts
  // pglite 10000`, alternating runs). An absent key (`c` of a row that is not a live sale) reads as null.
  const elements = `jsonb_to_recordset($3::jsonb) AS w(i text, q bigint, s text, d jsonb, x boolean, c timestamptz)`;
  const columns = `w.i, w.q, w.s, w.d, w.x, now(), w.c`;
  const { stored } = options;
  if (!stored) {
    await tx.query(
      `INSERT INTO documents (store_id, collection, id, seq, station_id, data, deleted, updated_at, sale_created)
       SELECT $1, $2, ${columns} FROM ${elements}
       ON CONFLICT (store_id, collection, id) DO UPDATE
          SET seq = excluded.seq, station_id = excluded.station_id, data = excluded.data,
              deleted = excluded.deleted, updated_at = excluded.updated_at, sale_created = excluded.sale_created`,
      [storeId, collection, jsonbParameter(rows)],
    );
  } else {
    const fresh = rows.filter((row) => !stored.has(row.i));
    const changed = rows.filter((row) => stored.has(row.i));
    if (fresh.length > 0) {
      await tx.query(`INSERT INTO documents (store_id, collection, id, seq, station_id, data, deleted, updated_at, sale_created) SELECT $1, $2, ${columns} FROM ${elements}`, [storeId, collection, jsonbParameter(fresh)]);
    }
    if (changed.length > 0) {
      // `d.id = ANY($4)` keys the scan to the primary key whatever the statistics say. Without it, on a
      // table whose statistics are stale (PGlite runs no autovacuum: after a bulk load it believes the
      // store holds a few products), the planner hashed EVERY product of the store to join them with the
      // batch: 0.3–0.7 s per 1,000 at 100,000 products, ~6 s at 1,000,000 (issue 16's price change).
      await tx.query(
        `UPDATE documents d
            SET seq = w.q, station_id = w.s, data = w.d, deleted = w.x, updated_at = now(), sale_created = w.c
           FROM ${elements}
          WHERE d.store_id = $1 AND d.collection = $2 AND d.id = ANY($4::text[]) AND d.id = w.i`,
        [storeId, collection, jsonbParameter(changed), changed.map((row) => row.i)],
      );
    }
  }
  // Delivered by PostgreSQL only at commit, so listeners never read ahead of the data.
  const notice: ChangeNotice = { storeId, collection, seq: last };
  await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]);
  return last;
}

/** What a patch by sku found of its stored product, without its document crossing to JavaScript. */
export interface PatchProbe {
  id: string;
  deleted: boolean;
  /** The stored document already holds every field of the patch, equal (jsonb `@>`): nothing to write. */
  same: boolean;
  /** Its keys are exactly those the schema allows, with every required one: merging a valid patch keeps it valid. */
  complete: boolean;
  /** The patch was merged into it (live, complete and not the same): it has a new sequence number. */
  written: boolean;
}

/**
 * Merges each `{sku, patch}` into its stored product in one statement (`data || patch`), all or
 * none: only when every sku finds a live, `complete` product (one that has every required field, so
 * the batch upsert's defaults, all required, would add nothing). Patches that change nothing write
 * nothing. Otherwise nothing is written and the answer only reports what each sku found.
 * Call inside the transaction that holds the store's lock, with `last`, the store's sequence number
 * that lock returned: the written rows take the next ones in the order of `patches`, and the store's
 * counter moves past them in the same statement. One probe of documents_product_sku per sku (as
 * PRODUCT_UPSERT.loadByKeys), the update joined to the probed row by its ctid: no second index
 * lookup, and only a few columns cross to JavaScript (reading whole documents cost 31–74 ms per
 * 1,000, issue 16). The caller answers for validity: every field of each patch passed that field's
 * schema, in a schema whose fields are independent (no rule spans two fields); `keys` are the
 * schema's (`complete`: exactly the allowed keys, every required one among them).
 * Returns what each sku found, by sku (absent: no product has it), and the highest sequence number written.
 */
export async function patchProductsBySku(
  tx: Queryable,
  storeId: string,
  last: number,
  patches: readonly { sku: string; patch: Record<string, unknown> }[],
  keys: { allowed: readonly string[]; required: readonly string[] },
): Promise<{ found: Map<string, PatchProbe>; seq: number | null }> {
  if (patches.length === 0) return { found: new Map(), seq: null };
  // Sorted by sku: the probes walk the index in order (see PRODUCT_UPSERT.loadByKeys); `n` keeps the order of the sequence numbers.
  const order = patches.map((_entry, n) => n).sort((a, b) => (patches[a]!.sku < patches[b]!.sku ? -1 : patches[a]!.sku > patches[b]!.sku ? 1 : 0));
  // The skus as a text[] column, not read out of the JSON: compared with a plain column, the planner matches
  // documents_product_sku even when its statistics are stale (a fresh PGlite); with `value ->> 's'` it took
  // documents_product_barcode and filtered every product of the store for each sku (3 s for 1,000).
  const answer = await tx.query<{ sku: string; id: string; deleted: boolean; same: boolean; complete: boolean; written: boolean }>(
    `WITH probe AS (
       SELECT k.sku, k.n, $7::jsonb -> (k.i - 1)::int AS patch, d.tid, d.id, d.deleted, d.data @> ($7::jsonb -> (k.i - 1)::int) AS same,
              d.data ?& $4::text[] AND d.data - $3::text[] = '{}'::jsonb AS complete
         FROM unnest($2::text[], $8::int[]) WITH ORDINALITY AS k(sku, n, i)
         CROSS JOIN LATERAL (
           SELECT ctid AS tid, id, deleted, data FROM documents
            WHERE store_id = $1 AND collection = 'products' AND data ->> 'sku' = k.sku
            LIMIT 1
         ) d
     ), changed AS (
       SELECT tid, patch, row_number() OVER (ORDER BY n) AS r FROM probe
        WHERE NOT deleted AND complete AND NOT same AND (SELECT count(*) FROM probe WHERE NOT deleted AND complete) = $6
     ), written AS (
       UPDATE documents d SET seq = $5::bigint + c.r, data = d.data || c.patch, updated_at = now()
         FROM changed c
        WHERE d.ctid = c.tid
       RETURNING d.id
     ), counter AS (
       UPDATE store_seq SET last = $5::bigint + (SELECT count(*) FROM changed) WHERE store_id = $1 AND EXISTS (SELECT 1 FROM changed)
     )
     SELECT p.sku, p.id, p.deleted, p.same, p.complete, w.id IS NOT NULL AS written
       FROM probe p LEFT JOIN written w ON w.id = p.id`,
    [storeId, order.map((n) => patches[n]!.sku), [...keys.allowed], [...keys.required], last, patches.length, jsonbParameter(order.map((n) => patches[n]!.patch)), order],
  );
  const found = new Map(answer.map((row) => [row.sku, { id: row.id, deleted: row.deleted, same: row.same, complete: row.complete, written: row.written }]));
  const count = answer.filter((row) => row.written).length;
  const patchable = answer.filter((row) => !row.deleted && row.complete);
  const expected = patchable.length === patches.length ? patchable.filter((row) => !row.same).length : 0;
  // Under the store's lock every probed row is still there: a shortfall would leave a hole in the sequence, so it fails the call.
  if (count !== expected) throw new Error(`patchProductsBySku: ${count} of ${expected} products patched`);
  if (count === 0) return { found, seq: null };
  const notice: ChangeNotice = { storeId, collection: 'products', seq: last + count };
  await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]);
  return { found, seq: last + count };
}
