import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../sync/server/node/start.ts';
import type { LoginResponse, PairResponse, PullResponse } from '../../sync/schema/index.ts';
import type { DeviceSession } from './types.ts';

export interface Central {
  server: RunningServer;
  session: DeviceSession;
  close(): Promise<void>;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A real server on a temporary PGlite folder, the demo data plus `products` products in loja1. */
export async function startCentral(products: number): Promise<Central> {
  const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-'));
  const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'warn', rateLimit: false });
  try {
    // Rewrites p-00001… in place and adds the rest: the store then holds exactly `products`.
    await server.seedProducts(products, 'loja1');
    const station = await post<PairResponse>(`${server.url}/api/stations/pair`, { storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    const cashier = await post<LoginResponse>(`${server.url}/api/auth/login`, {
      storeCode: 'loja1',
      userCode: 'caixa',
      password: 'caixa123',
      stationId: station.stationId,
      deviceKey: station.deviceKey,
    });
    const admin = await post<LoginResponse>(`${server.url}/api/auth/login`, { storeCode: 'loja1', userCode: 'admin', password: 'admin123' });
    return {
      server,
      session: { serverUrl: server.url, deviceToken: cashier.token, adminToken: admin.token, stationId: station.stationId, putBaseUrl: server.url, tuning: {} },
      async close() {
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface UploadCheck {
  /** Documents with the prefix the server holds (REST listing). */
  stored: number;
  /** Ids listed more than once. */
  duplicates: number;
  /** The server's own counters: rows written, answered as conflicts, kept in quarantine. */
  writtenCounter: number;
  conflictCounter: number;
  quarantinedCounter: number;
}

function counter(metrics: string, name: string, collection: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(`collection="${collection}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Counts on the server, through the integration API and /metrics, what the device uploaded. */
export async function checkUpload(central: Central, prefix: string): Promise<UploadCheck> {
  const { serverUrl, adminToken } = central.session;
  const seen = new Map<string, number>();
  let since = 0;
  for (;;) {
    const response = await fetch(`${serverUrl}/api/v1/customers?since=${since}&limit=10000`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (!response.ok) throw new Error(`GET /api/v1/customers answered HTTP ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as PullResponse<{ id: string }>;
    for (const doc of page.documents) if (doc.id.startsWith(prefix) && !doc._deleted) seen.set(doc.id, (seen.get(doc.id) ?? 0) + 1);
    if (page.documents.length < 10000 || !page.checkpoint) break;
    since = page.checkpoint.seq;
  }
  const metrics = await (await fetch(`${serverUrl}/metrics`)).text();
  return {
    stored: seen.size,
    duplicates: [...seen.values()].filter((times) => times > 1).length,
    writtenCounter: counter(metrics, 'balcao_documents_written_total', 'customers'),
    conflictCounter: counter(metrics, 'balcao_push_conflicts_total', 'customers'),
    quarantinedCounter: counter(metrics, 'balcao_documents_quarantined_total', 'customers'),
  };
}

/** Whether a page of `origin` may send PUT to the server (the preflight a browser would make). */
export async function corsAllowsPut(serverUrl: string, origin: string): Promise<boolean> {
  const response = await fetch(`${serverUrl}/api/v1/products/p-00001`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
  });
  const allowed = (response.headers.get('access-control-allow-methods') ?? '').split(',').map((method) => method.trim().toUpperCase());
  return response.ok && allowed.includes('PUT');
}
