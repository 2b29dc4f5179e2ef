/**
 * `npm run bench`: one real server (PGlite in a temp folder), one Chromium, one fresh device page.
 * Phases run in order in the same page: initial pull, raw Dexie ceiling, offline upload, live latency;
 * then the reopen, in a fresh page.
 * Sizes can be lowered for a quick try: BENCH_PRODUCTS, BENCH_UPLOADS, BENCH_CHANGES; BENCH_PULL_BATCH and
 * BENCH_PUSH_BATCH override the client's batch sizes for experiments.
 *
 * Scale (issue 16): `npm run bench -- --products 1000000` sizes the catalogue of this run (the flag wins
 * over BENCH_PRODUCTS; the benches after it keep their own sizes). The device's figures go to
 * test-results/bench.json under `scale`: first sync, reopen to a usable sale screen, retained heap,
 * barcode / keystroke / sale p95 on the reopened device, and a price change of BENCH_PRICE_CHANGES
 * (10,000) products on the server reaching the open device. The raw Dexie ceiling runs up to 200,000
 * products (it holds every document in the page; BENCH_RAW=1 forces it, BENCH_RAW=0 skips it). BENCH_DEVICE_ONLY=1 skips the
 * benches that follow this one. BENCH_DB=postgresql runs this bench's server on a scratch PostgreSQL database
 * (BALCAO_TEST_PG_URL's server) instead of PGlite.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { summarize, type CpuProfile, type ProfileSummary } from './cpu-profile.ts';
import { checkUpload, corsAllowsPut, startCentral, type Central } from './central.ts';
import { TARGETS, formatTable, scaleFigures, type BenchResult } from './report.ts';
import { serveStatic } from './static-server.ts';
import { BENCH_CUSTOMER_PREFIX, type DeviceSession } from './types.ts';
import { launchChromium, openBenchPage, positive, reopenInFreshPage, root, stepper, within, writeFigures } from './harness.ts';

const PRODUCTS = productsFlag() ?? positive('BENCH_PRODUCTS', 100_000);
const PRICE_CHANGES = positive('BENCH_PRICE_CHANGES', 10_000);
const LOOKUPS = positive('BENCH_LOOKUPS', 10_000);
const SALES = positive('BENCH_SALES', 500);
const RAW = process.env.BENCH_RAW === '1' || (process.env.BENCH_RAW !== '0' && PRODUCTS <= 200_000);
const DEVICE_ONLY = process.env.BENCH_DEVICE_ONLY === '1';
const DB = process.env.BENCH_DB === 'postgresql' ? 'postgresql' : 'pglite';
const UPLOADS = positive('BENCH_UPLOADS', 10_000);
const CHANGES = positive('BENCH_CHANGES', 200);
/** The sync client's default pull batch (sync/client/start-sync.ts); the raw Dexie run uses the same chunk. */
const CLIENT_PULL_BATCH = 5_000;
/** Unset: the client's defaults, as shipped. Set: experiments with other batch sizes. */
const PULL_BATCH = optional('BENCH_PULL_BATCH');
const PUSH_BATCH = optional('BENCH_PUSH_BATCH');
/** BENCH_PROFILE=1 records the page's CPU profile during the pull, the price change and the upload (test-results/bench-profile.json). */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** BENCH_DEBUG=1 echoes the page's debug lines (sync status during the upload). */
const DEBUG = process.env.BENCH_DEBUG === '1';
const CHANGE_TIMEOUT_MS = 10_000;
/** How long the upload phase waits for `sendNow()` to resolve after the server has every row. */
const SEND_NOW_LIMIT_MS = 60_000;

const pageDir = fileURLToPath(new URL('../../dist/bench/', import.meta.url));
const resultFile = fileURLToPath(new URL('../../test-results/bench.json', import.meta.url));
const profileFile = fileURLToPath(new URL('../../test-results/bench-profile.json', import.meta.url));

/** `--products N` (or `--products=N`) on the command line: `npm run bench -- --products 1000000`. */
function productsFlag(): number | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => arg === '--products' || arg.startsWith('--products='));
  if (at < 0) return undefined;
  const raw = args[at]!.includes('=') ? args[at]!.slice('--products='.length) : args[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 1_000_000) throw new Error(`--products ${raw ?? ''} is not a whole number between 1 and 1,000,000.`);
  return value;
}

function optional(name: string): number | undefined {
  return process.env[name] ? positive(name, 0) : undefined;
}

const step = stepper('bench');

async function main(): Promise<number> {
  step(`building the bench page into ${pageDir}`);
  await build({ configFile: fileURLToPath(new URL('./vite.bench.config.ts', import.meta.url)), root: undefined });

  step(`starting the server (its own process) on ${DB === 'postgresql' ? 'a scratch PostgreSQL database' : 'a temporary PGlite folder'} and seeding ${PRODUCTS.toLocaleString('en-US')} products`);
  let central: Central | null = null;
  let browser: Browser | null = null;
  let page: Awaited<ReturnType<typeof serveStatic>> | null = null;
  try {
    // In a process of its own: at 1,000,000 products the in-process server starved the runner (issue 16).
    central = await startCentral(PRODUCTS, { ownProcess: true });
    page = await serveStatic(pageDir, central.server.url);
    const pageOrigin = new URL(page.url).origin;
    // The bench page is a browser origin of its own: grant it, as npm start grants the web host's.
    await central.server.allowOrigin(pageOrigin);
    const session: DeviceSession = { ...central.session, tuning: { pullBatchSize: PULL_BATCH, pushBatchSize: PUSH_BATCH } };
    if (!(await corsAllowsPut(central.server.url, pageOrigin))) {
      // Only the latency phase's PUTs need it; sync traffic (GET/POST) still goes cross-origin, like the app's.
      step('note: the server\'s CORS preflight does not allow PUT; the latency phase sends its PUTs through the page\'s own origin');
      session.putBaseUrl = pageOrigin;
    }
    browser = await launchChromium();
    const { tab, call } = await openBenchPage(browser, page.url, 'bench', step, DEBUG);

    const cdp = PROFILE ? await tab.context().newCDPSession(tab) : null;
    const profiles: Record<string, ProfileSummary> = {};
    const profiled = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      if (!cdp) return work();
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      try {
        return await work();
      } finally {
        const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
        profiles[label] = summarize(profile, pageDir);
      }
    };

    step('1. initial pull into a fresh device');
    const pull = await profiled('pull', () => within('the initial pull', 300_000 * Math.max(1, PRODUCTS / 100_000), call('initialPull', [session, PRODUCTS])));
    step(RAW ? '2. raw Dexie bulkPut of the same documents' : `2. raw Dexie bulkPut skipped above 200,000 products (BENCH_RAW=1 forces it)`);
    const raw = RAW ? await within('the raw Dexie run', 300_000, call('rawDexie', [session, PRODUCTS, PULL_BATCH ?? CLIENT_PULL_BATCH])) : null;
    const priceChanges = Math.min(PRICE_CHANGES, PRODUCTS);
    step(`2b. price change of ${priceChanges.toLocaleString('en-US')} products on the server, until the open device has them`);
    // The server's batch upsert is another task's (issue 12); a slow one is a figure to report, not the end of the run.
    const priceChange = await profiled('priceChange', () => within('the price change', 300_000, call('priceChange', [session, priceChanges, 290_000]))).catch((error: unknown) => {
      step(`price change: ${String(error)}`);
      return { products: priceChanges, ms: null, serverMs: null, error: String(error) };
    });
    // Latency runs on the device as the pull left it (in sync, idle); the upload restarts sync last.
    step(`4. latency over ${CHANGES} server changes`);
    const latency = await within('the latency run', CHANGES * (CHANGE_TIMEOUT_MS + 2_000), call('latency', [session, CHANGES, CHANGE_TIMEOUT_MS]));
    step(`3. upload of ${UPLOADS.toLocaleString('en-US')} customers written offline`);
    const upload = await profiled('upload', () => within('the upload', SEND_NOW_LIMIT_MS + 60_000, call('offlineUpload', [session, UPLOADS, SEND_NOW_LIMIT_MS])));
    const check = await checkUpload(central, BENCH_CUSTOMER_PREFIX);
    // Closing waits for the database to be idle, which a busy replication may delay, and saves the catalogue
    // snapshot (its index built in a Worker first: seconds at 1,000,000); the browser goes on anyway.
    const deviceName = await within('closing the device', 10_000 * Math.max(1, PRODUCTS / 100_000), call('close', []));
    step('5. reopening the device that holds the catalogue, in a fresh page');
    const reopened = await reopenInFreshPage(tab, { url: page.url, name: deviceName, expected: PRODUCTS, session, lookups: LOOKUPS, sales: SALES }, step, DEBUG);

    const exact = check.stored === UPLOADS && check.duplicates === 0 && check.writtenCounter === UPLOADS && check.quarantinedCounter === 0;
    const pullVsRaw = raw ? pull.docsPerSecond / raw.chunked.docsPerSecond : null;
    const result: BenchResult = {
      command: `${DB === 'postgresql' ? 'BENCH_DB=postgresql ' : ''}npm run bench${PRODUCTS === 100_000 ? '' : ` -- --products ${PRODUCTS}`}`,
      at: new Date().toISOString(),
      environment: { node: process.version, chromium: browser.version(), cpus: cpus().length, platform: `${process.platform}-${process.arch}` },
      load: loadavg().map((value) => Math.round(value * 100) / 100),
      config: { db: DB, products: PRODUCTS, uploads: UPLOADS, changes: CHANGES, priceChanges, lookups: LOOKUPS, sales: SALES, pullBatchSize: PULL_BATCH ?? 'client default', pushBatchSize: PUSH_BATCH ?? 'client default' },
      pull,
      raw,
      pullVsRaw: pullVsRaw === null ? null : Math.round(pullVsRaw * 1000) / 1000,
      pullVsKeyOnly: raw ? Math.round((pull.docsPerSecond / raw.keyOnly.docsPerSecond) * 1000) / 1000 : null,
      upload: { ...upload, check, exact },
      latency,
      reopened,
      priceChange,
      scale: scaleFigures(PRODUCTS, pull, reopened, priceChange),
      targets: {
        pullVsRaw: { target: TARGETS.pullVsRaw, met: pullVsRaw !== null && pullVsRaw >= TARGETS.pullVsRaw },
        uploadSeconds: { target: TARGETS.uploadSeconds, met: upload.seconds < TARGETS.uploadSeconds },
        uploadExact: { met: exact },
      },
    };
    writeFigures(resultFile, result, formatTable(result));
    if (PROFILE) {
      writeFileSync(profileFile, `${JSON.stringify(profiles, null, 2)}\n`);
      for (const [label, summary] of Object.entries(profiles)) {
        const modules = summary.byModule.map((entry) => `${entry.module} ${entry.ms} ms (${entry.share} %)`).join(', ');
        process.stdout.write(`CPU of the page during the ${label} (${summary.totalMs} ms): ${modules}\n`);
      }
      process.stdout.write(`Profiles: ${profileFile.slice(root.length)}\n`);
    }
    // Missed speed targets are findings to report; a lost or doubled upload is a failure.
    return exact && latency.timeouts === 0 ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await page?.close().catch(() => undefined);
    await central?.close().catch(() => undefined);
  }
}

main()
  .then(async (code) => (DEVICE_ONLY ? code : Math.max(code, await (await import('./pos/run.ts')).runPosBench())))
  .then(async (code) => (DEVICE_ONLY ? code : Math.max(code, await (await import('./sheets/run.ts')).runSheetsBench())))
  .then(async (code) => (DEVICE_ONLY ? code : Math.max(code, await (await import('./backoffice/billing-run.ts')).runBillingBench())))
  .then(async (code) => (DEVICE_ONLY ? code : Math.max(code, await (await import('./integration/run.ts')).runIntegrationBench())))
  .then(async (code) => (DEVICE_ONLY ? code : Math.max(code, await (await import('./fleet/scale.ts')).addFleetToScale(resultFile))))
  .then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
