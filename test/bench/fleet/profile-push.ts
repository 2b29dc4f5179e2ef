/**
 * `npx tsx test/bench/fleet/profile-push.ts [pglite|postgresql] [sales]`: where a sales push spends the
 * server's time, without HTTP: batches of 5,000 new sales of station cx01 through writeBatchIn, each
 * query timed, and the JavaScript between queries as the rest. DROP_INDEX=<name> drops an index first;
 * OLD_INDEX=1 puts back the balcao_instant index migration 1610 replaced, OLD_FK=1 the foreign key to stores
 * migration 1611 dropped (before/after on one machine).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Queryable } from '../../../sync/server/db/database.ts';
import { migrate } from '../../../sync/server/db/migrations.ts';
import { seedDemo } from '../../../sync/server/seed/seed.ts';
import { writeBatchIn } from '../../../sync/server/sync/write-documents.ts';
import { createScratchDatabase } from '../../server/support/scratch-database.ts';

const kind = process.argv[2] === 'postgresql' ? 'postgresql' : 'pglite';

/** CPU milliseconds a local PostgreSQL backend has used (utime + stime of /proc/<pid>/stat): steadier than wall time on a loaded machine. */
function backendCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const total = Number(process.argv[3] ?? 10_000);
const scratch = kind === 'postgresql' ? await createScratchDatabase() : null;
const db = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: 'memory://' });
try {
  await migrate(db);
  await seedDemo(db);
  if (process.env.DROP_INDEX) await db.query(`DROP INDEX ${process.env.DROP_INDEX}`);
  // OLD_INDEX=1: the index as it was before migration 1610, for a before/after comparison on one machine.
  if (process.env.OLD_INDEX) {
    await db.query('DROP INDEX documents_sales_created');
    await db.query("CREATE INDEX documents_sales_created ON documents (store_id, balcao_instant(data ->> 'createdAt')) WHERE collection = 'sales' AND NOT deleted");
  }
  if (process.env.OLD_FK) await db.query('ALTER TABLE documents ADD CONSTRAINT documents_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores(id)');
  const [store] = await db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
  const products = (await db.query<{ id: string; price: string }>("SELECT id, data ->> 'priceCents' AS price FROM documents WHERE store_id = $1 AND collection = 'products' AND data ->> 'unit' = 'UN' ORDER BY id LIMIT 500", [store!.id])).map((row) => ({ id: row.id, priceCents: Number(row.price) }));
  const writer = { storeId: store!.id, userId: 'loja1-caixa', roles: ['cashier'], stationId: 'loja1-cx01', via: 'sync' } as const;
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  for (let start = 0; start < total; start += 5000) {
    const rows = Array.from({ length: Math.min(5000, total - start) }, (_v, n) => {
      const k = start + n;
      const items = Array.from({ length: 1 + (k % 3) }, (_w, j) => {
        const product = products[(k * 31 + j * 131) % products.length]!;
        const quantity = 1 + ((k + j) % 3);
        return { productId: product.id, quantity, unitPriceCents: product.priceCents, discountCents: 0, totalCents: quantity * product.priceCents };
      });
      const totalCents = items.reduce((sum, item) => sum + item.totalCents, 0);
      const sale = { id: `prof-${k}`, stationId: 'loja1-cx01', number: k + 1, userId: 'loja1-caixa', sellerId: 'loja1-seller-v01', createdAt, items, payments: [{ paymentTypeId: 'loja1-paymentType-dinheiro', amountCents: totalCents }], subtotalCents: totalCents, discountCents: 0, totalCents, changeCents: 0, status: 'finished', _deleted: false };
      return { newDocumentState: sale, assumedMasterState: null };
    });
    const times: string[] = [];
    let inQueries = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const backend = { ms: null as number | null };
    const outcome = await db.transaction(async (tx) => {
      const [connection] = kind === 'postgresql' ? await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid') : [];
      const before = connection ? backendCpuMs(connection.pid) : 0;
      const timed: Queryable = {
        async query(sql, params) {
          const t = performance.now();
          try {
            return await tx.query(sql, params);
          } finally {
            const ms = performance.now() - t;
            inQueries += ms;
            times.push(`  ${ms.toFixed(1)} ms  ${sql.replace(/\s+/g, ' ').trim().slice(0, 110)}`);
          }
        },
      };
      const written = await writeBatchIn(timed, { storeId: store!.id, collection: 'sales', checkConflicts: true, sourceStationId: 'loja1-cx01', writer, validated: true }, rows);
      if (connection) backend.ms = backendCpuMs(connection.pid) - before;
      return written;
    });
    const ms = performance.now() - started;
    const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
    if (outcome.quarantined.length > 0) throw new Error(JSON.stringify(outcome.quarantined[0]));
    console.log(`${kind} push of ${rows.length} sales at ${start}: ${ms.toFixed(0)} ms (queries ${inQueries.toFixed(0)} ms, JavaScript ${(ms - inQueries).toFixed(0)} ms; this process's CPU ${cpuMs.toFixed(0)} ms, which on PGlite includes the database${backend.ms !== null ? `; PostgreSQL backend CPU ${backend.ms.toFixed(0)} ms` : ''})\n${times.join('\n')}`);
  }
  // What a stored sale costs on disk (table, its TOAST and every index of documents), for the README's scaling plan.
  const [size] = await db.query<{ bytes: string; sales: string; all: string }>("SELECT pg_total_relation_size('documents') AS bytes, count(*) FILTER (WHERE collection = 'sales') AS sales, count(*) AS all FROM documents");
  console.log(`documents: ${size!.all} rows (${size!.sales} sales), ${(Number(size!.bytes) / 1024 / 1024).toFixed(1)} MB with indexes`);
} finally {
  await db.close();
  await scratch?.drop();
}
