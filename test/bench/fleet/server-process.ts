/**
 * The fleet bench's server, in a process of its own (forked by fleet.ts with tsx), so its resident
 * memory is the server's alone and the simulated stations' work does not run on its event loop.
 * Started with the JSON of StartOptions in argv[2]; sends `{ url }` once listening, then answers
 * `'rss'` with `{ rssMB, peakMB, cpuSeconds }` (peak sampled every 50 ms; CPU time the process used so
 * far, user and system, which on a loaded machine says more than wall time) and stops on `'close'`.
 */
import { startServer, type StartOptions } from '../../../sync/server/node/start.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as StartOptions;
const server = await startServer({ ...options, port: 0, logLevel: 'warn', rateLimit: false });
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 50);
process.on('message', (message) => {
  if (message === 'rss') {
    peak = Math.max(peak, process.memoryUsage.rss());
    const cpu = process.cpuUsage();
    process.send?.({ rssMB: mb(process.memoryUsage.rss()), peakMB: mb(peak), cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } else if (message === 'reset-peak') {
    peak = process.memoryUsage.rss();
    process.send?.({ ok: true });
  } else if (message === 'close') {
    clearInterval(sampler);
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ url: server.url });
