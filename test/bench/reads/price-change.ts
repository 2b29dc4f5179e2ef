/**
 * Issue 16: a price change of 10,000 products on the server reaching an open station (SSE → the
 * station's pull lane), measured in Node with the real sync client on RxDB's memory storage:
 * `npx tsx test/bench/reads/price-change.ts`. The station first syncs BENCH_PRICE_PRODUCTS (20,000)
 * products (streamed pull; its time is printed too), keeps its live stream open, then the ERP changes
 * the price of BENCH_PRICE_CHANGES (10,000) of them through POST /api/v1/products/batch, 1,000 a call.
 * Figures: from the first call to the last changed price stored on the station (priceChangeMs, target
 * ≤ 2 s), and from the last call's answer (what propagation adds to the server's write). The device
 * bench in Chromium (C's, `npm run bench`) measures the same path with IndexedDB storage.
 * BENCH_READ_DB=pglite|postgresql (default pglite; postgresql needs BALCAO_TEST_PG_URL). BENCH_PULL=paged: the
 * first sync page by page (as against an older server), to compare with the streamed pull.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { addRxPlugin, createRxDatabase, type RxCollection } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { COLLECTIONS } from '../../../sync/schema/index.ts';
import { conflictHandlerFor, migrationStrategiesFor, startSync } from '../../../sync/client/index.ts';
import { startServer } from '../../../sync/server/node/start.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';
import { positive, stepper } from '../harness.ts';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);
const step = stepper('bench price change');

async function post(url: string, token: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  await response.arrayBuffer();
}

async function main(): Promise<void> {
  const products = positive('BENCH_PRICE_PRODUCTS', 20_000);
  const changes = Math.min(products, positive('BENCH_PRICE_CHANGES', 10_000));
  const kind = process.env.BENCH_READ_DB === 'postgresql' ? 'postgresql' : 'pglite';
  const scratch = kind === 'postgresql' ? await createScratchDatabase() : null;
  const server = await startServer({ port: 0, ...(scratch ? { databaseUrl: scratch.url } : { dataDir: 'memory://' }), seedDemo: true, logLevel: 'warn', rateLimit: false });
  try {
    const login = (await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'admin', password: 'admin123' }) })).json()) as { token: string };
    const sku = (i: number) => `PRICE${String(i).padStart(7, '0')}`;
    const item = (i: number, priceCents: number) => ({ sku: sku(i), barcode: `4${String(i).padStart(12, '0')}`, name: `Produto ${i}`, unit: 'UN', priceCents, stock: 10, groupId: 'loja1-grp-hidraulica' });
    step(`${kind}: seeding ${products.toLocaleString('en-US')} products`);
    for (let start = 0; start < products; start += 1_000) {
      await post(`${server.url}/api/v1/products/batch`, login.token, { items: Array.from({ length: Math.min(1_000, products - start) }, (_v, k) => item(start + k, 1_000 + start + k)) });
    }

    const db = await createRxDatabase({ name: `price_${Date.now()}`, storage: getRxStorageMemory(), localDocuments: true });
    const cols = (await db.addCollections({ products: { schema: COLLECTIONS.products.schema, conflictHandler: conflictHandlerFor('products'), migrationStrategies: migrationStrategiesFor('products') } } as never)) as Record<string, RxCollection>;
    step('station: first sync');
    const syncStart = performance.now();
    // BENCH_PULL=paged: the station pulls page by page, as against a server without the stream route (for comparison).
    const paged = process.env.BENCH_PULL === 'paged';
    const withoutStream: typeof fetch = (input, init) => (String(input).includes('/pull-stream') ? Promise.resolve(new Response(null, { status: 404 })) : fetch(input, init));
    const engine = startSync({ serverUrl: server.url, collections: cols, getToken: () => login.token, ...(paged ? { fetch: withoutStream } : {}) });
    await engine.awaitInSync();
    const firstSyncMs = performance.now() - syncStart;
    const total = await cols.products!.count().exec();
    const online = performance.now();
    while (!engine.status.online && performance.now() - online < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));

    // Done when every changed product carries its new price on the station.
    const newPrice = (i: number) => 500_000 + i;
    let stored = 0;
    let doneAt = 0;
    const done = new Promise<void>((resolve) => {
      const wanted = new Map(Array.from({ length: changes }, (_v, i) => [sku(i), newPrice(i)]));
      cols.products!.$.subscribe((event) => {
        const doc = event.documentData as { sku?: string; priceCents?: number };
        if (doc.sku !== undefined && wanted.get(doc.sku) === doc.priceCents) {
          wanted.delete(doc.sku);
          stored++;
          if (wanted.size === 0) {
            doneAt = performance.now();
            resolve();
          }
        }
      });
    });
    step(`ERP: changing the price of ${changes.toLocaleString('en-US')} products, 1,000 a call`);
    const changeStart = performance.now();
    for (let start = 0; start < changes; start += 1_000) {
      await post(`${server.url}/api/v1/products/batch`, login.token, { items: Array.from({ length: Math.min(1_000, changes - start) }, (_v, k) => ({ sku: sku(start + k), priceCents: newPrice(start + k) })) });
    }
    const writtenAt = performance.now();
    const timeout = setTimeout(() => {
      process.stderr.write(`only ${stored} of ${changes} changes arrived within 60 s\n`);
      process.exit(1);
    }, 60_000);
    await done;
    clearTimeout(timeout);
    await engine.stop();
    await db.close();
    const round = (ms: number) => Math.round(ms);
    process.stdout.write(
      `Price change benchmark (issue 16) — npx tsx test/bench/reads/price-change.ts — ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n` +
        `${kind}: station first sync of ${total.toLocaleString('en-US')} products (${paged ? 'paged' : 'streamed'} pull, memory storage): ${round(firstSyncMs)} ms\n` +
        `${kind}: price change of ${changes.toLocaleString('en-US')} products: priceChangeMs ${round(doneAt - changeStart)} (first ERP call to the last price stored on the station; target ≤ 2,000); the server's writes ${round(writtenAt - changeStart)} ms, propagation after the last answer ${round(doneAt - writtenAt)} ms\n`,
    );
  } finally {
    await server.close();
    await scratch?.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Price change benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
