import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoginResponse, PairResponse } from '../../../sync/schema/index.ts';

/**
 * What the no-browser benches of this folder share (price-change-stream.ts, customer-push.ts): the kept
 * seeded database of first-sync.ts and a paired station's sign-in on it.
 */

/** POSTs JSON (with a bearer token when given) and answers the parsed body; a non-2xx answer throws with its start. */
export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/**
 * first-sync.ts's kept database of `products` demo products (seeded on first use): the PGlite folder
 * `<tmp>/balcao_first_sync_<products>`, or with BENCH_DB=postgresql the PostgreSQL database of that
 * name next to BALCAO_TEST_PG_URL's.
 */
export function keptDatabase(products: number): { dataDir: string } | { databaseUrl: string } {
  if (process.env.BENCH_DB !== 'postgresql') return { dataDir: join(tmpdir(), `balcao_first_sync_${products}`) };
  const admin = process.env.BALCAO_TEST_PG_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres';
  return { databaseUrl: `${admin.replace(/\/[^/]*$/, '')}/balcao_first_sync_${products}` };
}

/** Pairs the demo station cx01 and signs in its cashier (`caixa`), and the store's admin without a station. */
export async function signInStationAndAdmin(url: string): Promise<{ station: PairResponse; cashier: LoginResponse; admin: LoginResponse }> {
  const station = await postJson<PairResponse>(`${url}/api/stations/pair`, { storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
  const cashier = await postJson<LoginResponse>(`${url}/api/auth/login`, { storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: station.stationId, deviceKey: station.deviceKey });
  const admin = await postJson<LoginResponse>(`${url}/api/auth/login`, { storeCode: 'loja1', userCode: 'admin', password: 'admin123' });
  return { station, cashier, admin };
}
