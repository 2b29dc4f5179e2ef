/**
 * The integration API's read paths (issue 12), alone and quickly: `npx tsx test/bench/reads/run.ts`.
 * Seeds BENCH_READ_PRODUCTS (100,000) products through the batch API, then measures the products
 * change feed from the beginning (5,000 a page; target ≤ 3 s) and single GET /api/v1/products/sku/:sku
 * from 50 concurrent clients on a thread of their own (closed loop: each sends its next GET when the
 * last answered; target p95 ≤ 15 ms). The same phases as test/bench/integration/run.ts (which also
 * measures the upsert), so a change to a read path can be measured without waiting for that one.
 * BENCH_READ_DB=pglite|postgresql (default: both when BALCAO_TEST_PG_URL is set).
 * Profile the server with `node --cpu-prof --import tsx test/bench/reads/run.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientsOnAThread } from '../concurrent-gets.ts';
import { measureFloor } from '../get-floor.ts';
import { startServer, type RunningServer } from '../../../sync/server/node/start.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';
import { positive, stepper } from '../harness.ts';

const step = stepper('bench reads');
const CLIENTS = 50;
const FEED_PAGE = 5_000;


const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round = (value: number) => Number(value.toFixed(2));

async function call(url: string, token: string, init: RequestInit = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- figures read from arbitrary JSON
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

async function measure(database: string, server: RunningServer, products: number, gets: number): Promise<string> {
  const login = await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'admin', password: 'admin123' }) })).json();
  const token = (login as { token: string }).token;
  const sku = (i: number) => `READ${String(i).padStart(7, '0')}`;
  step(`${database}: seeding ${products.toLocaleString('en-US')} products`);
  for (let start = 0; start < products; start += 1_000) {
    const items = Array.from({ length: Math.min(1_000, products - start) }, (_v, k) => {
      const i = start + k;
      return { sku: sku(i), barcode: `3${String(i).padStart(12, '0')}`, name: `Produto de leitura ${i}`, unit: 'UN', priceCents: 101 + ((i * 7_919) % 99_898), stock: 10 + (i % 90), groupId: 'loja1-grp-hidraulica' };
    });
    await call(`${server.url}/api/v1/products/batch`, token, { method: 'POST', body: JSON.stringify({ items }) });
  }
  step(`${database}: change feed`);
  const feedStart = performance.now();
  let rows = 0;
  let cursor = '';
  for (;;) {
    const page = await call(`${server.url}/api/v1/products/changes?limit=${FEED_PAGE}${cursor ? `&cursor=${cursor}` : ''}`, token);
    rows += page.items.length;
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  const feedSeconds = (performance.now() - feedStart) / 1000;
  step(`${database}: ${gets} GETs from ${CLIENTS} clients`);
  const paths = Array.from({ length: gets }, (_v, n) => `/api/v1/products/sku/${sku((n * 7_919) % products)}`);
  const alone = (await clientsOnAThread(server.url, token, paths.slice(0, 500), 1)).sort((a, b) => a - b);
  const started = performance.now();
  const latencies = (await clientsOnAThread(server.url, token, paths, CLIENTS)).sort((a, b) => a - b);
  const perSecond = Math.round(gets / ((performance.now() - started) / 1000));
  return `${database}: feed of ${rows.toLocaleString('en-US')} in ${round(feedSeconds)} s (target ≤ 3 s); GET by sku, ${CLIENTS} clients, ${gets} requests: p50 ${round(percentile(latencies, 50))} ms, p95 ${round(percentile(latencies, 95))} ms, p99 ${round(percentile(latencies, 99))} ms, ${perSecond}/s (target p95 ≤ 15 ms); alone p50 ${round(percentile(alone, 50))} ms`;
}

/**
 * The floor under the GET figure on this machine at this moment: a bare Node HTTP server that answers
 * every GET with one fixed product body (no routing, auth or database), met by the same 50 clients.
 * No server can answer these clients faster than this one; the API's p95 is judged against it.
 */
async function floor(gets: number): Promise<string> {
  const run = await measureFloor(gets, CLIENTS);
  const latencies = [...run.latencies].sort((x, y) => x - y);
  const perSecond = Math.round(gets / (run.wallMs / 1000));
  return `floor (bare Node HTTP server, fixed body, same clients): p50 ${round(percentile(latencies, 50))} ms, p95 ${round(percentile(latencies, 95))} ms, ${perSecond}/s`;
}

async function main(): Promise<void> {
  const products = positive('BENCH_READ_PRODUCTS', 100_000);
  const gets = positive('BENCH_READ_GETS', 5_000);
  const only = process.env.BENCH_READ_DB;
  const lines: string[] = [await floor(gets)];
  if (only !== 'postgresql') {
    const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-reads-'));
    try {
      const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'warn', rateLimit: false });
      try {
        lines.push(await measure('pglite', server, products, gets));
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (only !== 'pglite' && process.env.BALCAO_TEST_PG_URL) {
    const scratch = await createScratchDatabase();
    try {
      const server = await startServer({ port: 0, databaseUrl: scratch.url, seedDemo: true, logLevel: 'warn', rateLimit: false });
      try {
        lines.push(await measure('postgresql', server, products, gets));
      } finally {
        await server.close();
      }
    } finally {
      await scratch.drop();
    }
  }
  process.stdout.write(`Reads benchmark — npx tsx test/bench/reads/run.ts — ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Reads benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
