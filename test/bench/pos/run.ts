/**
 * The POS benchmark (issue 3), part of `npm run bench`; alone: `npx tsx test/bench/pos/run.ts`.
 * One real server (PGlite in a temp folder) with 100,000 products, one Chromium, one station page
 * running the app's own database, product index and POS core. Phases: the station pulls the
 * catalogue; barcode and text lookups on the product index; sales with promotions recorded offline
 * (each timed); reconnect and upload, then the server is counted: every sale there once, verified
 * (none quarantined), stock moved by exactly what was sold, summary equal to the station's to the cent.
 * Sizes: BENCH_PRODUCTS (100,000), BENCH_POS_SALES (10,000), BENCH_POS_LOOKUPS (10,000). BENCH_POS=0 skips it.
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { startCentral, type Central } from '../central.ts';
import { launchChromium, openBenchPage, positive as size, stepper, within, writeFigures } from '../harness.ts';
import { serveStatic } from '../static-server.ts';
import { checkSales, stockOf } from './check.ts';
import { formatPosReport, type PosBenchResult } from './report.ts';

const pageDir = fileURLToPath(new URL('../../../dist/bench-pos/', import.meta.url));
const resultFile = fileURLToPath(new URL('../../../test-results/bench-pos.json', import.meta.url));
const COMMAND = 'npx tsx test/bench/pos/run.ts (or npm run bench, which runs it after the sync bench)';

const step = stepper('bench pos');

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
    central.server.allowOrigin(new URL(page.url).origin);
    browser = await launchChromium();
    const { call } = await openBenchPage(browser, page.url, 'posBench', step);

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
    writeFigures(resultFile, result, formatPosReport(result));
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
