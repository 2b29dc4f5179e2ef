import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { startServer, type RunningServer, type StartOptions } from '../../../sync/server/node/start.ts';
import type { LoginResponse, PairResponse } from '../../../sync/schema/index.ts';
import { CHECKED_PATHS, checkAgainstDocument } from './openapi-responses.ts';

export type DatabaseKind = 'pglite' | 'postgresql';
export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgresql'];

import { TEST_PASSWORD_HASHING } from './password-hashing.ts';
import { createScratchDatabase, dropDatabase } from './scratch-database.ts';
import { copyPgliteTemplate, createDatabaseFrom, scratchRoot, type TemplateContent } from './templates.ts';

export { createScratchDatabase, PG_ADMIN_URL } from './scratch-database.ts';

export interface TestServer extends RunningServer {
  kind: DatabaseKind;
  /** The database URL when on PostgreSQL (a second instance can share it). */
  databaseUrl?: string;
}

/**
 * A server with the demo data (or, with `seedDemo: false`, none) on a fresh database of the given
 * kind, on a free port. The database is a copy of a migrated template built once per run
 * (templates.ts) — the same content a fresh server would create, without paying initdb, migrations
 * and seeding per server. `options.dataDir` (PGlite) is used as given.
 */
export async function startTestServer(kind: DatabaseKind, options: StartOptions = {}): Promise<TestServer> {
  const templates = inject('balcaoTemplates') ?? null;
  const content: TemplateContent = (options.seedDemo ?? true) ? 'demo' : 'empty';
  const base = { port: 0, seedDemo: true, logLevel: 'error', rateLimit: false, passwordHashing: TEST_PASSWORD_HASHING } as const;
  if (kind === 'pglite') {
    if (!templates || options.dataDir !== undefined) {
      const server = await startServer({ ...base, dataDir: 'memory://', ...options });
      return Object.assign(server, { kind });
    }
    // Copied under the run's template folder, so the global teardown removes what a test left open.
    const dataDir = copyPgliteTemplate(templates.pglite[content], templates.root);
    const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
    const server = await startServer({ ...base, dataDir, ...options }).catch((error: unknown) => {
      removeDir();
      throw error;
    });
    const close = server.close;
    return Object.assign(server, {
      kind,
      // The demo data was put in for this server (by copying), as a fresh start would have.
      seeded: content === 'demo',
      close: async () => {
        await close();
        removeDir();
      },
    });
  }
  const scratch = templates ? await scratchFromTemplate(templates.postgresql[content]) : await createScratchDatabase();
  const server = await startServer({ ...base, databaseUrl: scratch.url, ...options }).catch(async (error: unknown) => {
    await scratch.drop().catch(() => undefined);
    throw error;
  });
  const close = server.close;
  return Object.assign(server, {
    kind,
    ...(templates ? { seeded: content === 'demo' } : {}),
    databaseUrl: scratch.url,
    close: async () => {
      await close();
      await scratch.drop();
    },
  });
}

/**
 * A database with the demo data that no server has open yet, for a test that starts its own server
 * (a child process, a restart on the same data): a copy of the run's demo template (templates.ts),
 * so that server finds its data instead of paying PGlite's initdb, the migrations and the seeding.
 * PostgreSQL: `{ databaseUrl }`; PGlite: `{ dataDir }` (under the scratch root). Without templates
 * (global setup failed) it is an empty database or folder, which a seeded start fills as before.
 * `drop` removes it (forcing off connections a killed server left behind).
 */
export async function demoDatabase(kind: DatabaseKind): Promise<{ databaseUrl?: string; dataDir?: string; drop: () => Promise<void> }> {
  const templates = inject('balcaoTemplates') ?? null;
  if (kind === 'postgresql') {
    const scratch = templates ? await scratchFromTemplate(templates.postgresql.demo) : await createScratchDatabase();
    return { databaseUrl: scratch.url, drop: scratch.drop };
  }
  const dataDir = templates ? copyPgliteTemplate(templates.pglite.demo, templates.root) : mkdtempSync(join(scratchRoot(), 'balcao-test-pglite-'));
  return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Like createScratchDatabase, but a copy of `template` (CREATE DATABASE … TEMPLATE …). */
async function scratchFromTemplate(template: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `balcao_test_${randomBytes(6).toString('hex')}`;
  const url = await createDatabaseFrom(name, template);
  return { url, drop: () => dropDatabase(name) };
}

export interface Call {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  headers: Headers;
}

/** JSON over HTTP with an optional bearer token. */
export async function call(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Call> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  // Issue 12: every answer of the integration API a test sees must match the OpenAPI document.
  // (JSON answers only: a spreadsheet or an event stream is another media type.)
  if (CHECKED_PATHS.test(path) && /json/.test(response.headers.get('content-type') ?? '')) {
    const problems = await checkAgainstDocument(baseUrl, method, path, { status: response.status, body });
    if (problems.length > 0) throw new Error(`The answer does not match the OpenAPI document (/docs/json):\n${problems.join('\n')}\nbody: ${text.slice(0, 500)}`);
  }
  return { status: response.status, body, headers: response.headers };
}

export async function login(server: { url: string }, userCode: string, password: string, storeCode = 'loja1', station?: PairResponse): Promise<LoginResponse> {
  const answer = await call(server.url, 'POST', '/api/auth/login', {
    body: { storeCode, userCode, password, ...(station ? { stationId: station.stationId, deviceKey: station.deviceKey } : {}) },
  });
  if (answer.status !== 200) throw new Error(`login ${userCode} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as LoginResponse;
}

export async function pair(server: { url: string }, stationCode: string, pairingCode: string, storeCode = 'loja1'): Promise<PairResponse> {
  const answer = await call(server.url, 'POST', '/api/stations/pair', { body: { storeCode, stationCode, pairingCode } });
  if (answer.status !== 200) throw new Error(`pairing ${stationCode} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as PairResponse;
}

const adminTokens = new WeakMap<object, Map<string, Promise<string>>>();

/** A session of the store's demo admin, signed in once per server and store (logins cost a full scrypt). */
export function adminToken(server: { url: string }, storeCode = 'loja1'): Promise<string> {
  const byStore = adminTokens.get(server) ?? new Map<string, Promise<string>>();
  adminTokens.set(server, byStore);
  let token = byStore.get(storeCode);
  if (!token) {
    token = login(server, 'admin', 'admin123', storeCode).then((session) => session.token);
    token.catch(() => byStore.delete(storeCode));
    byStore.set(storeCode, token);
  }
  return token;
}

/**
 * A fresh one-time pairing code for a station, issued by the store's admin through
 * POST /api/stations/:id/pairing-code (codes are single-use: every pairing in a test needs its own).
 */
export async function issuePairingCode(server: { url: string }, stationCode: string, storeCode = 'loja1'): Promise<string> {
  const answer = await call(server.url, 'POST', `/api/stations/${storeCode}-${stationCode}/pairing-code`, { token: await adminToken(server, storeCode), body: {} });
  if (answer.status !== 200) throw new Error(`issuing a pairing code for ${stationCode} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.pairingCode as string;
}

/** Pairs a station with a freshly issued code (a re-pairing cuts the previous installation off). */
export async function pairStation(server: { url: string }, stationCode: string, storeCode = 'loja1'): Promise<PairResponse> {
  return pair(server, stationCode, await issuePairingCode(server, stationCode, storeCode), storeCode);
}

/**
 * A cashier signed in on a newly paired station. Each call pairs the station again, which ends the
 * sessions of its previous pairing: take one session per station per test unless that is the point.
 */
export async function stationSession(server: { url: string }, stationCode: 'cx01' | 'cx02' = 'cx01'): Promise<{ token: string; station: PairResponse }> {
  const station = await pairStation(server, stationCode);
  const session = await login(server, 'caixa', 'caixa123', 'loja1', station);
  return { token: session.token, station };
}

/** Every document of a collection the token may read, following checkpoints to the end. */
export async function pullAll(server: { url: string }, token: string, collection: string, limit = 1000): Promise<Record<string, unknown>[]> {
  const documents: Record<string, unknown>[] = [];
  let checkpoint = 0;
  for (;;) {
    const answer = await call(server.url, 'GET', `/api/sync/${collection}/pull?checkpoint=${checkpoint}&limit=${limit}`, { token });
    if (answer.status !== 200) throw new Error(`pull ${collection}: ${answer.status} ${JSON.stringify(answer.body)}`);
    documents.push(...answer.body.documents);
    if (answer.body.documents.length < limit) return documents;
    checkpoint = answer.body.checkpoint.seq;
  }
}

export interface StationFixture {
  server: TestServer;
  /** Session of station cx01's cashier. */
  token: string;
  stationId: string;
  /** Session of the store's admin. */
  admin: string;
}

/**
 * One seeded server for a describe block, with cx01's cashier session and an admin session. The
 * fields are filled in beforeAll, so read them inside tests, not at collection time.
 */
export function useStationServer(kind: DatabaseKind): StationFixture {
  const fixture = {} as StationFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer(kind);
    const session = await stationSession(fixture.server, 'cx01');
    fixture.token = session.token;
    fixture.stationId = session.station.stationId;
    fixture.admin = await adminToken(fixture.server);
  });
  afterAll(async () => {
    await fixture.server?.close();
  });
  return fixture;
}
