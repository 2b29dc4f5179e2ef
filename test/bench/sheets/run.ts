/**
 * The spreadsheet benchmark (issue 11 "Spreadsheets", API-03), part of `npm run bench`; alone:
 * `npx tsx test/bench/sheets/run.ts`.
 * 1. On the device (Chromium, the app's database on IndexedDB, the sheet worker): dry run and import of
 *    BENCH_SHEET_ROWS (10,000) consumption rows from an .xlsx (a live list of the collection open, as on
 *    the screen), then the dry run of the same file again (every row now equal to its record: the
 *    re-import of an export). Targets: ≤ 2 s each. Then their upload by the app's sync client to a real
 *    server (PGlite), until every row is acknowledged (target ≤ 3 s); the server's count is checked.
 * 2. On the server (PGlite in a temp folder): BENCH_EXPORT_ROWS (100,000) consumption records loaded
 *    through the consumption batch, then GET /api/v1/billing/consumption?format=xlsx streamed to the
 *    client: time, bytes, and the server process's peak memory above its level before the export.
 * BENCH_SHEETS=0 skips it. BENCH_UPLOAD_STORAGE=dexie-meta|meta-memory|memory: an experiment on the device's storage
 * (see SheetsBenchApi.importConsumption), not the app's figures. BENCH_PROFILE=1 records the page's CPU profile during the device phase, or
 * BENCH_PROFILE=dryRun|import|upload during that part only (self time by module and function, printed and
 * written to test-results/bench-sheets-profile.json).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { startServer, type RunningServer } from '../../../sync/server/node/start.ts';
import { XLSX_TYPE } from '../../../sync/server/http/xlsx.ts';
import { withCpfCheckDigits } from '../../../sync/rules/tax-id.ts';
import { summarize, type CpuProfile } from '../cpu-profile.ts';
import { launchChromium, openBenchPage, positive as size, stepper, within, writeFigures } from '../harness.ts';
import { serveStatic } from '../static-server.ts';
import { cpuBetween, readCpu, type CpuReading } from './process-cpu.ts';
import type { ImportFigures, UploadStorage } from './types.ts';

type Phase = 'dryRun' | 'import' | 'dryRunAgain' | 'upload';
/** CPU seconds of one part: Chromium's processes (page, IndexedDB, network) and this process (the server, PGlite). */
interface PhaseCpu {
  browser: number;
  benchProcess: number;
  /** The machine's 1-minute load average when the part started. */
  loadAtStart: number;
}

const pageDir = fileURLToPath(new URL('../../../dist/bench-sheets/', import.meta.url));
const resultFile = fileURLToPath(new URL('../../../test-results/bench-sheets.json', import.meta.url));
const profileFile = fileURLToPath(new URL('../../../test-results/bench-sheets-profile.json', import.meta.url));
const COMMAND = 'npx tsx test/bench/sheets/run.ts (or npm run bench, which runs it after the POS bench)';
const TARGET_SECONDS = 2;
const UPLOAD_TARGET_SECONDS = 3;
const MB = 1024 * 1024;

const step = stepper('bench sheets');

interface ExportFigures {
  rows: number;
  loadSeconds: number;
  exportSeconds: number;
  bytes: number;
  rowsInFile: number;
  rssBeforeMb: number;
  peakRssAboveBeforeMb: number;
  peakHeapUsedMb: number;
  /** A 100,000-row .xlsx upload the server reads and refuses at its header: the answer, and the server's longest event-loop pause meanwhile (ms). */
  uploadRead: { rows: number; bytes: number; seconds: number; longestPauseMs: number; firstSeconds: number; firstLongestPauseMs: number };
}

async function json(server: RunningServer, token: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * The server the device's import uploads to (PGlite in a temp folder), holding the page's service and
 * 50 contracts (test/bench/sheets/page/main.ts), and a back-office user's token.
 */
async function uploadServer(): Promise<{ server: RunningServer; token: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-sheets-upload-'));
  const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'error', rateLimit: false, announce: () => undefined });
  const close = async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'retaguarda', password: 'retaguarda123' }) });
    const { token } = (await login.json()) as { token: string };
    const at = new Date().toISOString();
    const push = (collection: string, docs: Record<string, unknown>[]) => json(server, token, 'POST', `/api/sync/${collection}/push`, docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null })));
    await push('customers', Array.from({ length: 50 }, (_, i) => ({ id: `cust-${i}`, name: `Cliente ${i}`, taxId: withCpfCheckDigits(String(400_000_000 + i)), active: true, updatedAt: at })));
    await push('backoffice', [
      { id: 'svc-min', kind: 'service', code: 'MIN', name: 'Minutos', active: true, monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, updatedAt: at },
      ...Array.from({ length: 50 }, (_, i) => ({ id: `ct-${i}`, kind: 'contract', code: `CT-${i}`, customerId: `cust-${i}`, startDate: '2026-01-01', billingDay: 10, state: 'draft', history: [], lines: [{ id: `ct-${i}-l`, serviceId: 'svc-min', quantity: 1 }], updatedAt: at })),
    ]);
    return { server, token, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Live consumption records the server holds (the integration change feed, page after page). */
async function countConsumption(server: RunningServer, token: string): Promise<number> {
  const live = new Set<string>();
  for (let since = 0; ;) {
    const page = (await json(server, token, 'GET', `/api/v1/consumption?since=${since}&limit=5000`)) as { documents: { id: string; _deleted?: boolean }[]; checkpoint: { seq: number } };
    for (const doc of page.documents) {
      if (doc._deleted) live.delete(doc.id);
      else live.add(doc.id);
    }
    if (page.documents.length < 5000 || page.checkpoint.seq === since) return live.size;
    since = page.checkpoint.seq;
  }
}

async function exportBench(rows: number): Promise<ExportFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-sheets-'));
  const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'error', rateLimit: false, announce: () => undefined });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'retaguarda', password: 'retaguarda123' }) });
    const { token } = (await login.json()) as { token: string };
    const at = new Date().toISOString();
    const push = (collection: string, docs: Record<string, unknown>[]) => json(server, token, 'POST', `/api/sync/${collection}/push`, docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null })));
    await push('customers', [{ id: 'bench-cust', name: 'Cliente Bench', taxId: '52998224725', active: true, updatedAt: at }]);
    await push('backoffice', [
      { id: 'bench-svc', kind: 'service', code: 'MIN', name: 'Minutos', active: true, monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, updatedAt: at },
      { id: 'bench-ct', kind: 'contract', code: 'CT-BENCH', customerId: 'bench-cust', startDate: '2026-01-01', billingDay: 10, state: 'draft', history: [], lines: [{ id: 'bench-l', serviceId: 'bench-svc', quantity: 1 }], updatedAt: at },
    ]);
    step(`   loading ${rows.toLocaleString('en-US')} consumption records through the consumption batch (10,000 a call)`);
    const loadStarted = performance.now();
    for (let start = 0; start < rows; start += 10_000) {
      const items = Array.from({ length: Math.min(10_000, rows - start) }, (_, i) => ({ externalId: `B-${start + i}`, contractId: 'bench-ct', serviceId: 'bench-svc', quantity: 1 + ((start + i) % 500), date: `2026-10-${String(1 + ((start + i) % 28)).padStart(2, '0')}`, description: `linha ${start + i}` }));
      const report = await json(server, token, 'POST', '/api/v1/billing/consumption/batch', { items });
      if (report.written !== items.length) throw new Error(`the batch wrote ${String(report.written)} of ${items.length}: ${JSON.stringify(report.errors).slice(0, 300)}`);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);
    step(`   exporting ${rows.toLocaleString('en-US')} rows as .xlsx (streamed)`);
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/billing/consumption?format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok || !response.body) throw new Error(`export: HTTP ${response.status}`);
    // The client keeps the file (to count its rows afterwards) as chunks, as a download would on disk.
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value);
      bytes += read.value.byteLength;
    }
    const exportSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const uploadRead = await uploadReadBench(server, token, size('BENCH_UPLOAD_READ_ROWS', 100_000));
    return {
      rows,
      uploadRead,
      loadSeconds: Math.round(loadSeconds * 100) / 100,
      exportSeconds: Math.round(exportSeconds * 100) / 100,
      bytes,
      rowsInFile: workbook.worksheets[0]!.rowCount - 1,
      rssBeforeMb: Math.round(before.rss / MB),
      peakRssAboveBeforeMb: Math.round((peakRss - before.rss) / MB),
      peakHeapUsedMb: Math.round(peakHeap / MB),
    };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The server reading a big .xlsx upload (`rows` data rows, 5 columns) that it then refuses at its header, so
 * the figure is the read alone, not the rows' checks: how long the answer took and the longest pause of
 * the server's event loop meanwhile (it runs in this process), which every other request (live streams
 * included) waits out. The sheet is read in a worker thread (sync/server/http/xlsx-reader.ts).
 */
async function uploadReadBench(server: RunningServer, token: string, rows: number): Promise<ExportFigures['uploadRead']> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Consumo');
  sheet.addRow(['not', 'the', 'template', 'columns', 'here']);
  for (let i = 0; i < rows; i++) sheet.addRow([`CT-${i % 5000}`, 'MIN', '01/10/2026', 1 + (i % 500), `linha ${i}`]);
  const file = Buffer.from(await workbook.xlsx.writeBuffer());
  step(`   uploading a ${rows.toLocaleString('en-US')}-row .xlsx (${(file.byteLength / MB).toFixed(1)} MB) the server reads and refuses at its header`);
  const once = async () => {
    const pauses = monitorEventLoopDelay({ resolution: 10 });
    pauses.enable();
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/billing/consumption/batch?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': XLSX_TYPE }, body: file });
    const answer = await response.text();
    const seconds = (performance.now() - started) / 1000;
    pauses.disable();
    if (response.status !== 400 || !answer.includes('Row 1 must name')) throw new Error(`the upload answered HTTP ${response.status}, not the header refusal: ${answer.slice(0, 300)}`);
    return { seconds: Math.round(seconds * 100) / 100, longestPauseMs: Math.round(pauses.max / 1e6) };
  };
  // The first upload also starts the reader thread; the figures are the second's.
  const first = await once();
  return { rows, bytes: file.byteLength, ...(await once()), firstSeconds: first.seconds, firstLongestPauseMs: first.longestPauseMs };
}

function report(result: { device: ImportFigures & { uploaded: number; cpu: Partial<Record<Phase, PhaseCpu>> }; server: ExportFigures; environment: Record<string, unknown> }): string {
  const d = result.device;
  const cpuOf = (phase: Phase) => {
    const spent = d.cpu[phase];
    return spent ? `; CPU: browser ${spent.browser.toFixed(2)} s, server and bench ${spent.benchProcess.toFixed(2)} s; load ${spent.loadAtStart}` : '';
  };
  const s = result.server;
  const mark = (seconds: number) => (seconds <= TARGET_SECONDS ? 'met' : 'MISSED');
  return [
    `Spreadsheets (issue 11, API-03) — ${COMMAND}`,
    `device, ${d.rows.toLocaleString('en-US')} consumption rows (.xlsx of ${Math.round(d.fileBytes / 1024)} KiB), Chromium, IndexedDB:`,
    `  dry run (read in the worker + check)  ${d.dryRunSeconds.toFixed(2)} s  (read ${d.readSeconds.toFixed(2)} s; target ≤ ${TARGET_SECONDS} s: ${mark(d.dryRunSeconds)}; ${d.errors} errors${cpuOf('dryRun')})`,
    `  import (RxDB writes)                  ${d.importSeconds.toFixed(2)} s  (target ≤ ${TARGET_SECONDS} s: ${mark(d.importSeconds)}; ${d.written.toLocaleString('en-US')} written${cpuOf('import')})`,
    `  upload (sync client → server)         ${d.uploadSeconds.toFixed(2)} s  (target ≤ ${UPLOAD_TARGET_SECONDS} s: ${d.uploadSeconds <= UPLOAD_TARGET_SECONDS ? 'met' : 'MISSED'}; ${d.uploaded.toLocaleString('en-US')} on the server${cpuOf('upload')})`,
    `  page heap after the upload minus before: ${d.uploadHeapMb ?? '?'} MB (sync engine and replication metadata)`,
    `  upload's requests (ms after its start; the gaps are the device's work): ${d.uploadRequests.map((r) => `${r.what}${r.rows ? ` ×${r.rows}` : ''} ${r.startMs}–${r.endMs}`).join(', ')}`,
    `  longest main-thread pause during the import (live list on): ${d.longestImportGapMs} ms`,
    `  dry run again (re-import, unchanged)  ${d.dryRunAgainSeconds.toFixed(2)} s  (${d.unchangedAgain.toLocaleString('en-US')} unchanged)`,
    `  longest main-thread pause during the dry run: ${d.longestMainThreadGapMs} ms`,
    `server, ${s.rows.toLocaleString('en-US')} consumption records (PGlite):`,
    `  load through the consumption batch    ${s.loadSeconds.toFixed(2)} s`,
    `  .xlsx export, streamed                ${s.exportSeconds.toFixed(2)} s, ${(s.bytes / MB).toFixed(1)} MB, ${s.rowsInFile.toLocaleString('en-US')} rows in the file`,
    `  server process memory: RSS ${s.rssBeforeMb} MB before, peak +${s.peakRssAboveBeforeMb} MB during the export; peak heap used ${s.peakHeapUsedMb} MB`,
    `  .xlsx upload of ${s.uploadRead.rows.toLocaleString('en-US')} rows read (${(s.uploadRead.bytes / MB).toFixed(1)} MB)  ${s.uploadRead.seconds.toFixed(2)} s; the server's longest event-loop pause meanwhile ${s.uploadRead.longestPauseMs} ms (the first upload: ${s.uploadRead.firstSeconds.toFixed(2)} s, ${s.uploadRead.firstLongestPauseMs} ms)`,
    `environment: ${JSON.stringify(result.environment)}`,
  ].join('\n');
}

/** Runs the spreadsheet benchmark; resolves to the exit code (1 when a row was lost or an export is short). */
export async function runSheetsBench(): Promise<number> {
  if (process.env.BENCH_SHEETS === '0') return 0;
  const importRows = size('BENCH_SHEET_ROWS', 10_000);
  const exportRows = size('BENCH_EXPORT_ROWS', 100_000);
  step(`building the spreadsheet bench page into ${pageDir}`);
  await build({ configFile: fileURLToPath(new URL('./vite.sheets.config.ts', import.meta.url)), root: undefined });
  let browser: Browser | null = null;
  let page: Awaited<ReturnType<typeof serveStatic>> | null = null;
  let device: ImportFigures;
  let uploaded = 0;
  const cpu: Partial<Record<Phase, PhaseCpu>> = {};
  const upload = await uploadServer();
  try {
    page = await serveStatic(pageDir);
    upload.server.allowOrigin(new URL(page.url).origin);
    browser = await launchChromium();
    const { tab, call } = await openBenchPage(browser, page.url, 'sheetsBench', step);
    // BENCH_PROFILE=1: the whole device phase; =dryRun, =import, =upload: that part only. The page names
    // each part as it starts (window.sheetsBenchPhase); the CPU time of each part is read then too.
    const profiled = process.env.BENCH_PROFILE;
    const cdp = profiled ? await tab.context().newCDPSession(tab) : null;
    let profiling: Promise<unknown> | null = null;
    let stopped: Promise<{ profile: CpuProfile }> | null = null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      if (profiled === '1') profiling = cdp.send('Profiler.start');
    }
    let current: { phase: Phase; at: CpuReading; load: number } | null = null;
    await tab.exposeFunction('sheetsBenchPhase', async (phase: Phase | 'done') => {
      const at = readCpu();
      if (current) {
        const spent = cpuBetween(current.at, at);
        cpu[current.phase] = { browser: spent.children, benchProcess: spent.self, loadAtStart: current.load };
      }
      current = phase === 'done' ? null : { phase, at, load: Math.round(loadavg()[0]! * 10) / 10 };
      if (!cdp) return;
      if (profiling && !stopped && phase !== profiled && profiled !== '1') stopped = cdp.send('Profiler.stop') as unknown as Promise<{ profile: CpuProfile }>;
      if (phase === profiled) profiling = cdp.send('Profiler.start');
      await (stopped ?? profiling);
    });
    step(`1. device: dry run and import of ${importRows.toLocaleString('en-US')} consumption rows`);
    const storage = (process.env.BENCH_UPLOAD_STORAGE ?? 'app') as UploadStorage;
    if (!['app', 'dexie-meta', 'meta-memory', 'memory'].includes(storage)) throw new Error(`BENCH_UPLOAD_STORAGE=${storage}: app, dexie-meta, meta-memory or memory`);
    if (storage !== 'app') step(`   experiment: BENCH_UPLOAD_STORAGE=${storage} (not the app's storage)`);
    device = await within('the device import', 600_000, call('importConsumption', [importRows, { url: upload.server.url, token: upload.token }, storage]));
    uploaded = await countConsumption(upload.server, upload.token);
    if (cdp) {
      if (!profiling) throw new Error(`BENCH_PROFILE=${profiled}: no such part (1, dryRun, import, upload)`);
      const { profile } = await (stopped ?? (cdp.send('Profiler.stop') as unknown as Promise<{ profile: CpuProfile }>));
      const summary = summarize(profile, pageDir, 25);
      mkdirSync(dirname(profileFile), { recursive: true });
      writeFileSync(profileFile, `${JSON.stringify(summary, null, 2)}\n`);
      // The whole profile too, for Chromium's DevTools (Performance → Load profile) or a script.
      writeFileSync(profileFile.replace(/\.json$/, '.cpuprofile'), JSON.stringify(profile));
      process.stdout.write(`CPU of the page during the device phase (${summary.totalMs} ms): ${summary.byModule.map((entry) => `${entry.module} ${entry.ms} ms`).join(', ')}\n`);
      process.stdout.write(`Top functions: ${summary.byFunction.map((entry) => `${entry.fn} [${entry.module}] ${entry.ms} ms`).join('; ')}\n`);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await page?.close().catch(() => undefined);
    await upload.close().catch(() => undefined);
  }
  step(`2. server: streamed .xlsx export of ${exportRows.toLocaleString('en-US')} rows`);
  const server = await within('the export', 1_200_000, exportBench(exportRows));
  const environment = { node: process.version, cpus: cpus().length, loadAverage: loadavg().map((value) => Math.round(value * 100) / 100), platform: `${process.platform}-${process.arch}` };
  const result = { command: COMMAND, at: new Date().toISOString(), environment, device: { ...device, uploaded, cpu }, server };
  writeFigures(resultFile, result, report(result));
  return device.written === importRows && uploaded === importRows && device.errors === 0 && device.unchangedAgain === importRows && server.rowsInFile === exportRows ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runSheetsBench().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Spreadsheet benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
