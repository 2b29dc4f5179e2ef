/**
 * Profiling aid (not part of `npm run bench`): where the server's write of an uploaded consumption batch
 * goes, without HTTP. `npx tsx test/bench/sheets/profile-consumption-write.ts [pglite|postgresql] [rows]`
 * writes `rows` (10,000) new consumption records through writeBatch as a device push does (5,000 a
 * batch), every query timed, and prints wall and CPU (this process: on PGlite the database's too) per batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../../sync/server/db/database.ts';
import { migrate } from '../../../sync/server/db/migrations.ts';
import { seedDemo } from '../../../sync/server/seed/seed.ts';
import { writeBatch, type WriteRow } from '../../../sync/server/sync/write-documents.ts';
import type { WireDocument } from '../../../sync/schema/index.ts';
import { withCpfCheckDigits } from '../../../sync/rules/tax-id.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';
import { timedDatabase } from '../integration/timed-database.ts';

const kind = process.argv[2] === 'postgresql' ? 'postgresql' : 'pglite';
const rows = Number(process.argv[3] ?? 10_000);
const scratch = kind === 'postgresql' ? await createScratchDatabase() : null;
// On disk as the server keeps it (PGLITE_DIR=memory:// for PGlite in memory): the commit's writes count.
const dataDir = scratch ? null : (process.env.PGLITE_DIR ?? mkdtempSync(join(tmpdir(), 'balcao-profile-consumption-')));
const db = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: dataDir! });
const asRows = (docs: Record<string, unknown>[]): WriteRow[] => docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false } as WireDocument, assumedMasterState: null }));
try {
  await migrate(db);
  await seedDemo(db);
  const writer = { storeId: 'loja1', userId: 'retaguarda', stationId: null, roles: ['backoffice'], via: 'sync' } as never;
  const options = (collection: 'customers' | 'backoffice' | 'consumption') => ({ storeId: 'loja1', collection, checkConflicts: true, writer, validated: true });
  const at = new Date().toISOString();
  await writeBatch(db, options('customers'), asRows(Array.from({ length: 50 }, (_, i) => ({ id: `cust-${i}`, name: `Cliente ${i}`, taxId: withCpfCheckDigits(String(400_000_000 + i)), active: true, updatedAt: at }))));
  await writeBatch(db, options('backoffice'), asRows([
    { id: 'svc-min', kind: 'service', code: 'MIN', name: 'Minutos', active: true, monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, updatedAt: at },
    ...Array.from({ length: 50 }, (_, i) => ({ id: `ct-${i}`, kind: 'contract', code: `CT-${i}`, customerId: `cust-${i}`, startDate: '2026-01-01', billingDay: 10, state: 'draft', history: [], lines: [{ id: `ct-${i}-l`, serviceId: 'svc-min', quantity: 1 }], updatedAt: at })),
  ]));
  const records = Array.from({ length: rows }, (_, i) => ({ id: `rec-${String(i).padStart(6, '0')}`, externalId: `EXT-${i}`, contractId: `ct-${i % 50}`, serviceId: 'svc-min', quantity: 1 + (i % 500), date: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`, description: `linha ${i}`, updatedAt: at }));
  for (let start = 0; start < rows; start += 5000) {
    const times: { ms: number; sql: string; params: unknown[] | undefined }[] = [];
    const timed = timedDatabase(db, (ms, sql, params) => times.push({ ms, sql, params }));
    const cpu = process.cpuUsage();
    const t = performance.now();
    const outcome = await writeBatch(timed, options('consumption'), asRows(records.slice(start, start + 5000)));
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    if (outcome.written.length !== Math.min(5000, rows - start)) throw new Error(JSON.stringify(outcome.quarantined.slice(0, 3)));
    const sqlMs = times.reduce((sum, entry) => sum + entry.ms, 0);
    console.log(`${kind} batch at ${start}: ${ms.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU, ${sqlMs.toFixed(0)} ms in SQL`);
    for (const entry of times) console.log(`  ${entry.ms.toFixed(1)} ms  ${entry.sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`);
    // EXPLAIN=<text>: the plan of the first statement that contains it, on the same data (rolled back).
    const explained = process.env.EXPLAIN ? times.find((entry) => entry.sql.includes(process.env.EXPLAIN!)) : undefined;
    if (explained) {
      await db.transaction(async (tx) => {
        const plan = await tx.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${explained.sql}`, explained.params);
        console.log(plan.map((line) => Object.values(line)[0]).join('\n'));
        throw new Error('rollback');
      }).catch((error: unknown) => {
        if ((error as Error).message !== 'rollback') throw error;
      });
    }
  }
} finally {
  await db.close();
  await scratch?.drop();
  if (dataDir?.startsWith(tmpdir())) rmSync(dataDir, { recursive: true, force: true });
}
