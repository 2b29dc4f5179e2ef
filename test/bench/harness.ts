/**
 * What both benchmarks (run.ts, pos/run.ts) need around their phases: sizes from the environment,
 * progress lines, a time bound per phase, one headless Chromium with a page whose bench API the run
 * calls, and the figures written to test-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BenchApi } from './types.ts';
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
 * Opens the bench page, echoes its errors and warnings (and debug lines with `debug`), waits for its
 * API on `window[global]` and returns a typed caller for it.
 */
export async function openBenchPage<G extends BenchGlobal>(browser: Browser, url: string, global: G, step: (text: string) => void, debug = false) {
  const tab = await browser.newPage();
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
