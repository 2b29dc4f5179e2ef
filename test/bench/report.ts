import type { LatencyFigures, PriceChangeFigures, PullFigures, ReopenFigures, RawDexieFigures, UploadFigures } from './types.ts';
import type { UploadCheck } from './central.ts';

export const TARGETS = { pullVsRaw: 0.7, uploadSeconds: 1.5 } as const;

/**
 * Issue 16's figures, named so a script can read them (`scale.reopenMs`, …). The device's come from this
 * run; `uploadSalesPerSecond`, `fleetSeconds` and `serverRssMB` come from the server's fleet bench
 * (test/bench/fleet), null until a run fills them.
 */
export interface ScaleFigures {
  products: number;
  firstSyncSeconds: number;
  /** Database open → catalogue and POS core ready (a usable sale screen), ms. */
  reopenMs: number;
  /** JS heap the open catalogue retains, after a full GC, MB. */
  heapMB: number | null;
  barcodeP95Ms: number;
  keystrokeP95Ms: number;
  saleP95Ms: number;
  priceChangeMs: number | null;
  uploadSalesPerSecond: number | null;
  fleetSeconds: number | null;
  serverRssMB: number | null;
}

export const SCALE_TARGETS = { firstSyncSeconds: 60, reopenMs: 3_000, heapMB: 300, barcodeP95Ms: 1, keystrokeP95Ms: 30, saleP95Ms: 10, priceChangeMs: 2_000 } as const;

export function scaleFigures(products: number, pull: PullFigures, reopened: ReopenFigures, priceChange: PriceChangeFigures): ScaleFigures {
  return {
    products,
    firstSyncSeconds: pull.seconds,
    reopenMs: reopened.totalMs,
    heapMB: reopened.heapMb,
    barcodeP95Ms: reopened.lookups.barcode.p95,
    keystrokeP95Ms: reopened.lookups.keystroke.p95,
    saleP95Ms: reopened.sales.record.p95,
    priceChangeMs: priceChange.ms,
    uploadSalesPerSecond: null,
    fleetSeconds: null,
    serverRssMB: null,
  };
}

export interface BenchResult {
  command: string;
  at: string;
  environment: { node: string; chromium: string; cpus: number; platform: string };
  /** The machine's load average (1, 5, 15 min) when the figures were taken. */
  load: number[];
  config: {
    /** The server's database (BENCH_DB). */
    db: 'pglite' | 'postgresql';
    products: number;
    uploads: number;
    changes: number;
    priceChanges: number;
    lookups: number;
    sales: number;
    pullBatchSize: number | 'client default';
    pushBatchSize: number | 'client default';
  };
  pull: PullFigures;
  /** Null above 200,000 products unless BENCH_RAW=1. */
  raw: RawDexieFigures | null;
  /** Pull docs/s over raw chunked bulkPut docs/s. */
  pullVsRaw: number | null;
  /** Pull docs/s over raw chunked bulkPut with the primary key only (the catalogue storage's own layout). */
  pullVsKeyOnly: number | null;
  upload: UploadFigures & { check: UploadCheck; exact: boolean };
  latency: LatencyFigures;
  reopened: ReopenFigures;
  priceChange: PriceChangeFigures;
  scale: ScaleFigures;
  targets: { pullVsRaw: { target: number; met: boolean }; uploadSeconds: { target: number; met: boolean }; uploadExact: { met: boolean } };
}

const number = (value: number): string => value.toLocaleString('en-US');
const mark = (met: boolean): string => (met ? 'ok' : 'MISSED');

/** The compact table printed at the end of a run. */
export function formatTable(result: BenchResult): string {
  const { pull, raw, upload, latency, reopened, targets, scale, priceChange } = result;
  const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;
  const rawRows: [string, string, string][] = raw
    ? [
        ['2. raw Dexie bulkPut, chunks of ' + number(raw.chunked.chunk), `${raw.chunked.seconds} s = ${number(raw.chunked.docsPerSecond)} docs/s`, ''],
        ['   raw Dexie bulkPut, primary key only, same chunks', `${raw.keyOnly.seconds} s = ${number(raw.keyOnly.docsPerSecond)} docs/s`, `pull reaches ${percent(result.pullVsKeyOnly ?? 0)} of it`],
        ['   raw Dexie bulkPut, one transaction', `${raw.single.seconds} s = ${number(raw.single.docsPerSecond)} docs/s`, ''],
        ['   raw in RxDB\'s Dexie layout + its read-before-write', `${raw.rxdbLayout.seconds} s = ${number(raw.rxdbLayout.docsPerSecond)} docs/s (${percent(raw.rxdbLayout.docsPerSecond / raw.chunked.docsPerSecond)} of raw)`, 'the ceiling of a pull into the Dexie storage'],
        ['   pull / raw (chunked)', percent(result.pullVsRaw ?? 0), `target ≥ ${TARGETS.pullVsRaw * 100} %: ${mark(targets.pullVsRaw.met)}`],
      ]
    : [['2. raw Dexie bulkPut', 'skipped above 200,000 products (BENCH_RAW=1 runs it)', '']];
  const within = (value: number | null, target: number) => (value === null ? '' : `target ≤ ${number(target)}: ${mark(value <= target)}`);
  const rows: [string, string, string][] = [
    [`1. initial pull (startSync → RxDB; products in the ${pull.productStorage} storage)`, `${number(pull.docs)} docs in ${pull.seconds} s = ${number(pull.docsPerSecond)} docs/s`, within(scale.firstSyncSeconds, SCALE_TARGETS.firstSyncSeconds)],
    ...rawRows,
    [`2b. price change of ${number(priceChange.products)} products on the server → open device`, priceChange.ms === null ? `not within the bound: ${priceChange.error ?? ''}` : `${number(priceChange.ms)} ms (server answered in ${number(priceChange.serverMs ?? 0)} ms)`, within(scale.priceChangeMs, SCALE_TARGETS.priceChangeMs)],
    ['3. upload of offline writes', `${number(upload.docs)} docs in ${upload.seconds} s = ${number(upload.docsPerSecond)} docs/s`, `target < ${TARGETS.uploadSeconds} s: ${mark(targets.uploadSeconds.met)}`],
    ['   sendNow() resolved', upload.sendNowSeconds === null ? 'not within the bound (see report)' : `after ${upload.sendNowSeconds} s`, ''],
    ['   on the server', `${number(upload.check.stored)} stored, ${upload.check.duplicates} doubled, written counter ${number(upload.check.writtenCounter)}`, `exactly ${number(upload.docs)}: ${mark(targets.uploadExact.met)}`],
    ['4. server → device latency', `p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms (${latency.changes} changes, ${latency.timeouts} timed out)`, ''],
    ['   PUT answered', `p50 ${latency.putP50} ms, p95 ${latency.putP95} ms`, ''],
    [`5. reopen with ${number(reopened.docs)} products, to a usable sale screen`, `${number(reopened.totalMs)} ms: database + catalogue ${number(reopened.openMs)}, POS core ${number(reopened.indexMs)}`, within(scale.reopenMs, SCALE_TARGETS.reopenMs)],
    ['   JS heap retained by the open catalogue (after GC)', reopened.heapMb === null ? 'n/a' : `${reopened.heapMb} MB (page total ${reopened.heapTotalMb} MB)`, within(scale.heapMB, SCALE_TARGETS.heapMB)],
    ['   barcode lookup', `p50 ${reopened.lookups.barcode.p50} ms, p95 ${reopened.lookups.barcode.p95} ms (${number(reopened.lookups.barcode.samples)})`, within(scale.barcodeP95Ms, SCALE_TARGETS.barcodeP95Ms)],
    ['   search per keystroke (24 rows)', `p50 ${reopened.lookups.keystroke.p50} ms, p95 ${reopened.lookups.keystroke.p95} ms (${number(reopened.lookups.keystroke.samples)})`, within(scale.keystrokeP95Ms, SCALE_TARGETS.keystrokeP95Ms)],
    ['   record a sale (offline)', `p50 ${reopened.sales.record.p50} ms, p95 ${reopened.sales.record.p95} ms (${number(reopened.sales.record.samples)})`, within(scale.saleP95Ms, SCALE_TARGETS.saleP95Ms)],
  ];
  const width = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(width[column]!)).join('  ').trimEnd());
  return [
    `Balcão benchmark — ${result.at} — Node ${result.environment.node}, Chromium ${result.environment.chromium}, ${result.environment.cpus} CPUs, load ${result.load.join(' / ')}, server database ${result.config.db}`,
    ...lines,
    `Profile of the pull: ${pull.requests} requests, fetch (server + first byte) ${number(pull.fetchMs)} ms, body + JSON.parse ${number(pull.jsonMs)} ms; storage: ${formatStorage(pull)}`,
    `Reproduce: ${result.command}`,
  ].join('\n');
}

function formatStorage(pull: PullFigures): string {
  const parts: string[] = [];
  for (const [instance, methods] of Object.entries(pull.storage)) {
    for (const [method, entry] of Object.entries(methods)) {
      if (entry.ms < 50) continue;
      parts.push(`${instance}.${method} ${number(Math.round(entry.ms))} ms/${entry.calls} calls${entry.docs ? `/${number(entry.docs)} docs` : ''}`);
    }
  }
  return parts.join(', ') || 'nothing above 50 ms';
}
