/**
 * The integration API benchmark (issue 12), part of `npm run bench`; alone: `npx tsx test/bench/integration/run.ts`.
 * A real server over loopback HTTP, signed in as the store admin (as the ERP is today), on PGlite in a
 * temp folder and — when BALCAO_TEST_PG_URL is set — on a scratch PostgreSQL database. Phases:
 * 1. batch upsert of BENCH_API_PRODUCTS (100,000) new products through POST /api/v1/products/batch,
 *    1,000 a call, one call after another (target ≤ 10 s);
 * 1b. a price change of BENCH_API_PRICE_CHANGES (10,000) of those products, 1,000 `{sku, priceCents}` a call (issue 16:
 *    the server's part of "a price change of 10,000 products reaches an open station in ≤ 2 s"; target ≤ 1 s);
 * 2. the products change feed from the beginning to the end, 5,000 a page (target ≤ 3 s);
 * 3. single GET /api/v1/products/sku/:sku from 50 concurrent clients, p95 latency (target ≤ 15 ms), with CPU ms per
 *    GET of the server, PostgreSQL and the clients; first the floor: the same clients against a bare node:http
 *    server (get-floor.ts). BENCH_API_GETS (5,000) GETs; on a loaded machine judge by CPU per GET and the floor.
 * BENCH_INTEGRATION=0 skips it. Figures: test-results/bench-integration.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { concurrentGets } from '../concurrent-gets.ts';
import { measureFloor, type FloorRun } from '../get-floor.ts';
import { startServer, type RunningServer } from '../../../sync/server/node/start.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';
import { positive, stepper, writeFigures } from '../harness.ts';
import { databaseCpuBetween, readDatabaseCpu } from '../fleet/database-cpu.ts';

const COMMAND = 'npx tsx test/bench/integration/run.ts (or npm run bench, which runs it after the sync and POS benches)';
const resultFile = fileURLToPath(new URL('../../../test-results/bench-integration.json', import.meta.url));
const TARGETS = { upsertSeconds: 10, priceChangeSeconds: 1, feedSeconds: 3, getP95Ms: 15 };
const BATCH = 1_000;
const FEED_PAGE = 5_000;
const CLIENTS = 50;

const step = stepper('bench integration');

interface KindResult {
  database: string;
  products: number;
  upsertSeconds: number;
  upsertPerSecond: number;
  /**
   * CPU seconds of the upsert phase: this process (the server and the client calling it; on PGlite the
   * database too) and PostgreSQL's backends (null on PGlite). The calls run one after another, so on an
   * idle machine the phase takes about their sum; under load the wall time grows, the CPU time does not.
   */
  upsertProcessCpuSeconds: number;
  upsertDatabaseCpuSeconds: number | null;
  /** Phase 1b: how many products changed price, the wall time of the calls, and their CPU as for the upsert. */
  priceChanges: number;
  priceChangeSeconds: number;
  priceChangeProcessCpuSeconds: number;
  priceChangeDatabaseCpuSeconds: number | null;
  feedSeconds: number;
  feedRows: number;
  getRequests: number;
  getP50Ms: number;
  getP95Ms: number;
  getP99Ms: number;
  /** p50 of one client alone: the server's time per request without queueing. */
  getAloneP50Ms: number;
  /** GETs answered per second while the 50 clients ran. */
  getPerSecond: number;
  /**
   * CPU ms per GET: this process (the server alone: the clients run in a process of their own; on PGlite
   * the database too), PostgreSQL's backends (null on PGlite; 10 ms ticks summed over the run), the clients.
   */
  getServerCpuMsPerGet: number;
  getDatabaseCpuMsPerGet: number | null;
  getClientCpuMsPerGet: number;
}

async function json(url: string, init: RequestInit & { token: string }): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- figures read from arbitrary JSON
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${init.token}`, ...(init.headers as Record<string, string> | undefined) } });
  return { status: response.status, body: await response.json() };
}


function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function measure(database: string, server: RunningServer, products: number, getRequests: number, priceChanges: number, databaseUrl?: string): Promise<KindResult> {
  const login = await json(`${server.url}/api/auth/login`, { method: 'POST', token: '', body: JSON.stringify({ storeCode: 'loja1', userCode: 'admin', password: 'admin123' }) });
  const token = login.body.token as string;
  const sku = (i: number) => `BENCH${String(i).padStart(7, '0')}`;

  step(`${database}: 1. upserting ${products.toLocaleString('en-US')} products, ${BATCH} a call`);
  const databaseCpu = () => (databaseUrl ? readDatabaseCpu(databaseUrl) : Promise.resolve(null));
  const upsertDatabaseCpu = await databaseCpu();
  const upsertCpu = process.cpuUsage();
  const upsertStart = performance.now();
  for (let start = 0; start < products; start += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, products - start) }, (_v, k) => {
      const i = start + k;
      return { sku: sku(i), barcode: `2${String(i).padStart(12, '0')}`, name: `Produto de bancada ${i}`, unit: 'UN', priceCents: 101 + ((i * 7_919) % 99_898), stock: 10 + (i % 90), groupId: 'loja1-grp-hidraulica' };
    });
    const answer = await json(`${server.url}/api/v1/products/batch`, { method: 'POST', token, body: JSON.stringify({ items }) });
    if (answer.status !== 200 || answer.body.summary.created !== items.length) throw new Error(`batch at ${start}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const upsertSeconds = (performance.now() - upsertStart) / 1000;
  const upsertCpuUsed = process.cpuUsage(upsertCpu);
  const upsertDatabaseCpuSeconds = databaseCpuBetween(upsertDatabaseCpu, await databaseCpu());

  const changes = Math.min(priceChanges, products);
  step(`${database}: 1b. changing the price of ${changes.toLocaleString('en-US')} of them by sku, ${BATCH} a call`);
  // Spread over the catalogue (every stride-th product), as a supplier's price list would be.
  const stride = Math.max(1, Math.floor(products / changes));
  const priceDatabaseCpu = await databaseCpu();
  const priceCpu = process.cpuUsage();
  const priceStart = performance.now();
  for (let start = 0; start < changes; start += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, changes - start) }, (_v, k) => {
      const i = (start + k) * stride;
      return { sku: sku(i), priceCents: 102 + ((i * 7_919) % 99_898) };
    });
    const answer = await json(`${server.url}/api/v1/products/batch`, { method: 'POST', token, body: JSON.stringify({ items }) });
    if (answer.status !== 200 || answer.body.summary.updated !== items.length) throw new Error(`price change at ${start}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  const priceChangeSeconds = (performance.now() - priceStart) / 1000;
  const priceCpuUsed = process.cpuUsage(priceCpu);
  const priceChangeDatabaseCpuSeconds = databaseCpuBetween(priceDatabaseCpu, await databaseCpu());

  step(`${database}: 2. reading the change feed from the beginning, ${FEED_PAGE} a page`);
  const feedStart = performance.now();
  let feedRows = 0;
  let cursor = '';
  for (;;) {
    const page = await json(`${server.url}/api/v1/products/changes?limit=${FEED_PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { method: 'GET', token });
    feedRows += page.body.items.length;
    cursor = page.body.nextCursor;
    if (!page.body.hasMore) break;
  }
  const feedSeconds = (performance.now() - feedStart) / 1000;
  if (feedRows < products) throw new Error(`the feed returned ${feedRows} rows, fewer than the ${products} upserted`);

  step(`${database}: 3. ${getRequests.toLocaleString('en-US')} single GETs by sku from ${CLIENTS} concurrent clients`);
  // The clients run in a process of their own (concurrent-gets.ts), so this process's CPU time is the server's.
  const paths = Array.from({ length: getRequests }, (_v, n) => `/api/v1/products/sku/${sku((n * 7_919) % products)}`);
  // One client alone first: the server's own time per request, without queueing.
  const alone = (await concurrentGets(server.url, token, paths.slice(0, 500), 1)).latencies;
  const getDatabaseCpu = await databaseCpu();
  const getCpu = process.cpuUsage();
  const gets = await concurrentGets(server.url, token, paths, CLIENTS);
  const getCpuUsed = process.cpuUsage(getCpu);
  const getDatabaseCpuSeconds = databaseCpuBetween(getDatabaseCpu, await databaseCpu());
  const latencies = gets.latencies;
  const round = (value: number, digits = 2) => Number(value.toFixed(digits));
  return {
    database,
    products,
    upsertSeconds: round(upsertSeconds),
    upsertPerSecond: Math.round(products / upsertSeconds),
    upsertProcessCpuSeconds: round((upsertCpuUsed.user + upsertCpuUsed.system) / 1e6),
    upsertDatabaseCpuSeconds,
    priceChanges: changes,
    priceChangeSeconds: round(priceChangeSeconds),
    priceChangeProcessCpuSeconds: round((priceCpuUsed.user + priceCpuUsed.system) / 1e6),
    priceChangeDatabaseCpuSeconds,
    feedSeconds: round(feedSeconds),
    feedRows,
    getRequests,
    getP50Ms: round(percentile(latencies, 50)),
    getP95Ms: round(percentile(latencies, 95)),
    getP99Ms: round(percentile(latencies, 99)),
    getAloneP50Ms: round(percentile(alone, 50)),
    getPerSecond: Math.round(getRequests / (gets.wallMs / 1000)),
    getServerCpuMsPerGet: round((getCpuUsed.user + getCpuUsed.system) / 1000 / getRequests, 3),
    getDatabaseCpuMsPerGet: getDatabaseCpuSeconds === null ? null : round((getDatabaseCpuSeconds * 1000) / getRequests, 3),
    getClientCpuMsPerGet: round(gets.clientCpuMs / getRequests, 3),
  };
}

function report(results: readonly KindResult[], floor: FloorFigures): string {
  const lines = [
    `Integration API benchmark (issue 12) — ${COMMAND}`,
    `machine: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `floor (a bare node:http server answering a fixed body, the same ${CLIENTS} clients): p50 ${floor.p50Ms} ms, p95 ${floor.p95Ms} ms, ${floor.perSecond.toLocaleString('en-US')}/s; CPU per GET: server ${floor.serverCpuMsPerGet} ms, clients ${floor.clientCpuMsPerGet} ms`,
  ];
  for (const r of results) {
    const mark = (met: boolean) => (met ? 'met' : 'MISSED');
    lines.push(
      `${r.database}: batch upsert of ${r.products.toLocaleString('en-US')} products: ${r.upsertSeconds} s (${r.upsertPerSecond.toLocaleString('en-US')}/s; target ≤ ${TARGETS.upsertSeconds} s, ${mark(r.upsertSeconds <= TARGETS.upsertSeconds)}); CPU: this process (server and client) ${r.upsertProcessCpuSeconds} s${r.upsertDatabaseCpuSeconds !== null ? `, PostgreSQL backends ${r.upsertDatabaseCpuSeconds} s` : ''}`,
      `${r.database}: price change of ${r.priceChanges.toLocaleString('en-US')} of them by sku: ${r.priceChangeSeconds} s (target ≤ ${TARGETS.priceChangeSeconds} s, ${mark(r.priceChangeSeconds <= TARGETS.priceChangeSeconds)}); CPU: this process (server and client) ${r.priceChangeProcessCpuSeconds} s${r.priceChangeDatabaseCpuSeconds !== null ? `, PostgreSQL backends ${r.priceChangeDatabaseCpuSeconds} s` : ''}`,
      `${r.database}: change feed of ${r.feedRows.toLocaleString('en-US')} products: ${r.feedSeconds} s (target ≤ ${TARGETS.feedSeconds} s, ${mark(r.feedSeconds <= TARGETS.feedSeconds)})`,
      `${r.database}: GET by sku, ${CLIENTS} concurrent clients, ${r.getRequests.toLocaleString('en-US')} requests: p50 ${r.getP50Ms} ms, p95 ${r.getP95Ms} ms, p99 ${r.getP99Ms} ms, ${r.getPerSecond.toLocaleString('en-US')}/s (target p95 ≤ ${TARGETS.getP95Ms} ms, ${mark(r.getP95Ms <= TARGETS.getP95Ms)}); one client alone: p50 ${r.getAloneP50Ms} ms; ` +
        `CPU per GET: server ${r.getServerCpuMsPerGet} ms${r.getDatabaseCpuMsPerGet !== null ? `, PostgreSQL backends ${r.getDatabaseCpuMsPerGet} ms` : ''}, clients ${r.getClientCpuMsPerGet} ms`,
    );
  }
  return lines.join('\n');
}

interface FloorFigures {
  p50Ms: number;
  p95Ms: number;
  perSecond: number;
  serverCpuMsPerGet: number;
  clientCpuMsPerGet: number;
}

function summarizeFloor(run: FloorRun, gets: number): FloorFigures {
  const round = (value: number, digits = 2) => Number(value.toFixed(digits));
  return {
    p50Ms: round(percentile(run.latencies, 50)),
    p95Ms: round(percentile(run.latencies, 95)),
    perSecond: Math.round(gets / (run.wallMs / 1000)),
    serverCpuMsPerGet: round(run.serverCpuMs / gets, 3),
    clientCpuMsPerGet: round(run.clientCpuMs / gets, 3),
  };
}

/** Runs the benchmark; resolves to the exit code (1 when a phase failed; missed targets are findings, not failures). */
export async function runIntegrationBench(): Promise<number> {
  if (process.env.BENCH_INTEGRATION === '0') return 0;
  const products = positive('BENCH_API_PRODUCTS', 100_000);
  const getRequests = positive('BENCH_API_GETS', 5_000);
  const priceChanges = positive('BENCH_API_PRICE_CHANGES', 10_000);
  const results: KindResult[] = [];
  step(`floor: ${getRequests.toLocaleString('en-US')} GETs of a bare node:http server from ${CLIENTS} clients`);
  const floor = summarizeFloor(await measureFloor(getRequests, CLIENTS), getRequests);
  // BENCH_API_DB=pglite or postgresql runs one kind only (profiling one database at a time).
  const only = process.env.BENCH_API_DB;
  const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-api-'));
  if (only !== 'postgresql') try {
    const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'warn', rateLimit: false });
    try {
      results.push(await measure('pglite', server, products, getRequests, priceChanges));
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (process.env.BALCAO_TEST_PG_URL && only !== 'pglite') {
    const scratch = await createScratchDatabase();
    try {
      const server = await startServer({ port: 0, databaseUrl: scratch.url, seedDemo: true, logLevel: 'warn', rateLimit: false });
      try {
        results.push(await measure('postgresql', server, products, getRequests, priceChanges, scratch.url));
      } finally {
        await server.close();
      }
    } finally {
      await scratch.drop();
    }
  }
  writeFigures(resultFile, { command: COMMAND, targets: TARGETS, floor, results }, report(results, floor));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runIntegrationBench().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Integration benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
