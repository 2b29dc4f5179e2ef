/**
 * `npx tsx test/bench/integration/price-change-layouts.ts [rounds]`: issue 16's price change (10 batches
 * of 1,000 products, one statement each in the shape of patchProductsBySku: a probe by sku, the update
 * by ctid) on a copy of the kept 1,000,000-product PGlite (seeded by price-change-stream.ts or
 * first-sync.ts), in three layouts of the documents table, each round from a fresh PGlite start (cold
 * buffers, as a server that just started). Each layout is a table freshly copied from the kept one's
 * rows (its earlier runs left dead versions and index entries there), so none starts with less bloat:
 * - `today`: the documents table's layout (sku and barcode expression indexes, an index on seq);
 * - `hot+feed exact`: sku and barcode as generated columns, fillfactor 85, no index on seq, so the update
 *   is HOT; the change feed in a table of its own, whose old entry of each changed product is deleted and
 *   a new one appended (the feed stays one entry per document, as documents_by_seq is);
 * - `hot+feed append`: the same, appending only (superseded entries left for a pruning pass to remove).
 * Prints each round's batches and total, and the HOT update count; then what the first sync's read of
 * 200,000 products costs in today's layout and through the feed. This is the experiment behind the
 * decision not to build the change-feed table yet (README, issue 16).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS } from '../../../sync/server/db/pglite.ts';

const ROUNDS = Number(process.argv[2] ?? 2);
const kept = join(tmpdir(), 'balcao_first_sync_1000000');
if (!existsSync(join(kept, 'PG_VERSION'))) throw new Error(`no kept database in ${kept}: run \`npx tsx test/bench/integration/price-change-stream.ts\` first (it seeds it)`);

type Layout = 'today' | 'hot+feed exact' | 'hot+feed append';
const work = mkdtempSync(join(tmpdir(), 'balcao-layouts-'));
const dataDir = join(work, 'db');
cpSync(kept, dataDir, { recursive: true });
const open = () => PGlite.create(dataDir, { startParams: [...PGLITE_START_PARAMS] });

try {
  const prep = await open();
  const started = performance.now();
  await prep.exec(`
    CREATE TABLE docs_hot (LIKE documents INCLUDING DEFAULTS,
      sku text GENERATED ALWAYS AS (CASE WHEN collection = 'products' THEN data ->> 'sku' END) STORED,
      barcode text GENERATED ALWAYS AS (CASE WHEN collection = 'products' THEN data ->> 'barcode' END) STORED) WITH (fillfactor = 85);
    INSERT INTO docs_hot SELECT * FROM documents;
    ALTER TABLE docs_hot ADD PRIMARY KEY (store_id, collection, id);
    CREATE INDEX docs_hot_sku ON docs_hot (store_id, sku) WHERE collection = 'products';
    CREATE INDEX docs_hot_barcode ON docs_hot (store_id, barcode) WHERE collection = 'products';
    CREATE TABLE docs_now (LIKE documents INCLUDING DEFAULTS);
    INSERT INTO docs_now SELECT * FROM documents;
    ALTER TABLE docs_now ADD PRIMARY KEY (store_id, collection, id);
    CREATE INDEX docs_now_seq ON docs_now (store_id, collection, seq);
    CREATE INDEX docs_now_sku ON docs_now (store_id, (data ->> 'sku')) WHERE collection = 'products';
    CREATE INDEX docs_now_barcode ON docs_now (store_id, (data ->> 'barcode')) WHERE collection = 'products';
    CREATE TABLE feed (store_id text, collection text, seq bigint, id text, PRIMARY KEY (store_id, collection, seq));
    INSERT INTO feed SELECT store_id, collection, seq, id FROM docs_hot ORDER BY seq;
    ANALYZE docs_now, docs_hot, feed;
    CHECKPOINT`);
  const [{ last }] = (await prep.query<{ last: number }>('SELECT max(seq)::int AS last FROM documents')).rows as [{ last: number }];
  await prep.close();
  console.log(`prepared a copy with both layouts in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  let offset = 11;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const layout of ['today', 'hot+feed exact', 'hot+feed append'] as Layout[]) {
      const db = await open();
      offset += 1; // other products each run, whose pages no earlier run of this table has touched
      const table = layout === 'today' ? 'docs_now' : 'docs_hot';
      const key = layout === 'today' ? "data ->> 'sku'" : 'sku';
      const feedWrites =
        layout === 'today'
          ? ''
          : `${layout === 'hot+feed exact' ? ", gone AS (DELETE FROM feed f USING probe p WHERE f.store_id = 'loja1' AND f.collection = 'products' AND f.seq = p.old)" : ''}
             , fed AS (INSERT INTO feed SELECT 'loja1', 'products', w.seq, w.id FROM written w)`;
      const batches: number[] = [];
      for (let batch = 0; batch < 10; batch += 1) {
        const skus = Array.from({ length: 1000 }, (_v, i) => `P${String(1 + (batch * 1000 + i) * 100 + offset).padStart(6, '0')}`);
        const patches = JSON.stringify(skus.map((sku, i) => ({ sku, priceCents: 9_000_000 + offset * 1_000 + i })));
        const sql = `WITH probe AS (
            SELECT k.sku, k.n, $2::jsonb -> (k.n - 1)::int AS patch, d.tid, d.id, d.old, d.deleted, d.data @> ($2::jsonb -> (k.n - 1)::int) AS same
              FROM unnest($1::text[]) WITH ORDINALITY AS k(sku, n)
              CROSS JOIN LATERAL (SELECT ctid AS tid, id, seq AS old, deleted, data FROM ${table} WHERE store_id = 'loja1' AND collection = 'products' AND ${key} = k.sku LIMIT 1) d
          ), changed AS (SELECT tid, patch, row_number() OVER (ORDER BY n) AS r FROM probe WHERE NOT deleted AND NOT same),
          written AS (UPDATE ${table} d SET seq = $3::bigint + c.r, data = d.data || c.patch, updated_at = now() FROM changed c WHERE d.ctid = c.tid RETURNING d.id, d.seq)
          ${feedWrites}
          SELECT count(*) AS count FROM written`;
        const at = performance.now();
        await db.transaction(async (tx) => {
          const [row] = (await tx.query<{ count: number }>(sql, [skus, patches, last + 1_000_000 * offset + batch * 1000])).rows;
          if (Number(row?.count) !== 1000) throw new Error(`${layout}: ${row?.count} of 1,000 products changed`);
        });
        batches.push(performance.now() - at);
      }
      await db.query('SELECT pg_stat_force_next_flush()');
      const [stats] = (await db.query<{ updates: number; hot: number }>(`SELECT n_tup_upd::int AS updates, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = '${table}'`)).rows;
      await db.close();
      const total = batches.reduce((sum, ms) => sum + ms, 0);
      console.log(`round ${round + 1}, ${layout.padEnd(15)}: ${total.toFixed(0).padStart(5)} ms for 10,000 (batches ${batches.map((ms) => ms.toFixed(0)).join(' ')}); HOT updates ${stats?.hot} of ${stats?.updates}`);
    }
  }
  // The other side of the trade: a first sync reads the store in sequence order, 5,000 documents a page
  // (readChangesPage's shape). By documents_by_seq today; through the feed, joined to each document by id.
  for (const layout of ['today', 'hot+feed append'] as Layout[]) {
    const db = await open();
    const page = (since: number) =>
      layout === 'today'
        ? `SELECT string_agg(doc, ',') AS docs, max(seq) AS last FROM (SELECT (data || jsonb_build_object('_deleted', deleted))::text AS doc, seq FROM docs_now
             WHERE store_id = 'loja1' AND collection = 'products' AND seq > ${since} ORDER BY seq LIMIT 5000) p`
        : `SELECT string_agg(doc, ',') AS docs, max(seq) AS last FROM (SELECT (d.data || jsonb_build_object('_deleted', d.deleted))::text AS doc, f.seq FROM feed f
             CROSS JOIN LATERAL (SELECT data, deleted, seq FROM docs_hot WHERE store_id = f.store_id AND collection = f.collection AND id = f.id LIMIT 1) d
             WHERE f.store_id = 'loja1' AND f.collection = 'products' AND f.seq > ${since} AND d.seq = f.seq ORDER BY f.seq LIMIT 5000) p`;
    // Through the feed, a plain join with `d.seq = f.seq` in its condition was estimated at one row and
    // planned as a scan of every product per page (267–460 s for these 40 pages); the lateral lookup by
    // primary key (LIMIT 1 keeps the planner from flattening it back into that join) is the plan a real feed would need.
    if (process.env.EXPLAIN_PAGE) console.log(((await db.query(`EXPLAIN ${page(0)}`)).rows as Record<string, string>[]).map((row) => row['QUERY PLAN']).join('\n'));
    let since = 0;
    const at = performance.now();
    for (let n = 0; n < 40; n += 1) since = Number((await db.query<{ last: number }>(page(since))).rows[0]!.last);
    console.log(`first sync's read of 200,000 products in pages of 5,000, ${layout.padEnd(15)}: ${(performance.now() - at).toFixed(0)} ms`);
    await db.close();
  }
  console.log('Reproduce: npx tsx test/bench/integration/price-change-layouts.ts [rounds]');
} finally {
  rmSync(work, { recursive: true, force: true });
}
