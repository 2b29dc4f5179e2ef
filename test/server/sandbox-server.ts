import { afterAll, beforeAll, expect } from 'vitest';
import { API_SCOPES, type CreatedApiKey } from '../../sync/schema/index.ts';
import { createKey } from './support/api-keys.ts';
import { adminToken, call, startTestServer, type Call, type DatabaseKind, type TestServer } from './support/servers.ts';

/**
 * The setup the sandbox suites share (sandbox-isolation, sandbox-clock-reset): one seeded server per
 * describe block, the store admin's session, a sandbox key `sbx` (bk_test., made by the admin's route,
 * which also creates the sandbox) and a production key `prd` of the same store, both with every scope.
 * The fields are filled in beforeAll: read them inside tests, not at collection time.
 */
export interface SandboxFixture {
  server: TestServer;
  /** Session of loja1's admin. */
  admin: string;
  sbx: CreatedApiKey;
  prd: CreatedApiKey;
  /** A call with a key (its secret) or a session token. */
  as(key: CreatedApiKey | string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Call>;
}

export function useSandboxServer(kind: DatabaseKind, names: { sandbox: string; production?: string } = { sandbox: 'Homologação' }): SandboxFixture {
  const fixture = {
    as: (key, method, path, body, headers) => call(fixture.server.url, method, path, { token: typeof key === 'string' ? key : key.secret, body, headers }),
  } as SandboxFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer(kind);
    fixture.admin = await adminToken(fixture.server);
    const made = await call(fixture.server.url, 'POST', '/api/api-keys', { token: fixture.admin, body: { name: names.sandbox, scopes: [...API_SCOPES] } });
    expect(made.status).toBe(201);
    fixture.sbx = made.body as CreatedApiKey;
    fixture.prd = await createKey(fixture.server, [...API_SCOPES], { name: names.production ?? 'Produção' });
  });
  afterAll(async () => {
    await fixture.server?.close();
  });
  return fixture;
}
