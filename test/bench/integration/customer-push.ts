/**
 * `npx tsx test/bench/integration/customer-push.ts [products] [customers]`: the server's share of the
 * bench's offline upload (phase 3: `customers` new customers, default 10,000, pushed as the device does,
 * in requests of 5,000 sent at once) on the kept seeded PGlite of first-sync.ts
 * (`/tmp/balcao_first_sync_<products>`, default 1,000,000; seeded on first use), without a browser.
 * Prints the wall time until the last answer, the server process's CPU time during it, and the
 * server's database time by statement (BENCH_TIME_QUERIES=1, the default here).
 * BENCH_DB=postgresql: the kept PostgreSQL database of first-sync.ts instead.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { withCpfCheckDigits } from '../../../sync/rules/tax-id.ts';
import { startCentralProcess } from '../central.ts';
import { keptDatabase, postJson, signInStationAndAdmin } from '../kept-central.ts';

const PRODUCTS = Number(process.argv[2] ?? 1_000_000);
const CUSTOMERS = Number(process.argv[3] ?? 10_000);
const REQUEST = 5_000;
const load = () => loadavg().map((value) => value.toFixed(2)).join(' / ');

process.env.BENCH_TIME_QUERIES ??= '1';
const central = await startCentralProcess({ ...(await keptDatabase(PRODUCTS)), seedDemo: true }, PRODUCTS);
try {
  const { cashier } = await signInStationAndAdmin(central.url);
  // Ids and tax ids new on every run (by the clock), so every row is an insert, as in the bench.
  const stamp = Date.now() % 1_000_000;
  const now = new Date().toISOString();
  const rows = Array.from({ length: CUSTOMERS }, (_v, i) => ({
    newDocumentState: { id: `push-${stamp}-${i}`, name: `Cliente Bench ${i}`, taxId: withCpfCheckDigits(String(100_000_000 + ((stamp * 10 + i) % 899_999_999))), city: 'São Paulo', active: true, updatedAt: now, _deleted: false },
  }));
  await central.queryTimes(true);
  const cpuBefore = await central.cpu();
  const loadBefore = load();
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: Math.ceil(CUSTOMERS / REQUEST) }, (_v, k) => postJson<unknown[]>(`${central.url}/api/sync/customers/push`, rows.slice(k * REQUEST, (k + 1) * REQUEST), cashier.token)),
  );
  const ms = Math.round(performance.now() - started);
  const cpuMs = Math.round(((await central.cpu()).cpuSeconds - cpuBefore.cpuSeconds) * 1000);
  const conflicts = answers.reduce((sum, answer) => sum + answer.length, 0);
  console.log(`push of ${CUSTOMERS} new customers at ${PRODUCTS} products (${process.env.BENCH_DB ?? 'pglite'}): ${ms} ms until the last answer, server CPU ${cpuMs} ms, ${conflicts} conflicts answered; load ${loadBefore} → ${load()}`);
  for (const { sql, ms: spent, count } of ((await central.queryTimes(false)) ?? []).slice(0, 12)) console.log(`${String(Math.round(spent)).padStart(8)} ms ${String(count).padStart(5)}×  ${sql}`);
} finally {
  await central.close();
}
