/**
 * The first-sync bench's server (first-sync.ts), in a process of its own, so the page's pull is not
 * served from the event loop that also drives Chromium (the in-process PGlite server blocked it at
 * 1,000,000 products: a failed CORS preflight, a pull stream cut midway). Started with the JSON of
 * `{ start: StartOptions, products }` in argv[2]: seeds `products` products into loja1 unless the
 * store already holds exactly that many (a seeded database is reused between runs), sends `{ url }`
 * once listening, answers `'cpu'` with `{ cpuSeconds, rssMB }` (user + system time of this process so
 * far), answers `{ allowOrigin }` by granting that browser origin (then `{ ok: true }`), `'profile-start'`
 * by starting a CPU profile (`{ ok: true }`) and `'profile-stop'` with it (`{ profile }`), `'query-times'`
 * (`'query-times-reset'`: and start again) with `{ times }` (see CentralProcess.queryTimes), and stops on `'close'`.
 */
import { Session } from 'node:inspector/promises';
import { startServer, type StartOptions } from '../../sync/server/node/start.ts';
import { timePgliteQueries } from './pglite-query-times.ts';

// BENCH_TIME_QUERIES=1: each PGlite statement's time, by statement ('query-times'); before the server opens its database.
const queryTimes = process.env.BENCH_TIME_QUERIES === '1' ? await timePgliteQueries() : null;

const { start, products } = JSON.parse(process.argv[2] ?? '{}') as { start: StartOptions; products: number };
const server = await startServer({ ...start, port: 0, logLevel: 'warn', rateLimit: false });
const [row] = await server.query<{ count: string }>(
  "SELECT count(*) AS count FROM documents d JOIN stores s ON s.id = d.store_id WHERE s.code = 'loja1' AND d.collection = 'products' AND NOT d.deleted",
);
if (Number(row?.count ?? 0) !== products) {
  const started = Date.now();
  await server.seedProducts(products, 'loja1');
  process.stderr.write(`[central] seeded ${products} products in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
let profiler: Session | null = null;
process.on('message', (message) => {
  if (message === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    void profiler
      .post('Profiler.enable')
      .then(() => profiler!.post('Profiler.setSamplingInterval', { interval: 500 }))
      .then(() => profiler!.post('Profiler.start'))
      .then(() => process.send?.({ ok: true }));
  } else if (message === 'profile-stop' && profiler) {
    const session = profiler;
    profiler = null;
    void session.post('Profiler.stop').then(({ profile }) => {
      session.disconnect();
      process.send?.({ profile });
    });
  } else if (typeof message === 'object' && message !== null && 'allowOrigin' in message) {
    server.allowOrigin(String(message.allowOrigin));
    process.send?.({ ok: true });
  } else if (message === 'query-times' || message === 'query-times-reset') {
    process.send?.({ times: queryTimes?.take(message === 'query-times-reset') ?? null });
  } else if (message === 'cpu') {
    const cpu = process.cpuUsage();
    process.send?.({ cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMB: Math.round(process.memoryUsage.rss() / 2 ** 20) });
  } else if (message === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ url: server.url });
