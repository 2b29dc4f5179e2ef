/**
 * `npx tsx test/bench/integration/profile-price-change.ts [pglite|postgresql] [products] [changes]`:
 * where a price change of `changes` EXISTING products (default 10,000, as issue 16's "price change
 * reaches a station" figure) goes on a store of `products` products (default 1,000,000), without HTTP:
 * batches of 1,000 `{sku, priceCents}` through batchUpsert, every query of the first and last batch
 * timed, with the plan (EXPLAIN ANALYZE) of the slowest statement of the first batch. Prints the
 * seeding time, the wall and CPU time per 1,000 (this process; on PGlite the database's too).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../../sync/server/db/database.ts';
import { migrate } from '../../../sync/server/db/migrations.ts';
import { seedDemo, seedProducts } from '../../../sync/server/seed/seed.ts';
import { batchUpsert, PRODUCT_UPSERT } from '../../../sync/server/integration/batch-upsert.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';
import { timedDatabase } from './timed-database.ts';

const kind = process.argv[2] === 'postgresql' ? 'postgresql' : 'pglite';
const products = Number(process.argv[3] ?? 1_000_000);
const changes = Number(process.argv[4] ?? 10_000);
const scratch = kind === 'postgresql' ? await createScratchDatabase() : null;
// DATA_DIR=<folder>: a PGlite folder on disk (e.g. a copy of first-sync.ts's kept /tmp/balcao_first_sync_1000000), not memory.
const db = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: process.env.DATA_DIR ?? 'memory://' });
try {
  await migrate(db);
  await seedDemo(db);
  let t = performance.now();
  const [{ held }] = (await db.query<{ held: number }>("SELECT count(*)::int AS held FROM documents WHERE store_id = 'loja1' AND collection = 'products'")) as [{ held: number }];
  if (held === products) {
    // Already seeded (a kept folder).
  } else if (process.env.FAST_SEED) {
    // FAST_SEED=1: one INSERT … generate_series (seconds, not the ~12 min of seedProducts at 1,000,000 on
    // PGlite); copies of p-00001 with their own id, sku, name and price, then ANALYZE as autovacuum would.
    await db.transaction(async (tx) => {
      const [{ count }] = await tx.query<{ count: number }>("SELECT count(*)::int AS count FROM documents WHERE store_id = 'loja1' AND collection = 'products'") as [{ count: number }];
      const [{ last }] = await tx.query<{ last: number }>("UPDATE store_seq SET last = last + $1 WHERE store_id = 'loja1' RETURNING last - $1 AS last", [products - count]) as [{ last: number }];
      await tx.query(
        `INSERT INTO documents (store_id, collection, id, seq, station_id, data, deleted, updated_at)
         SELECT 'loja1', 'products', 'p-' || lpad(g::text, greatest(5, length(g::text)), '0'), $2::bigint + g - $1::int, NULL,
                t.data || jsonb_build_object('id', 'p-' || lpad(g::text, greatest(5, length(g::text)), '0'), 'sku', 'P' || lpad(g::text, greatest(6, length(g::text)), '0'), 'name', 'Produto ' || g, 'priceCents', 100 + (g::bigint * 7919) % 49900),
                false, now()
           FROM generate_series($1::int + 1, $3::int) AS g,
                (SELECT data FROM documents WHERE store_id = 'loja1' AND collection = 'products' AND id = 'p-00001') AS t
         ON CONFLICT DO NOTHING`,
        [count, last, products],
      );
    });
    await db.query('ANALYZE documents');
  } else {
    await seedProducts(db, 'loja1', products);
  }
  const [{ n }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE store_id = 'loja1' AND collection = 'products'")) as [{ n: number }];
  console.log(`${kind}: seeded ${n} products in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const writer = { storeId: 'loja1', userId: 'admin', stationId: null, roles: ['admin'], via: 'api' } as never;
  const stride = Math.max(1, Math.floor(products / changes));
  const skus = await db.query<{ sku: string; price: number }>(
    "SELECT data ->> 'sku' AS sku, (data ->> 'priceCents')::int AS price FROM documents WHERE store_id = 'loja1' AND collection = 'products' AND id = ANY($1::text[])",
    [Array.from({ length: changes }, (_v, i) => `p-${String(1 + i * stride).padStart(5, '0')}`)],
  );
  const items = skus.map((row) => ({ sku: row.sku, priceCents: 100 + ((row.price + 137) % 49_900) }));
  let total = 0;
  let processMs = 0;
  for (let start = 0; start < items.length; start += 1000) {
    const times: { ms: number; sql: string; params: unknown[] | undefined }[] = [];
    const timed = timedDatabase(db, (ms, sql, params) => times.push({ ms, sql, params }));
    t = performance.now();
    const cpu = process.cpuUsage();
    const answer = await batchUpsert(timed, PRODUCT_UPSERT, writer, items.slice(start, start + 1000));
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    processMs += (used.user + used.system) / 1000;
    total += ms;
    if (answer.summary.updated !== Math.min(1000, items.length - start)) throw new Error(JSON.stringify(answer.summary));
    const first = start === 0;
    if (first || start + 1000 >= items.length) {
      console.log(`batch at ${start}: ${ms.toFixed(0)} ms`);
      for (const entry of times) console.log(`  ${entry.ms.toFixed(1)} ms  ${entry.sql.replace(/\s+/g, ' ').trim().slice(0, 110)}`);
    }
    if (first && process.env.EXPLAIN) {
      // EXPLAIN=1: the slowest statement; EXPLAIN=<text>: the first statement that contains it.
      const pattern = process.env.EXPLAIN === '1' ? null : process.env.EXPLAIN;
      const slowest = times.filter((entry) => /^\s*(SELECT|UPDATE|INSERT|WITH)/i.test(entry.sql) && (!pattern || entry.sql.includes(pattern))).sort((a, b) => b.ms - a.ms)[0]!;
      // Rolled back: the plan is measured on the same data, and nothing is written twice.
      await db.transaction(async (tx) => {
        const plan = await tx.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS, WAL) ${slowest.sql}`, slowest.params);
        console.log(plan.map((row) => String(Object.values(row)[0]).slice(0, 200)).join('\n'));
        throw Object.assign(new Error('rollback'), { rollback: true });
      }).catch((error: { rollback?: boolean }) => {
        if (!error.rollback) throw error;
      });
    }
  }
  console.log(`${kind}: ${items.length} price changes on ${products} products in ${(total / 1000).toFixed(2)} s; per 1,000: ${(total / (items.length / 1000)).toFixed(0)} ms wall, CPU of this process ${(processMs / (items.length / 1000)).toFixed(0)} ms`);
} finally {
  await db.close();
  await scratch?.drop();
}
