import type { ServerCheck } from './check.ts';
import type { LookupFigures, PosUploadFigures, PrepareFigures, SalesFigures, Timing } from './types.ts';

export interface PosBenchResult {
  command: string;
  at: string;
  environment: { node: string; chromium: string; cpus: number; loadAverage: number[]; platform: string };
  config: { products: number; sales: number; lookups: number };
  prepare: PrepareFigures;
  lookups: LookupFigures;
  sales: Omit<SalesFigures, 'soldByProduct'> & { productsSold: number };
  upload: PosUploadFigures;
  check: ServerCheck;
  /** Every sale on the server once, none quarantined, stock and summary exact. */
  exact: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');
/** Chromium's timer has 0.1 ms steps here: a 0 reads "under 0.1 ms". */
const under = (value: number) => (value === 0 ? '< 0.1' : String(value));
const ms = (t: Timing) => `p50 ${under(t.p50)} ms, p95 ${under(t.p95)} ms, max ${under(t.max)} ms (${n(t.samples)} samples)`;

/** The figures a person reads, one per line, with the command that reproduces them. */
export function formatPosReport(result: PosBenchResult): string {
  const { prepare, lookups, sales, upload, check } = result;
  return [
    `POS benchmark — ${n(result.config.products)} products, ${result.environment.cpus} CPUs, load ${result.environment.loadAverage.join(' ')}, Chromium ${result.environment.chromium}`,
    `  station setup      pull ${prepare.pullSeconds} s, product index built in ${prepare.indexSeconds} s, ${prepare.promotions} promotions`,
    `  barcode lookup     ${ms(lookups.byBarcode)}; mean ${lookups.byBarcodeMeanMicros} µs`,
    `  search(barcode)    ${ms(lookups.searchWholeBarcode)}  (the sale screen's suggestions for a scanned code)`,
    `  per keystroke      ${ms(lookups.searchPerKeystroke)}`,
    `  search(words)      ${ms(lookups.searchWords)}`,
    `  record a sale      ${ms(sales.record)}; p95 first 1,000 ${sales.firstThousandP95} ms, last 1,000 ${sales.lastThousandP95} ms`,
    `                     ${n(sales.withPromotion)} of ${n(sales.sales)} sales with a promotion, ${n(sales.lines)} lines, ${n(sales.productsSold)} products`,
    `  upload after reconnect  ${n(upload.sales)} sales in ${upload.seconds} s = ${n(upload.salesPerSecond)} sales/s; everything (audit too) in ${upload.allSeconds ?? 'n/a'} s, ${n(upload.requests)} requests`,
    `                     sales pushes, request → answer summed (they overlap): ${(upload.salesPushMs / 1000).toFixed(1)} s`,
    `  server check       ${n(check.stored)} sales stored, ${check.duplicates} doubled, ${n(check.writtenCounter)} written, ${check.quarantinedCounter} quarantined, ${check.conflictCounter} conflicts`,
    `                     summary ${n(check.summary.salesCount)} sales / ${n(check.summary.paidCents)} cents (station ${n(sales.paidCents)}); stock exact on ${n(check.productsChecked - check.stockMismatches)} of ${n(check.productsChecked)} products`,
    `  result             ${result.exact ? 'every sale uploaded once, verified, stock and totals exact' : 'MISMATCH: see the server check above'}`,
    `Reproduce: ${result.command}`,
  ].join('\n');
}
