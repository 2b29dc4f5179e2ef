import type { ApiScope, CreatedApiKey } from '../../../sync/schema/index.ts';
import { adminToken, call } from './servers.ts';

/** A new integrator key of the store, made by its admin through POST /api/api-keys. */
export async function createKey(
  server: { url: string },
  scopes: ApiScope[],
  options: { storeCode?: string; name?: string; expiresAt?: string; rateLimitPerMinute?: number } = {},
): Promise<CreatedApiKey> {
  const { storeCode = 'loja1', name = 'ERP de teste', ...rest } = options;
  const answer = await call(server.url, 'POST', '/api/api-keys', { token: await adminToken(server, storeCode), body: { name, scopes, ...rest } });
  if (answer.status !== 201) throw new Error(`creating a key failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as CreatedApiKey;
}
