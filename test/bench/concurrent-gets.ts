/**
 * Concurrent GET clients for the read benchmarks (issue 12's GET p95 with 50 clients; test/bench/integration and
 * test/bench/reads). The clients run in a child process of their own, so their work is neither on the server's
 * event loop nor counted in this process's CPU time (which is then the server's alone, when the server runs here).
 *
 * They write and read HTTP/1.1 on keep-alive sockets by hand, not with `fetch`: measured against a bare node:http
 * server answering a fixed body (2 cores, load 6–8), fetch cost ~0.7–0.9 ms of CPU per request and
 * `http.request` on a keep-alive Agent ~0.2 ms, so with fetch the clients were most of the latency reported,
 * on a machine where clients and server share two cores (a real integrator's client runs elsewhere).
 */
import { spawn } from 'node:child_process';

/**
 * Plain JavaScript for the client process: CLIENTS loops, each on one keep-alive socket of its own, sending its
 * next GET when the last answered. The HTTP/1.1 is written and read by hand (like wrk or autocannon do): the
 * request is one fixed string, the answer is read up to its Content-Length or its last chunk.
 */
const CLIENT_PROCESS = `
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const HEAD_END = Buffer.from('\\r\\n\\r\\n');
// Where a chunked body that starts at \`from\` ends (after its last, empty chunk; no trailers), or -1 while incomplete.
function chunkedEnd(buffer, from) {
  let at = from;
  for (;;) {
    const lineEnd = buffer.indexOf('\\r\\n', at);
    if (lineEnd < 0) return -1;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error('a chunked answer with a bad chunk size');
    if (size === 0) return buffer.length >= lineEnd + 4 ? lineEnd + 4 : -1;
    at = lineEnd + 2 + size + 2;
    if (at > buffer.length) return -1;
  }
}
process.once('message', ({ url, token, paths, clients }) => {
  const target = new URL(url);
  let next = 0;
  const latencies = [];
  function client() {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(target.port), target.hostname);
      socket.setNoDelay(true);
      let buffer = Buffer.alloc(0);
      let path = '';
      let started = 0;
      const send = () => {
        if (next >= paths.length) { socket.end(); resolve(); return; }
        path = paths[next++];
        started = performance.now();
        socket.write('GET ' + path + ' HTTP/1.1\\r\\nHost: ' + target.host + '\\r\\nAuthorization: Bearer ' + token + '\\r\\n\\r\\n');
      };
      socket.on('connect', send);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        const headEnd = buffer.indexOf(HEAD_END);
        if (headEnd < 0) return;
        const head = buffer.toString('latin1', 0, headEnd);
        const status = Number(head.slice(9, 12));
        const length = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
        const end = length ? headEnd + 4 + Number(length[1]) : chunkedEnd(buffer, headEnd + 4);
        if (end < 0 || buffer.length < end) return;
        latencies.push(performance.now() - started);
        if (status !== 200) { reject(new Error('GET ' + path + ': ' + status + ' ' + buffer.toString('utf8', headEnd + 4, end).slice(0, 300))); socket.destroy(); return; }
        buffer = buffer.subarray(end);
        send();
      });
    });
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  Promise.all(Array.from({ length: clients }, client)).then(
    () => {
      const used = process.cpuUsage(cpu);
      process.send({ latencies, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
    },
    (error) => process.send({ error: String(error) }, () => process.exit(1)),
  );
});
`;

/** What a run of concurrent GETs measured, on the client side. */
export interface GetRun {
  /** Latency of each GET, ms, sorted ascending. */
  latencies: number[];
  /** Wall time from the first GET sent to the last answered, ms. */
  wallMs: number;
  /** CPU time of the client process during the run, ms (not the server's). */
  clientCpuMs: number;
}

/** GETs of `paths` sent by `clients` concurrent keep-alive clients in a child process; rejects on a non-200 answer. */
export function concurrentGets(url: string, token: string, paths: string[], clients: number): Promise<GetRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT_PROCESS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { latencies: number[]; wallMs: number; cpuMs: number } | { error: string }) => {
      settled = true;
      if ('error' in message) reject(new Error(message.error));
      else resolve({ latencies: message.latencies.sort((a, b) => a - b), wallMs: message.wallMs, clientCpuMs: message.cpuMs });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the GET client process ended (${code}) without an answer`));
    });
    child.send({ url, token, paths, clients });
  });
}

/** Latencies (ms, sorted) of GETs of `paths` by `clients` concurrent clients (see concurrentGets; kept for the reads bench). */
export async function clientsOnAThread(url: string, token: string, paths: string[], clients: number): Promise<number[]> {
  return (await concurrentGets(url, token, paths, clients)).latencies;
}
