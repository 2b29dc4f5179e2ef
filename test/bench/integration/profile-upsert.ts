/**
 * `npx tsx test/bench/integration/profile-upsert.ts [pglite|postgresql] [products]`: where the batch
 * upsert's server time goes, without HTTP: batches of 1,000 new products through batchUpsert with
 * every query timed, printed for the first and the last batch (a cost that grows with the table shows),
 * and the CPU time per 1,000 of this process and of the PostgreSQL backend (steadier than wall time under load).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../../sync/server/db/database.ts';
import { migrate } from '../../../sync/server/db/migrations.ts';
import { seedDemo } from '../../../sync/server/seed/seed.ts';
import { batchUpsert, PRODUCT_UPSERT } from '../../../sync/server/integration/batch-upsert.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';
import { timedDatabase } from './timed-database.ts';

const kind = process.argv[2] === 'postgresql' ? 'postgresql' : 'pglite';

/** CPU milliseconds a local PostgreSQL backend has used (utime + stime of /proc/<pid>/stat): steadier than wall time on a loaded machine. */
function backendCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const products = Number(process.argv[3] ?? 20_000);
const scratch = kind === 'postgresql' ? await createScratchDatabase() : null;
const db = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: 'memory://' });
try {
  await migrate(db);
  await seedDemo(db);
  const [store] = await db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
  const writer = { storeId: store!.id, userId: 'admin', stationId: null, roles: ['admin'], via: 'api' } as never;
  const sku = (i: number) => `BENCH${String(i).padStart(7, '0')}`;
  let total = 0;
  let backendMs = 0;
  let processMs = 0;
  for (let start = 0; start < products; start += 1000) {
    const items = Array.from({ length: 1000 }, (_v, k) => {
      const i = start + k;
      return { sku: sku(i), barcode: `2${String(i).padStart(12, '0')}`, name: `Produto de bancada ${i}`, unit: 'UN', priceCents: 101 + ((i * 7_919) % 99_898), stock: 10 + (i % 90), groupId: 'loja1-grp-hidraulica' };
    });
    const times: string[] = [];
    const timed = timedDatabase(
      db,
      (ms, sql) => times.push(`  ${ms.toFixed(1)} ms  ${sql.replace(/\s+/g, ' ').trim().slice(0, 100)}`),
      async (tx, work) => {
        const [backend] = kind === 'postgresql' ? await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid') : [];
        const before = backend ? backendCpuMs(backend.pid) : 0;
        const result = await work();
        if (backend) backendMs += backendCpuMs(backend.pid) - before;
        return result;
      },
    );
    const t = performance.now();
    const cpu = process.cpuUsage();
    const answer = await batchUpsert(timed, PRODUCT_UPSERT, writer, items);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    processMs += (used.user + used.system) / 1000;
    total += ms;
    if (start % 10_000 === 0) console.log(`at ${start}: ${ms.toFixed(0)} ms, total ${(total / 1000).toFixed(2)} s`);
    if (answer.summary.created !== 1000) throw new Error(JSON.stringify(answer.results.find((r) => r.errors)));
    if (start === 0 || start + 1000 >= products) console.log(`batch at ${start}: ${ms.toFixed(0)} ms\n${times.join('\n')}`);
  }
  // CPU time is the steadier figure on a loaded machine: this process's (on PGlite the database's too) and PostgreSQL's backend.
  console.log(`${kind}: ${products} products in ${(total / 1000).toFixed(2)} s; CPU per 1,000: this process ${(processMs / (products / 1000)).toFixed(1)} ms${kind === 'postgresql' ? `, PostgreSQL backend ${(backendMs / (products / 1000)).toFixed(1)} ms` : ''}`);
} finally {
  await db.close();
  await scratch?.drop();
}
