import type { LatencyFigures, PullFigures, ReopenFigures, RawDexieFigures, UploadFigures } from './types.ts';
import type { UploadCheck } from './central.ts';

export const TARGETS = { pullVsRaw: 0.7, uploadSeconds: 1.5 } as const;

export interface BenchResult {
  command: string;
  at: string;
  environment: { node: string; chromium: string; cpus: number; platform: string };
  config: { products: number; uploads: number; changes: number; pullBatchSize: number | 'client default'; pushBatchSize: number | 'client default' };
  pull: PullFigures;
  raw: RawDexieFigures;
  /** Pull docs/s over raw chunked bulkPut docs/s. */
  pullVsRaw: number;
  /** Pull docs/s over raw chunked bulkPut with the primary key only (the catalogue storage's own layout). */
  pullVsKeyOnly: number;
  upload: UploadFigures & { check: UploadCheck; exact: boolean };
  latency: LatencyFigures;
  reopened: ReopenFigures;
  targets: { pullVsRaw: { target: number; met: boolean }; uploadSeconds: { target: number; met: boolean }; uploadExact: { met: boolean } };
}

const number = (value: number): string => value.toLocaleString('en-US');
const mark = (met: boolean): string => (met ? 'ok' : 'MISSED');

/** The compact table printed at the end of a run. */
export function formatTable(result: BenchResult): string {
  const { pull, raw, upload, latency, reopened, targets } = result;
  const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;
  const rows: [string, string, string][] = [
    [`1. initial pull (startSync → RxDB; products in the ${pull.productStorage} storage)`, `${number(pull.docs)} docs in ${pull.seconds} s = ${number(pull.docsPerSecond)} docs/s`, ''],
    ['2. raw Dexie bulkPut, chunks of ' + number(raw.chunked.chunk), `${raw.chunked.seconds} s = ${number(raw.chunked.docsPerSecond)} docs/s`, ''],
    ['   raw Dexie bulkPut, primary key only, same chunks', `${raw.keyOnly.seconds} s = ${number(raw.keyOnly.docsPerSecond)} docs/s`, `pull reaches ${percent(result.pullVsKeyOnly)} of it`],
    ['   raw Dexie bulkPut, one transaction', `${raw.single.seconds} s = ${number(raw.single.docsPerSecond)} docs/s`, ''],
    ['   raw in RxDB\'s Dexie layout + its read-before-write', `${raw.rxdbLayout.seconds} s = ${number(raw.rxdbLayout.docsPerSecond)} docs/s (${percent(raw.rxdbLayout.docsPerSecond / raw.chunked.docsPerSecond)} of raw)`, 'the ceiling of a pull into the Dexie storage'],
    ['   pull / raw (chunked)', percent(result.pullVsRaw), `target ≥ ${TARGETS.pullVsRaw * 100} %: ${mark(targets.pullVsRaw.met)}`],
    ['3. upload of offline writes', `${number(upload.docs)} docs in ${upload.seconds} s = ${number(upload.docsPerSecond)} docs/s`, `target < ${TARGETS.uploadSeconds} s: ${mark(targets.uploadSeconds.met)}`],
    ['   sendNow() resolved', upload.sendNowSeconds === null ? 'not within the bound (see report)' : `after ${upload.sendNowSeconds} s`, ''],
    ['   on the server', `${number(upload.check.stored)} stored, ${upload.check.duplicates} doubled, written counter ${number(upload.check.writtenCounter)}`, `exactly ${number(upload.docs)}: ${mark(targets.uploadExact.met)}`],
    ['4. server → device latency', `p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms (${latency.changes} changes, ${latency.timeouts} timed out)`, ''],
    ['   PUT answered', `p50 ${latency.putP50} ms, p95 ${latency.putP95} ms`, ''],
    [`5. reopen with ${number(reopened.docs)} products, to a built index`, `${number(reopened.totalMs)} ms: open ${number(reopened.openMs)}, find ${number(reopened.readMs)}, index ${number(reopened.indexMs)}`, reopened.heapMb === null ? '' : `JS heap retained: ${reopened.heapMb} MB`],
  ];
  const width = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(width[column]!)).join('  ').trimEnd());
  return [
    `Balcão benchmark — ${result.at} — Node ${result.environment.node}, Chromium ${result.environment.chromium}, ${result.environment.cpus} CPUs`,
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
