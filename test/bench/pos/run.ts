/**
 * The POS benchmark (issue 3), part of `npm run bench`; alone: `npx tsx test/bench/pos/run.ts`.
 * One real server (PGlite in a temp folder) with 100,000 products, one Chromium, one station page
 * running the app's own database, product index and POS core. Phases: the station pulls the
 * catalogue; barcode and text lookups on the product index; sales with promotions recorded offline
 * (each timed); reconnect and upload, then the server is counted: every sale there once, verified
 * (none quarantined), stock moved by exactly what was sold, summary equal to the station's to the cent.
 * Sizes: BENCH_PRODUCTS (100,000), BENCH_POS_SALES (10,000), BENCH_POS_LOOKUPS (10,000). BENCH_POS=0 skips it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { startCentral, type Central } from '../central.ts';
import { serveStatic } from '../static-server.ts';
import { checkSales, stockOf } from './check.ts';
import { formatPosReport, type PosBenchResult } from './report.ts';
import type { PosBenchApi } from './types.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pageDir = fileURLToPath(new URL('../../../dist/bench-pos/', import.meta.url));
const resultFile = fileURLToPath(new URL('../../../test-results/bench-pos.json', import.meta.url));
const COMMAND = 'npx tsx test/bench/pos/run.ts (or npm run bench, which runs it after the sync bench)';

function size(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 1_000_000) throw new Error(`${name}=${raw} is not a whole number between 1 and 1,000,000.`);
  return value;
}

function step(text: string): void {
  process.stderr.write(`[bench pos ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

async function within<T>(label: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} took longer than ${ms / 1000} s; aborted.`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function caller(tab: Page) {
  return <K extends keyof PosBenchApi>(name: K, args: Parameters<PosBenchApi[K]>): Promise<Awaited<ReturnType<PosBenchApi[K]>>> =>
    tab.evaluate(
      ([method, params]) => (window.posBench![method as keyof PosBenchApi] as (...a: unknown[]) => Promise<unknown>)(...(params as unknown[])),
      [name, args] as [string, unknown[]],
    ) as Promise<Awaited<ReturnType<PosBenchApi[K]>>>;
}

/** Runs the POS benchmark; resolves to the exit code (1 when a sale was lost, doubled, refused or mis-stocked). */
export async function runPosBench(): Promise<number> {
  if (process.env.BENCH_POS === '0') return 0;
  const products = size('BENCH_PRODUCTS', 100_000);
  const salesCount = size('BENCH_POS_SALES', 10_000);
  const lookupCount = size('BENCH_POS_LOOKUPS', 10_000);
  step(`building the POS bench page into ${pageDir}`);
  await build({ configFile: fileURLToPath(new URL('./vite.pos.config.ts', import.meta.url)), root: undefined });

  step(`starting the server on a temporary PGlite folder and seeding ${products.toLocaleString('en-US')} products`);
  let central: Central | null = null;
  let browser: Browser | null = null;
  let page: Awaited<ReturnType<typeof serveStatic>> | null = null;
  try {
    central = await startCentral(products);
    page = await serveStatic(pageDir);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const tab = await browser.newPage();
    tab.on('console', (message) => {
      if (message.text().includes('RxDB Open Core RxStorage')) return;
      if (message.type() === 'error' || message.type() === 'warning') step(`page ${message.type()}: ${message.text()}`);
    });
    tab.on('pageerror', (error) => step(`page error: ${error.message}`));
    await tab.goto(page.url);
    await tab.waitForFunction(() => window.posBench !== undefined, undefined, { timeout: 30_000 });
    const call = caller(tab);

    step('1. the station pulls the catalogue and builds its product index');
    const prepare = await within('preparing the station', 600_000, call('prepare', [central.session, products]));
    step(`2. ${lookupCount.toLocaleString('en-US')} barcode lookups and searches on the product index`);
    const lookups = await within('the lookups', 300_000, call('lookups', [lookupCount]));
    step(`3. ${salesCount.toLocaleString('en-US')} sales with promotions recorded offline`);
    const sales = await within('recording the sales', salesCount * 500, call('recordSales', [salesCount]));
    const stockBefore = await stockOf(central);
    step(`4. reconnect: uploading ${salesCount.toLocaleString('en-US')} sales`);
    const upload = await within('the upload', 1_000_000, call('upload', [salesCount, 900_000]));
    const check = await checkSales(central, stockBefore, sales.soldByProduct);
    await within('closing the station', 10_000, call('close', [])).catch((error: unknown) => step(String(error)));

    const exact =
      check.stored === salesCount &&
      check.duplicates === 0 &&
      check.writtenCounter === salesCount &&
      check.quarantinedCounter === 0 &&
      check.summary.salesCount === salesCount &&
      check.summary.quarantinedSales === 0 &&
      check.summary.paidCents === sales.paidCents &&
      check.stockMismatches === 0;
    const { soldByProduct, ...salesFigures } = sales;
    const result: PosBenchResult = {
      command: COMMAND,
      at: new Date().toISOString(),
      environment: { node: process.version, chromium: browser.version(), cpus: cpus().length, loadAverage: loadavg().map((value) => Math.round(value * 100) / 100), platform: `${process.platform}-${process.arch}` },
      config: { products, sales: salesCount, lookups: lookupCount },
      prepare,
      lookups,
      sales: { ...salesFigures, productsSold: Object.keys(soldByProduct).length },
      upload,
      check,
      exact,
    };
    mkdirSync(fileURLToPath(new URL('../../../test-results/', import.meta.url)), { recursive: true });
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\n${formatPosReport(result)}\nFigures: ${resultFile.slice(root.length)}\n`);
    return exact ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await page?.close().catch(() => undefined);
    await central?.close().catch(() => undefined);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runPosBench().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`POS benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
