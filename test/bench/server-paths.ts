/**
 * `npx tsx test/bench/server-paths.ts`: where the server's time goes on the two sync paths, without HTTP
 * or a browser: a whole-catalogue pull read page by page (one row per document vs one joined row per
 * page, as routes-sync.ts now does) and 5,000-customer pushes through writeBatch with each query timed.
 * BENCH_PRODUCTS sets the catalogue size (default 100,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Queryable } from '../../sync/server/db/database.ts';
import { readChangesJson, readChangesPage, type ReadScope } from '../../sync/server/db/documents.ts';
import { migrate } from '../../sync/server/db/migrations.ts';
import { seedDemo, seedProducts } from '../../sync/server/seed/seed.ts';
import { writeBatchIn } from '../../sync/server/sync/write-documents.ts';
import { withCpfCheckDigits } from '../../sync/rules/tax-id.ts';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const PAGE = 5000;

async function pullAll(read: (since: number) => Promise<{ count: number; lastSeq: number | null }>): Promise<{ docs: number; ms: number }> {
  const started = performance.now();
  let since = 0;
  let docs = 0;
  for (;;) {
    const page = await read(since);
    docs += page.count;
    if (page.count < PAGE || page.lastSeq === null) break;
    since = page.lastSeq;
  }
  return { docs, ms: Math.round(performance.now() - started) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'balcao-server-paths-'));
const db = await openDatabase({ dataDir });
try {
  await migrate(db);
  await seedDemo(db);
  await seedProducts(db, 'loja1', PRODUCTS);
  const [store] = await db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
  const scope: ReadScope = { storeId: store!.id, collection: 'products', stationId: null };
  for (let round = 1; round <= 2; round++) {
    const perRow = await pullAll(async (since) => {
      const { json, lastSeq } = await readChangesJson(db, scope, since, PAGE);
      return { count: json.length, lastSeq };
    });
    const joined = await pullAll((since) => readChangesPage(db, scope, { seq: since }, PAGE));
    console.log(`pull round ${round}: ${perRow.docs} products — one row per document ${perRow.ms} ms, one joined row per page ${joined.ms} ms`);
  }
  const now = new Date().toISOString();
  for (let round = 0; round < 3; round++) {
    const rows = Array.from({ length: PAGE }, (_, index) => {
      const n = round * PAGE + index;
      const doc = { id: `paths-${n}`, name: `Cliente ${n}`, taxId: withCpfCheckDigits(String(300_000_000 + n)), city: 'São Paulo', active: true, updatedAt: now, _deleted: false };
      return { newDocumentState: doc };
    });
    const times: string[] = [];
    const started = performance.now();
    await db.transaction(async (tx) => {
      const timed: Queryable = {
        async query(sql, params) {
          const queryStarted = performance.now();
          try {
            return await tx.query(sql, params);
          } finally {
            times.push(`  ${Math.round(performance.now() - queryStarted)} ms  ${sql.replace(/\s+/g, ' ').trim().slice(0, 80)}`);
          }
        },
      };
      await writeBatchIn(timed, { storeId: store!.id, collection: 'customers', checkConflicts: true, sourceStationId: null, writer: 'server' }, rows);
    });
    console.log(`push round ${round + 1}: ${PAGE} customers in ${Math.round(performance.now() - started)} ms\n${times.join('\n')}`);
  }
} finally {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
