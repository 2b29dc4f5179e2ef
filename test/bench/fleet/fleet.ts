/**
 * The fleet bench (issue 16): stations that sold offline reconnect and upload their sales at once.
 * A real server in a process of its own (server-process.ts), over loopback HTTP, on PGlite in a temp
 * folder or on a scratch PostgreSQL database (BALCAO_TEST_PG_URL). First another station uploads 1,000
 * sales (`warmupSeconds`: the fresh process's first push, as a running store's server is past it). Two timed phases:
 * 1. one station uploads `singleStationSales` (10,000) offline sales, in pushes of the server's largest
 *    batch (MAX_PUSH), and reads them back: `uploadSalesPerSecond` (target ≥ 5,000/s, ≤ 2 s);
 * 2. `stations` (50) stations push `salesPerStation` (1,000) sales each, all at once, each reads its
 *    sales back and finds no refusal, and the products' stock is read and must be exactly the starting
 *    stock minus everything sold in both phases: `fleetSeconds` (target ≤ 30 s), and the server's peak
 *    resident memory during it, `serverRssMB`.
 * Any sale missing, refused, or a stock off by one unit fails the run (throws): a figure is only
 * reported for work that was verified. FLEET_CPU_PROFILE=<folder>: the server process writes a V8 CPU profile there.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from '../../server/support/scratch-database.ts';
import { databaseCpuBetween, readDatabaseCpu } from './database-cpu.ts';

export interface FleetOptions {
  stations: number;
  salesPerStation: number;
  db: 'pglite' | 'postgresql';
  /** Sales of the single-station phase (default 10,000). */
  singleStationSales?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface FleetResult {
  /** Phase 2: from the first push to the last check (sales read back, no refusal, stock exact), in seconds. */
  fleetSeconds: number;
  /** The server process's peak resident memory during phase 2, in MB. */
  serverRssMB: number;
  /** Phase 1: sales one station uploaded and read back per second. */
  uploadSalesPerSecond: number;
  /** Phase 1's seconds and sales, phase 2's sales, the server's resident memory before phase 2 (MB). */
  uploadSeconds: number;
  /** Sales of the untimed-in-phase-1 upload that runs first on the fresh server, and its own time (seconds). */
  warmupSales: number;
  warmupSeconds: number;
  /** CPU seconds the server process used in phase 1 and in phase 2 (on PGlite the database's too; PostgreSQL's own are not in it). */
  uploadServerCpuSeconds: number;
  fleetServerCpuSeconds: number;
  /** CPU seconds of PostgreSQL's backends for the bench's database in phase 1 and phase 2 (null on PGlite, or when not readable). */
  uploadDatabaseCpuSeconds: number | null;
  fleetDatabaseCpuSeconds: number | null;
  singleStationSales: number;
  fleetSales: number;
  serverRssBeforeMB: number;
}

/** Sales of the upload that warms a fresh server process before phase 1 (not in its figure). */
const WARMUP_SALES = 1_000;

/** The server's largest push (routes-sync.ts MAX_PUSH). */
const PUSH_BATCH = 5_000;
/** How many products the sales draw from (sold by the unit, UN). */
const PRODUCTS_SOLD = 500;

interface ServerHandle {
  url: string;
  ask<T>(message: string): Promise<T>;
  close(): Promise<void>;
}

function startServerProcess(options: Record<string, unknown>): Promise<ServerHandle> {
  const file = fileURLToPath(new URL('./server-process.ts', import.meta.url));
  const child: ChildProcess = fork(file, [JSON.stringify(options)], { execArgv: ['--import', 'tsx', ...(process.env.FLEET_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FLEET_CPU_PROFILE}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the fleet server exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as T);
      });
    });
  return next<{ url: string }>().then(({ url }) => ({
    url,
    ask: <T>(message: string) => {
      const answer = next<T>();
      child.send(message);
      return answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('close');
      }),
  }));
}

async function request(url: string, method: string, path: string, token: string | null, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- answers read as arbitrary JSON
  const response = await fetch(url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : null;
}

interface Station {
  id: string;
  token: string;
}

/** Registers, pairs and signs in a station as its cashier (a full scrypt per login: setup, not timed). */
async function newStation(url: string, admin: string, code: string): Promise<Station> {
  const registered = await request(url, 'POST', '/api/stations', admin, { code, name: `Caixa ${code}` });
  const issued = await request(url, 'POST', `/api/stations/${registered.id}/pairing-code`, admin, {});
  const paired = await request(url, 'POST', '/api/stations/pair', null, { storeCode: 'loja1', stationCode: code, pairingCode: issued.pairingCode });
  const session = await request(url, 'POST', '/api/auth/login', null, { storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: paired.stationId, deviceKey: paired.deviceKey });
  return { id: paired.stationId, token: session.token };
}

interface Product {
  id: string;
  priceCents: number;
  stock: number;
}

/** Every product, following checkpoints to the end (as the admin). */
async function allProducts(url: string, admin: string): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  let checkpoint = 0;
  for (;;) {
    const page = await request(url, 'GET', `/api/sync/products/pull?checkpoint=${checkpoint}&limit=10000`, admin);
    for (const doc of page.documents as Record<string, unknown>[]) found.set(String(doc.id), doc);
    if (page.documents.length === 0) return found;
    checkpoint = page.checkpoint.seq;
  }
}

/** A station's offline sales: 1 to 3 lines of products sold by the unit, paid in cash, adding up. */
function salesOf(station: Station, tag: string, count: number, products: readonly Product[], sold: Map<string, number>, seed: number): Record<string, unknown>[] {
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  return Array.from({ length: count }, (_v, k) => {
    const lines = 1 + ((seed + k) % 3);
    const items = Array.from({ length: lines }, (_w, j) => {
      const product = products[(seed * 7_919 + k * 31 + j * 131) % products.length]!;
      const quantity = 1 + ((k + j) % 3);
      sold.set(product.id, (sold.get(product.id) ?? 0) + quantity);
      return { productId: product.id, quantity, unitPriceCents: product.priceCents, discountCents: 0, totalCents: quantity * product.priceCents };
    });
    const totalCents = items.reduce((sum, item) => sum + item.totalCents, 0);
    return {
      id: `fleet-${tag}-${k}`,
      stationId: station.id,
      number: k + 1,
      userId: 'loja1-caixa',
      sellerId: 'loja1-seller-v01',
      createdAt,
      items,
      payments: [{ paymentTypeId: 'loja1-paymentType-dinheiro', amountCents: totalCents }],
      subtotalCents: totalCents,
      discountCents: 0,
      totalCents,
      changeCents: 0,
      status: 'finished',
      _deleted: false,
    };
  });
}

/** Uploads a station's sales as a device does after a reconnect, then checks they are all stored and none refused. */
async function uploadAndVerify(url: string, station: Station, sales: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < sales.length; start += PUSH_BATCH) {
    const rows = sales.slice(start, start + PUSH_BATCH).map((sale) => ({ newDocumentState: sale, assumedMasterState: null }));
    const conflicts = await request(url, 'POST', '/api/sync/sales/push', station.token, rows);
    if (conflicts.length > 0) throw new Error(`station ${station.id}: ${conflicts.length} conflicts`);
  }
  const stored = new Set<string>();
  let checkpoint = 0;
  for (;;) {
    const page = await request(url, 'GET', `/api/sync/sales/pull?checkpoint=${checkpoint}&limit=10000`, station.token);
    for (const doc of page.documents as { id: string }[]) stored.add(doc.id);
    if (page.documents.length === 0) break;
    checkpoint = page.checkpoint.seq;
  }
  const missing = sales.filter((sale) => !stored.has(String(sale.id)));
  if (missing.length > 0) throw new Error(`station ${station.id}: ${missing.length} of ${sales.length} sales not stored (first ${String(missing[0]!.id)})`);
  const errors = await request(url, 'GET', '/api/sync/errors', station.token);
  if (errors.length > 0) throw new Error(`station ${station.id}: ${errors.length} sales refused, first: ${JSON.stringify(errors[0]).slice(0, 400)}`);
}

/** Stock of every product sold must be its starting stock minus what was sold, exactly. */
async function verifyStock(url: string, admin: string, products: readonly Product[], sold: ReadonlyMap<string, number>): Promise<void> {
  const now = await allProducts(url, admin);
  const wrong = products.filter((product) => Number(now.get(product.id)?.stock) !== product.stock - (sold.get(product.id) ?? 0));
  if (wrong.length > 0) {
    const first = wrong[0]!;
    throw new Error(`stock is off for ${wrong.length} products: ${first.id} has ${String(now.get(first.id)?.stock)}, expected ${first.stock - (sold.get(first.id) ?? 0)}`);
  }
}

/** Runs both phases on a fresh server and database; throws when anything uploaded was not verified. */
export async function runFleet(opts: FleetOptions): Promise<FleetResult> {
  const log = opts.log ?? (() => undefined);
  const singleStationSales = opts.singleStationSales ?? 10_000;
  const dataDir = opts.db === 'pglite' ? mkdtempSync(join(tmpdir(), 'balcao-bench-fleet-')) : null;
  const scratch = opts.db === 'postgresql' ? await createScratchDatabase('balcao_fleet') : null;
  try {
    const server = await startServerProcess({ seedDemo: true, ...(dataDir ? { dataDir } : { databaseUrl: scratch!.url }) });
    try {
      const { url } = server;
      const admin = (await request(url, 'POST', '/api/auth/login', null, { storeCode: 'loja1', userCode: 'admin', password: 'admin123' })).token as string;
      log(`${opts.db}: registering, pairing and signing in ${opts.stations + 1} stations`);
      const solo = await newStation(url, admin, 'solo');
      const stations: Station[] = [];
      for (let n = 0; n < opts.stations; n += 10) {
        const codes = Array.from({ length: Math.min(10, opts.stations - n) }, (_v, k) => `fl${String(n + k + 1).padStart(3, '0')}`);
        stations.push(...(await Promise.all(codes.map((code) => newStation(url, admin, code)))));
      }
      const catalogue = await allProducts(url, admin);
      const products: Product[] = [...catalogue.values()]
        .filter((doc) => doc.unit === 'UN' && doc.active !== false && doc._deleted !== true)
        .slice(0, PRODUCTS_SOLD)
        .map((doc) => ({ id: String(doc.id), priceCents: Number(doc.priceCents), stock: Number(doc.stock) }));
      const sold = new Map<string, number>();

      // A store's server has served pushes before a station reconnects; a fresh process has not (its first
      // push runs the sale checks unoptimised, about 200 ms more at 5,000 sales). One station's small upload
      // first, timed apart (warmupSeconds), so phase 1 measures the server as a running store has it.
      log(`${opts.db}: 0. one station uploads ${WARMUP_SALES} sales first (the server's first push, timed apart)`);
      const warmStation = await newStation(url, admin, 'warm');
      const warmupStart = performance.now();
      await uploadAndVerify(url, warmStation, salesOf(warmStation, 'warm', WARMUP_SALES, products, sold, 999));
      const warmupSeconds = (performance.now() - warmupStart) / 1000;
      log(`${opts.db}: 1. one station uploads ${singleStationSales.toLocaleString('en-US')} offline sales and reads them back`);
      const soloSales = salesOf(solo, 'solo', singleStationSales, products, sold, 0);
      const databaseCpu = () => (scratch ? readDatabaseCpu(scratch.url) : Promise.resolve(null));
      const soloCpu = await server.ask<{ cpuSeconds: number }>('rss');
      const soloDatabaseCpu = await databaseCpu();
      const soloStart = performance.now();
      await uploadAndVerify(url, solo, soloSales);
      const uploadSeconds = (performance.now() - soloStart) / 1000;
      const soloCpuAfter = await server.ask<{ cpuSeconds: number }>('rss');
      const soloDatabaseCpuAfter = await databaseCpu();

      const fleetSales = stations.map((station, n) => salesOf(station, `s${n}`, opts.salesPerStation, products, sold, n + 1));
      const before = await server.ask<{ rssMB: number; cpuSeconds: number }>('rss');
      await server.ask('reset-peak');
      const fleetDatabaseCpu = await databaseCpu();
      log(`${opts.db}: 2. ${opts.stations} stations reconnect at once, ${opts.salesPerStation.toLocaleString('en-US')} sales each`);
      const fleetStart = performance.now();
      await Promise.all(stations.map((station, n) => uploadAndVerify(url, station, fleetSales[n]!)));
      await verifyStock(url, admin, products, sold);
      const fleetSeconds = (performance.now() - fleetStart) / 1000;
      const memory = await server.ask<{ peakMB: number; cpuSeconds: number }>('rss');
      const fleetDatabaseCpuAfter = await databaseCpu();
      return {
        fleetSeconds: Number(fleetSeconds.toFixed(2)),
        serverRssMB: memory.peakMB,
        uploadSalesPerSecond: Math.round(singleStationSales / uploadSeconds),
        uploadSeconds: Number(uploadSeconds.toFixed(2)),
        singleStationSales,
        warmupSales: WARMUP_SALES,
        warmupSeconds: Number(warmupSeconds.toFixed(2)),
        fleetSales: opts.stations * opts.salesPerStation,
        serverRssBeforeMB: before.rssMB,
        uploadServerCpuSeconds: Number((soloCpuAfter.cpuSeconds - soloCpu.cpuSeconds).toFixed(2)),
        fleetServerCpuSeconds: Number((memory.cpuSeconds - before.cpuSeconds).toFixed(2)),
        uploadDatabaseCpuSeconds: databaseCpuBetween(soloDatabaseCpu, soloDatabaseCpuAfter),
        fleetDatabaseCpuSeconds: databaseCpuBetween(fleetDatabaseCpu, fleetDatabaseCpuAfter),
      };
    } finally {
      await server.close();
    }
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }
}
