import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../sync/server/node/start.ts';
import type { PullResponse } from '../../sync/schema/index.ts';
import type { CpuProfile } from './cpu-profile.ts';
import { createScratchDatabase } from '../server/support/scratch-database.ts';
import { signInStationAndAdmin } from './kept-central.ts';
import type { DeviceSession } from './types.ts';

/** What the benches use of the server: where it listens, and granting a page's origin (awaited when the server runs in its own process). */
export interface CentralServer {
  url: string;
  allowOrigin(origin: string): void | Promise<void>;
}

export interface Central {
  server: CentralServer;
  session: DeviceSession;
  close(): Promise<void>;
}

interface Started {
  server: CentralServer;
  close(): Promise<void>;
}

/** The bench server in a child process (central-process.ts): where it listens, and what it can be asked. */
export interface CentralProcess extends CentralServer {
  allowOrigin(origin: string): Promise<void>;
  /** CPU seconds (user + system) the server process used so far, and its resident memory. */
  cpu(): Promise<{ cpuSeconds: number; rssMB: number }>;
  /** Starts a CPU profile of the server process (sampling every 0.5 ms). */
  profileStart(): Promise<void>;
  /** Stops it and returns it. */
  profileStop(): Promise<CpuProfile>;
  /**
   * With BENCH_TIME_QUERIES=1 in the environment when the process started: the database time of its
   * statements since the last reset, summed by statement (its first 110 characters), slowest first;
   * `reset` starts again from zero. Null without it.
   */
  queryTimes(reset: boolean): Promise<{ sql: string; ms: number; count: number }[] | null>;
  close(): Promise<void>;
}

/**
 * The server in a process of its own (central-process.ts), with `start` (StartOptions as JSON) and
 * `products` products in loja1 (seeded unless the store holds exactly that many): at 1,000,000
 * products the in-process PGlite server shared its event loop with the runner driving Chromium, and a
 * first sync took 1,040 s with a failed CORS preflight and a pull stream cut midway (issue 16).
 */
export async function startCentralProcess(start: Record<string, unknown>, products: number): Promise<CentralProcess> {
  const file = fileURLToPath(new URL('./central-process.ts', import.meta.url));
  const child = fork(file, [JSON.stringify({ start, products })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the bench server process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as T);
      });
    });
  const ask = <T>(message: unknown): Promise<T> => {
    const answer = next<T>();
    child.send(message as string);
    return answer;
  };
  const { url } = await next<{ url: string }>();
  return {
    url,
    allowOrigin: async (origin) => {
      await ask<{ ok: boolean }>({ allowOrigin: origin });
    },
    cpu: () => ask<{ cpuSeconds: number; rssMB: number }>('cpu'),
    profileStart: async () => {
      await ask<{ ok: boolean }>('profile-start');
    },
    profileStop: async () => (await ask<{ profile: CpuProfile }>('profile-stop')).profile,
    queryTimes: async (reset) => (await ask<{ times: { sql: string; ms: number; count: number }[] | null }>(reset ? 'query-times-reset' : 'query-times')).times,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

async function ownProcess(dataDir: string, products: number): Promise<Started> {
  if (process.env.BENCH_DB === 'postgresql') {
    // A scratch database beside BALCAO_TEST_PG_URL's, seeded by the server as the folder is, dropped at the end.
    const scratch = await createScratchDatabase('balcao_bench');
    try {
      const server = await startCentralProcess({ databaseUrl: scratch.url, seedDemo: true }, products);
      return {
        server,
        close: async () => {
          await server.close();
          await scratch.drop();
        },
      };
    } catch (error) {
      await scratch.drop();
      throw error;
    }
  }
  const server = await startCentralProcess({ dataDir, seedDemo: true }, products);
  return { server, close: () => server.close() };
}

async function inProcess(dataDir: string, products: number): Promise<Started> {
  const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'warn', rateLimit: false });
  try {
    // Rewrites p-00001… in place and adds the rest: the store then holds exactly `products`.
    await server.seedProducts(products, 'loja1');
  } catch (error) {
    await server.close();
    throw error;
  }
  return { server, close: () => server.close() };
}

/**
 * A real server on a temporary PGlite folder, the demo data plus `products` products in loja1; with
 * `ownProcess`, the server runs in a child process (its CPU and event loop apart from the runner's),
 * and with BENCH_DB=postgresql in the environment on a scratch PostgreSQL database instead
 * (BALCAO_TEST_PG_URL's server).
 */
export async function startCentral(products: number, options: { ownProcess?: boolean } = {}): Promise<Central> {
  const dataDir = mkdtempSync(join(tmpdir(), 'balcao-bench-'));
  let started: Started;
  try {
    started = await (options.ownProcess ? ownProcess(dataDir, products) : inProcess(dataDir, products));
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { server } = started;
  try {
    const { station, cashier, admin } = await signInStationAndAdmin(server.url);
    return {
      server,
      session: { serverUrl: server.url, deviceToken: cashier.token, adminToken: admin.token, stationId: station.stationId, putBaseUrl: server.url, tuning: {} },
      async close() {
        await started.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface UploadCheck {
  /** Uploaded documents the server lists, and ids listed more than once. */
  stored: number;
  duplicates: number;
  /** The server's own counters: rows written, answered as conflicts, kept in quarantine. */
  writtenCounter: number;
  conflictCounter: number;
  quarantinedCounter: number;
}

/** GET on the server's own API as the store admin. */
export async function adminGet<T>(central: Central, path: string): Promise<T> {
  const response = await fetch(`${central.session.serverUrl}${path}`, { headers: { authorization: `Bearer ${central.session.adminToken}` } });
  if (!response.ok) throw new Error(`GET ${path} answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every live document of a collection, through the integration API's change feed. */
export async function listAll<T extends { id: string }>(central: Central, collection: string): Promise<T[]> {
  const all: T[] = [];
  let since = 0;
  for (;;) {
    const page = await adminGet<PullResponse<T>>(central, `/api/v1/${collection}?since=${since}&limit=10000`);
    all.push(...page.documents.filter((doc) => !doc._deleted));
    if (page.documents.length < 10000 || !page.checkpoint) return all;
    since = page.checkpoint.seq;
  }
}

function counter(metrics: string, name: string, collection: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(`collection="${collection}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Counts an upload on the server: the ids of `collection` it lists (`listedIds`) and its /metrics counters. */
export async function countUpload(central: Central, collection: string, listedIds: Iterable<string>): Promise<UploadCheck> {
  const seen = new Map<string, number>();
  for (const id of listedIds) seen.set(id, (seen.get(id) ?? 0) + 1);
  // /metrics answers only its token or an administrator (routes-ops.ts): without one, every counter read 0.
  const metrics = await (await fetch(`${central.session.serverUrl}/metrics`, { headers: { authorization: `Bearer ${central.session.adminToken}` } })).text();
  return {
    stored: seen.size,
    duplicates: [...seen.values()].filter((times) => times > 1).length,
    writtenCounter: counter(metrics, 'balcao_documents_written_total', collection),
    conflictCounter: counter(metrics, 'balcao_push_conflicts_total', collection),
    quarantinedCounter: counter(metrics, 'balcao_documents_quarantined_total', collection),
  };
}

/** Counts on the server, through the integration API and /metrics, the customers the device uploaded. */
export async function checkUpload(central: Central, prefix: string): Promise<UploadCheck> {
  const customers = await listAll(central, 'customers');
  return countUpload(central, 'customers', customers.map((doc) => doc.id).filter((id) => id.startsWith(prefix)));
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
