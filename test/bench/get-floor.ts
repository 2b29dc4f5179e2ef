/**
 * The floor under the GET p95 figure on this machine at this moment (issue 12): a bare node:http server in
 * this process that answers every GET with one fixed product body (no routing, auth or database), met by
 * the same concurrent clients as the API (concurrent-gets.ts). No server answers these clients faster;
 * the API's p95 is judged against it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { concurrentGets } from './concurrent-gets.ts';

/** What the floor measured: the clients' run and this process's (the bare server's) CPU time, ms. */
export interface FloorRun {
  latencies: number[];
  wallMs: number;
  clientCpuMs: number;
  serverCpuMs: number;
}

/** Runs `gets` GETs from `clients` concurrent clients against the bare server. */
export async function measureFloor(gets: number, clients: number): Promise<FloorRun> {
  const body = JSON.stringify({ id: 'p-1', sku: 'BENCH0000001', barcode: '2000000000001', name: 'Produto de bancada 1', unit: 'UN', priceCents: 1234, stock: 10, groupId: 'loja1-grp-hidraulica' });
  const bare = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const paths = Array.from({ length: gets }, (_v, n) => `/api/v1/products/sku/BENCH${String(n).padStart(7, '0')}`);
    const cpu = process.cpuUsage();
    const run = await concurrentGets(url, 'none', paths, clients);
    const used = process.cpuUsage(cpu);
    return { ...run, serverCpuMs: (used.user + used.system) / 1000 };
  } finally {
    bare.closeAllConnections();
    bare.close();
  }
}
