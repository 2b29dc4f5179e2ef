import type { ApiScope, CreatedApiKey } from '../../schema/index.ts';
import type { Database } from '../db/database.ts';
import { recordAdminEvent } from './admin-events.ts';
import { createApiKey } from './api-keys.ts';

/**
 * A production key made on the server side, without the homologation rule (API-07) — for tests and
 * tools that run in the server's process and need a key of a store's production data at once. No
 * HTTP route reaches it: an administrator gets production keys only by promoting a sandbox key after
 * a passing run. Recorded in the store's administration trail as `api_key_created` by `createdBy`
 * (the store's admin unless said), like a key made by that admin.
 */
export async function seedProductionKey(
  db: Database,
  input: { storeCode: string; scopes: readonly ApiScope[]; name: string; createdBy?: string; expiresAt?: string; rateLimitPerMinute?: number },
): Promise<CreatedApiKey> {
  return db.transaction(async (tx) => {
    const [store] = await tx.query<{ id: string }>('SELECT id FROM stores WHERE code = $1', [input.storeCode]);
    if (!store) throw new Error(`No store ${input.storeCode}`);
    const createdBy = input.createdBy ?? `${store.id}-admin`;
    const key = await createApiKey(tx, { storeId: store.id, createdBy, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt && new Date(input.expiresAt).toISOString(), rateLimitPerMinute: input.rateLimitPerMinute, environment: 'production' });
    await recordAdminEvent(tx, { storeId: store.id, userId: createdBy, action: 'api_key_created', detail: JSON.stringify({ keyId: key.id, name: key.name, scopes: key.scopes, expiresAt: key.expiresAt }) });
    return key;
  });
}
