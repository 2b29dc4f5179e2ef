/**
 * What both benchmarks (run.ts, pos/run.ts) need around their phases: sizes from the environment,
 * progress lines, a time bound per phase, one headless Chromium with a page whose bench API the run
 * calls, and the figures written to test-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { BenchApi, DeviceSession, ReopenFigures } from './types.ts';
import type { PosBenchApi } from './pos/types.ts';
import type { SheetsBenchApi } from './sheets/types.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** A size from the environment variable `name`, or `fallback` when it is unset. */
export function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 1_000_000) throw new Error(`${name}=${raw} is not a whole number between 1 and 1,000,000.`);
  return value;
}

/** Progress on stderr, so stdout keeps only the report. */
export function stepper(label: string): (text: string) => void {
  return (text) => process.stderr.write(`[${label} ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

/** Bounds every phase: a hung page must fail the run, not keep it waiting forever. */
export async function within<T>(label: string, ms: number, work: Promise<T>): Promise<T> {
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      // Heap figures: a page may collect garbage before reading the heap, and reads it unrounded.
      '--js-flags=--expose-gc', '--enable-precise-memory-info',
    ],
  });
}

/** The API each bench page puts on `window`. */
interface BenchApis {
  bench: BenchApi;
  posBench: PosBenchApi;
  sheetsBench: SheetsBenchApi;
}
type BenchGlobal = keyof BenchApis;
type Api<G extends BenchGlobal> = BenchApis[G];

/**
 * Opens the bench page (in a new context of `where` when it is the browser), echoes its errors and
 * warnings (and debug lines with `debug`), waits for its API on `window[global]` and returns a typed
 * caller for it.
 */
export async function openBenchPage<G extends BenchGlobal>(where: Browser | BrowserContext, url: string, global: G, step: (text: string) => void, debug = false) {
  // A context of its own, not browser.newPage()'s (which the page owns and closes with it): a later
  // page of the same context sees the same IndexedDB (reopenInFreshPage).
  const tab = await ('newContext' in where ? await where.newContext() : where).newPage();
  tab.on('console', (message) => {
    // RxDB's advertisement for its paid storages, printed once per database.
    if (message.text().includes('RxDB Open Core RxStorage')) return;
    if (message.type() === 'error' || message.type() === 'warning' || (debug && message.type() === 'debug')) step(`page ${message.type()}: ${message.text()}`);
  });
  tab.on('pageerror', (error) => step(`page error: ${error.message}`));
  await tab.goto(url);
  await tab.waitForFunction((name) => window[name] !== undefined, global, { timeout: 30_000 });
  return { tab, call: caller<G>(tab, global) };
}

function caller<G extends BenchGlobal>(tab: Page, global: G) {
  return <K extends keyof Api<G>>(name: K, args: Api<G>[K] extends (...a: infer P) => unknown ? P : never): Promise<Api<G>[K] extends (...a: never[]) => infer R ? Awaited<R> : never> =>
    tab.evaluate(
      ([g, method, params]) => (window[g as BenchGlobal]![method as never] as (...a: unknown[]) => Promise<unknown>)(...(params as unknown[])),
      [global, name, args] as [string, string, unknown[]],
    ) as never;
}

/** Writes the figures as JSON and prints the report with where the figures are. */
export function writeFigures(file: string, result: unknown, report: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${report}\nFigures: ${file.slice(root.length)}\n`);
}

/**
 * Phase 5 of both device benches (run.ts, first-sync.ts): closes the page that filled the device
 * (after its close(), which saved the catalogue snapshot) and reopens the device `name` in a fresh
 * page, as a cashier's app start is a new renderer. In the page that ran the earlier phases the heap
 * before the reopen still held what they left, so "after minus before" said little (one
 * 1,000,000-product run reported −31 MB).
 */
export async function reopenInFreshPage(
  filled: Page,
  args: { url: string; name: string; expected: number; session: DeviceSession; lookups: number; sales: number },
  step: (text: string) => void,
  debug = false,
): Promise<ReopenFigures> {
  const context = filled.context();
  await filled.close();
  const { call } = await openBenchPage(context, args.url, 'bench', step, debug);
  return within('the reopen', 600_000, call('reopen', [args.name, args.expected, args.session, args.lookups, args.sales]));
}
