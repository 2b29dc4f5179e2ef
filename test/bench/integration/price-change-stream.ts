/**
 * `npx tsx test/bench/integration/price-change-stream.ts [products] [changes]`: issue 16's price change
 * (`changes` products, default 10,000, in batches of 1,000 through `POST /api/v1/products/batch`, by
 * sku) on the kept seeded PGlite of first-sync.ts (`/tmp/balcao_first_sync_<products>`, default
 * 1,000,000; seeded on first use), with one station's live stream open as a device holds it, but no
 * browser: the server's share of "a price change reaches an open station". Prints the wall time from
 * the first POST to the last changed product on the stream, the server's answers, the server process's
 * CPU time during it, and (BENCH_TIME_QUERIES=1, the default here) the server's database time by
 * statement, so the write and the stream's reads can be told apart. STREAM=0: no stream open (the
 * writes alone). BENCH_DB=postgresql: the kept PostgreSQL database of first-sync.ts instead.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { StreamChange } from '../../../sync/schema/index.ts';
import { readSse } from '../../../sync/client/sse.ts';
import { startCentralProcess } from '../central.ts';
import { keptDatabase, postJson, signInStationAndAdmin } from '../kept-central.ts';

const PRODUCTS = Number(process.argv[2] ?? 1_000_000);
const CHANGES = Number(process.argv[3] ?? 10_000);
const BATCH = 1_000;
const STREAM = process.env.STREAM !== '0';
const load = () => loadavg().map((value) => value.toFixed(2)).join(' / ');

process.env.BENCH_TIME_QUERIES ??= '1';
const central = await startCentralProcess({ ...(await keptDatabase(PRODUCTS)), seedDemo: true }, PRODUCTS);
const abort = new AbortController();
try {
  const { cashier, admin } = await signInStationAndAdmin(central.url);
  const stride = Math.max(1, Math.floor(PRODUCTS / CHANGES));
  // A price per run (by the clock), so each run changes every product (an unchanged one is not streamed).
  const stamp = Math.floor(Date.now() / 1000) % 40_000;
  const items = Array.from({ length: CHANGES }, (_v, i) => ({ sku: `P${String(1 + i * stride).padStart(6, '0')}`, priceCents: 100 + ((stamp + i) % 49_900) }));
  const wanted = new Map<string, number>();
  let resolveAll!: (at: number) => void;
  const arrived = new Promise<number>((resolve) => (resolveAll = resolve));
  let opened!: () => void;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  let posted = false;
  let changes = 0;
  let streamed = 0;
  if (STREAM) {
    const response = await fetch(`${central.url}/api/sync/stream`, { headers: { authorization: `Bearer ${cashier.token}`, accept: 'text/event-stream' }, signal: abort.signal });
    if (!response.ok || !response.body) throw new Error(`stream answered HTTP ${response.status}`);
    void readSse(response.body, (event) => {
      if (event.event === 'resync') opened();
      if (event.event !== 'change') return;
      const change = JSON.parse(event.data) as StreamChange;
      if (change.collection !== 'products') return;
      changes++;
      for (const doc of change.documents as unknown as { id: string; priceCents: number }[]) {
        streamed++;
        if (wanted.get(doc.id) === doc.priceCents) wanted.delete(doc.id);
      }
      if (posted && wanted.size === 0) resolveAll(performance.now());
    }).catch(() => undefined);
    await ready;
  }
  await central.queryTimes?.(true);
  const cpuBefore = await central.cpu();
  const loadBefore = load();
  const started = performance.now();
  let serverMs = 0;
  for (let start = 0; start < items.length; start += BATCH) {
    const sent = performance.now();
    const answer = await postJson<{ results: { id: string | null; status: string }[] }>(`${central.url}/api/v1/products/batch`, { items: items.slice(start, start + BATCH) }, admin.token);
    serverMs += performance.now() - sent;
    answer.results.forEach((result, index) => {
      if (result.status === 'updated' && result.id) wanted.set(result.id, items[start + index]!.priceCents);
    });
  }
  posted = true;
  const answered = performance.now();
  if (!STREAM || wanted.size === 0) resolveAll(answered);
  const timeout = setTimeout(() => resolveAll(Number.NaN), 120_000);
  const at = await arrived;
  clearTimeout(timeout);
  const cpuAfter = await central.cpu();
  const times = await central.queryTimes?.(false);
  console.log(`price change of ${CHANGES} products at ${PRODUCTS} (${process.env.BENCH_DB === 'postgresql' ? 'postgresql' : 'pglite'}, stream ${STREAM ? 'open' : 'none'}): ${Number.isNaN(at) ? `TIMED OUT with ${wanted.size} missing` : `${(at - started).toFixed(0)} ms to the last on the stream`}, server answers ${serverMs.toFixed(0)} ms; server CPU ${((cpuAfter.cpuSeconds - cpuBefore.cpuSeconds) * 1000).toFixed(0)} ms; ${changes} stream changes, ${streamed} documents; load ${loadBefore} → ${load()}`);
  for (const entry of times ?? []) console.log(`  ${entry.ms.toFixed(0).padStart(6)} ms ${String(entry.count).padStart(5)}×  ${entry.sql}`);
  void answered;
} finally {
  abort.abort();
  await central.close();
}
