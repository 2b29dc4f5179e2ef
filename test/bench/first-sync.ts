/**
 * First sync and reopen at scale (issue 16), alone: `npx tsx test/bench/first-sync.ts 1000000`.
 * The server runs in a process of its own (central-process.ts) on PGlite in a kept folder, or on a kept
 * PostgreSQL database with BENCH_DB=postgresql (BALCAO_TEST_PG_URL); either is seeded once per size and
 * reused, so a run costs the pull and not the seeding. One Chromium page pulls the whole catalogue
 * into a fresh device (phase 1 of run.ts), changes the price of BENCH_PRICE_CHANGES (10,000; 0 skips it)
 * products on the server until the open device has them (phase 2b), closes it and reopens it to a usable
 * sale screen (phase 5).
 * Prints wall time, the server's CPU seconds, PostgreSQL's backend CPU seconds (when on PostgreSQL),
 * the page's storage profile and the load, and writes them to test-results/first-sync.json.
 * BENCH_PROFILE=1 also records the page's CPU profile of the pull, BENCH_PROFILE=price that of the price change,
 * BENCH_PROFILE=server-price the server process's during the price change (by function); BENCH_TIME_QUERIES=1
 * (PGlite) prints the server's database time during the price change by statement.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { startCentralProcess } from './central.ts';
import { keptDatabase, signInStationAndAdmin } from './kept-central.ts';
import { summarize, type CpuProfile } from './cpu-profile.ts';
import { databaseCpuBetween, readDatabaseCpu } from './fleet/database-cpu.ts';
import { launchChromium, openBenchPage, reopenInFreshPage, stepper, within, writeFigures } from './harness.ts';
import { serveStatic } from './static-server.ts';
import type { DeviceSession, PriceChangeFigures } from './types.ts';

const PRODUCTS = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(PRODUCTS) || PRODUCTS <= 0 || PRODUCTS > 1_000_000) throw new Error(`products ${process.argv[2]} is not a whole number between 1 and 1,000,000`);
const DB = process.env.BENCH_DB === 'postgresql' ? 'postgresql' : 'pglite';
const PROFILE = process.env.BENCH_PROFILE === '1' ? 'pull' : process.env.BENCH_PROFILE === 'price' ? 'price' : process.env.BENCH_PROFILE === 'server-price' ? 'server-price' : null;
const PRICE_CHANGES = Math.min(PRODUCTS, Number(process.env.BENCH_PRICE_CHANGES ?? 10_000));
const pageDir = fileURLToPath(new URL('../../dist/bench/', import.meta.url));
const resultFile = fileURLToPath(new URL('../../test-results/first-sync.json', import.meta.url));
const step = stepper('first-sync');
const loadNow = () => loadavg().map((value) => value.toFixed(2)).join(' / ');

async function main(): Promise<void> {
  step('building the bench page');
  await build({ configFile: fileURLToPath(new URL('./vite.bench.config.ts', import.meta.url)), root: undefined, logLevel: 'warn' });
  const page = await serveStatic(pageDir);
  const origin = new URL(page.url).origin;
  const database: { dataDir?: string; databaseUrl?: string } = await keptDatabase(PRODUCTS);
  step(`starting the server (${DB}) with ${PRODUCTS.toLocaleString('en-US')} products (seeded once, then kept)`);
  const central = await startCentralProcess({ ...database, seedDemo: true, corsOrigins: [origin] }, PRODUCTS);
  let browser: Browser | null = null;
  try {
    const { station, cashier, admin } = await signInStationAndAdmin(central.url);
    const session: DeviceSession = { serverUrl: central.url, deviceToken: cashier.token, adminToken: admin.token, stationId: station.stationId, putBaseUrl: central.url, tuning: {} };
    browser = await launchChromium();
    const { tab, call } = await openBenchPage(browser, page.url, 'bench', step, process.env.BENCH_DEBUG === '1');
    const cdp = PROFILE === 'pull' || PROFILE === 'price' ? await tab.context().newCDPSession(tab) : null;
    const startProfile = async () => {
      if (!cdp) return;
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    };
    const stopProfile = async () => (cdp ? summarize(((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile, pageDir) : null);
    if (PROFILE === 'pull') await startProfile();
    const loadBefore = loadNow();
    const serverBefore = await central.cpu();
    const pgBefore = typeof database.databaseUrl === 'string' ? await readDatabaseCpu(database.databaseUrl) : null;
    const cpuBefore = process.cpuUsage();
    step(`1. first sync of ${PRODUCTS.toLocaleString('en-US')} products (load ${loadBefore})`);
    const pull = await within('the first sync', 3_600_000, call('initialPull', [session, PRODUCTS]));
    const serverAfter = await central.cpu();
    const pgAfter = typeof database.databaseUrl === 'string' ? await readDatabaseCpu(database.databaseUrl) : null;
    const loadAfterPull = loadNow();
    let profile = PROFILE === 'pull' ? await stopProfile() : null;
    step(`   ${pull.seconds} s (load ${loadAfterPull})`);
    let priceChange: PriceChangeFigures | null = null;
    // The server process's CPU during the price change: steadier than its wall time on a loaded machine.
    let priceServerCpuMs: number | null = null;
    // BENCH_TIME_QUERIES=1 (PGlite): the server's database time during the price change, by statement.
    let priceQueries: Awaited<ReturnType<typeof central.queryTimes>> = null;
    if (PRICE_CHANGES > 0) {
      step(`2b. price change of ${PRICE_CHANGES.toLocaleString('en-US')} products on the server, until the open device has them (load ${loadNow()})`);
      if (PROFILE === 'price') await startProfile();
      if (PROFILE === 'server-price') await central.profileStart();
      const priceCpuBefore = await central.cpu();
      await central.queryTimes(true);
      priceChange = await within('the price change', 300_000, call('priceChange', [session, PRICE_CHANGES, 290_000]));
      priceServerCpuMs = Math.round(((await central.cpu()).cpuSeconds - priceCpuBefore.cpuSeconds) * 1000);
      priceQueries = await central.queryTimes(false);
      if (PROFILE === 'price') profile = await stopProfile();
      if (PROFILE === 'server-price') profile = summarize(await central.profileStop(), pageDir, 40);
      step(`   ${priceChange.ms} ms, of which the server's answers ${priceChange.serverMs} ms; server CPU ${priceServerCpuMs} ms (load ${loadNow()})`);
    }
    step('   closing the device (saves the catalogue snapshot)');
    const closeStarted = performance.now();
    const deviceName = await within('closing the device', 600_000, call('close', []));
    const closeMs = Math.round(performance.now() - closeStarted);
    step(`5. reopening the device in a fresh page (close took ${closeMs} ms)`);
    const reopened = await reopenInFreshPage(tab, { url: page.url, name: deviceName, expected: PRODUCTS, session, lookups: 10_000, sales: 500 }, step, process.env.BENCH_DEBUG === '1');
    const cpuAfter = process.cpuUsage(cpuBefore);
    const result = {
      command: `${DB === 'postgresql' ? 'BENCH_DB=postgresql ' : ''}${PRICE_CHANGES === 10_000 ? '' : `BENCH_PRICE_CHANGES=${PRICE_CHANGES} `}npx tsx test/bench/first-sync.ts ${PRODUCTS}`,
      at: new Date().toISOString(),
      db: DB,
      products: PRODUCTS,
      load: { beforePull: loadBefore, afterPull: loadAfterPull, atEnd: loadNow() },
      firstSyncSeconds: pull.seconds,
      docsPerSecond: pull.docsPerSecond,
      serverCpuSeconds: Number((serverAfter.cpuSeconds - serverBefore.cpuSeconds).toFixed(2)),
      serverRssMB: serverAfter.rssMB,
      postgresCpuSeconds: databaseCpuBetween(pgBefore, pgAfter),
      runnerCpuSeconds: Number(((cpuAfter.user + cpuAfter.system) / 1e6).toFixed(2)),
      closeMs,
      reopenMs: reopened.totalMs,
      heapMB: reopened.heapMb,
      barcodeP95Ms: reopened.lookups.barcode.p95,
      keystrokeP95Ms: reopened.lookups.keystroke.p95,
      saleP95Ms: reopened.sales.record.p95,
      priceChangeMs: priceChange?.ms ?? null,
      priceChange,
      priceServerCpuMs,
      priceQueries,
      pull,
      reopened,
      profile,
    };
    const lines = [
      `first sync of ${PRODUCTS.toLocaleString('en-US')} products (${DB}): ${pull.seconds} s = ${pull.docsPerSecond} docs/s; server CPU ${result.serverCpuSeconds} s${result.postgresCpuSeconds === null ? '' : `, PostgreSQL CPU ${result.postgresCpuSeconds} s`}; load ${loadBefore} → ${loadAfterPull}`,
      `  requests ${pull.requests}, to headers ${pull.fetchMs} ms; products.bulkWrite ${JSON.stringify(pull.storage.products?.bulkWrite ?? null)}`,
      ...(priceChange ? [`price change of ${priceChange.products} products: ${priceChange.ms} ms (server answers ${priceChange.serverMs} ms, server CPU ${priceServerCpuMs} ms)`] : []),
      ...(priceQueries ?? []).slice(0, 12).map((entry) => `  ${entry.ms} ms ${entry.count}× ${entry.sql}`),
      `close ${closeMs} ms; reopen ${reopened.totalMs} ms (database + catalogue ${reopened.openMs}, POS core ${reopened.indexMs}); heap ${reopened.heapMb} MB`,
      `barcode p95 ${reopened.lookups.barcode.p95} ms; keystroke p95 ${reopened.lookups.keystroke.p95} ms; sale p50 ${reopened.sales.record.p50} / p95 ${reopened.sales.record.p95} ms`,
      ...(profile ? [`${PROFILE === 'server-price' ? 'server' : 'page'} CPU during the ${PROFILE === 'pull' ? 'pull' : 'price change'} ${profile.totalMs} ms: ${profile.byModule.map((entry) => `${entry.module} ${entry.ms} ms`).join(', ')}`, ...profile.byFunction.slice(0, PROFILE === 'server-price' ? 40 : 20).map((entry) => `  ${entry.fn} (${entry.module}) ${entry.ms} ms`)] : []),
      `Reproduce: ${result.command}`,
    ];
    writeFigures(resultFile, result, lines.join('\n'));
  } finally {
    await browser?.close().catch(() => undefined);
    await page.close().catch(() => undefined);
    await central.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`first-sync bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
