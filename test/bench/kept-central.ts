import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { LoginResponse, PairResponse } from '../../sync/schema/index.ts';

/**
 * What the benches' servers share: the kept, seeded database (first-sync.ts,
 * integration/price-change-stream.ts, integration/customer-push.ts) and a paired station's sign-in
 * (those, and central.ts for every bench that starts its own server).
 */

/** POSTs JSON (with a bearer token when given) and answers the parsed body; a non-2xx answer throws with its start. */
export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/**
 * The kept database of `products` demo products, made when missing (the server seeds it on its first
 * start, then every run reuses it): the PGlite folder `<tmp>/balcao_first_sync_<products>`, or with
 * BENCH_DB=postgresql the PostgreSQL database of that name beside BALCAO_TEST_PG_URL's.
 */
export async function keptDatabase(products: number): Promise<{ dataDir: string } | { databaseUrl: string }> {
  const name = `balcao_first_sync_${products}`;
  if (process.env.BENCH_DB !== 'postgresql') {
    const dataDir = join(tmpdir(), name);
    mkdirSync(dataDir, { recursive: true });
    return { dataDir };
  }
  const admin = process.env.BALCAO_TEST_PG_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres';
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString() };
}

/** Pairs the demo station cx01 and signs in its cashier (`caixa`), and the store's admin without a station. */
export async function signInStationAndAdmin(url: string): Promise<{ station: PairResponse; cashier: LoginResponse; admin: LoginResponse }> {
  const station = await postJson<PairResponse>(`${url}/api/stations/pair`, { storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
  const cashier = await postJson<LoginResponse>(`${url}/api/auth/login`, { storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: station.stationId, deviceKey: station.deviceKey });
  const admin = await postJson<LoginResponse>(`${url}/api/auth/login`, { storeCode: 'loja1', userCode: 'admin', password: 'admin123' });
  return { station, cashier, admin };
}
