import type { ApiScope, CreatedApiKey } from '../../../sync/schema/index.ts';
import { seedProductionKey } from '../../../sync/server/auth/api-keys-seed.ts';
import type { Database } from '../../../sync/server/db/database.ts';

/**
 * A new production key of the store, as made by its admin. Since issue 13 (API-07) no HTTP route makes
 * a production key without a passing homologation run (POST /api/api-keys makes sandbox keys), so the
 * server's own seeding function makes it, in the test's process (`server.db`), with the same trail entry.
 */
export async function createKey(
  server: { url: string },
  scopes: ApiScope[],
  options: { storeCode?: string; name?: string; expiresAt?: string; rateLimitPerMinute?: number } = {},
): Promise<CreatedApiKey> {
  const { storeCode = 'loja1', name = 'ERP de teste', ...rest } = options;
  const db = (server as { db?: Database }).db;
  if (!db) throw new Error('createKey needs a server started in this process (startTestServer): it seeds the key through server.db');
  if (rest.expiresAt !== undefined && !(Date.parse(rest.expiresAt) > Date.now())) throw new Error('createKey: expiresAt is in the past');
  return seedProductionKey(db, { storeCode, scopes, name, ...rest });
}
