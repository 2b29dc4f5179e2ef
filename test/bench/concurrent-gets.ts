/**
 * Concurrent GET clients for the read benchmarks (issue 12's GET p95 with 50 clients; test/bench/integration and
 * test/bench/reads): the clients run on a worker thread, so their own work is not on the server's event loop.
 */
import { Worker } from 'node:worker_threads';

/** Plain JavaScript for the client thread: CLIENTS loops, each sending its next GET when the last answered. */
const CLIENT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { url, token, paths, clients } = workerData;
let next = 0;
const latencies = [];
async function client() {
  while (next < paths.length) {
    const path = paths[next++];
    const started = performance.now();
    const response = await fetch(url + path, { headers: { authorization: 'Bearer ' + token } });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    if (response.status !== 200) throw new Error('GET ' + path + ': ' + response.status);
  }
}
Promise.all(Array.from({ length: clients }, client)).then(() => parentPort.postMessage(latencies), (error) => parentPort.postMessage({ error: String(error) }));
`;

/** Latencies (ms) of GETs of `paths` sent by `clients` concurrent clients on a worker thread. */
export function clientsOnAThread(url: string, token: string, paths: string[], clients: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT_THREAD, { eval: true, workerData: { url, token, paths, clients } });
    worker.once('message', (message: number[] | { error: string }) => {
      void worker.terminate();
      if (Array.isArray(message)) resolve(message);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}
