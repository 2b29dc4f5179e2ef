import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';
import { createKey } from './support/api-keys.ts';
import { authCache } from '../../sync/server/auth/auth-cache.ts';
import { cpf } from './support/documents.ts';

const seller = (id: string, name: string) => ({ id, kind: 'seller', code: id.slice(0, 20), name, active: true });

describe.each(DATABASE_KINDS)('integrator API keys on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-08 a key is shown once, stored only as its sha256 digest and never listed in clear', async () => {
    const created = await createKey(server, ['products:read'], { name: 'ERP Sankhya' });
    expect(created.secret).toMatch(/^bk\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'ERP Sankhya', scopes: ['products:read'], lastUsedAt: null, revokedAt: null, expiresAt: null });
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    // The prefix shows the id and at most 4 of the secret's 43 characters.
    expect(created.prefix.length).toBeLessThanOrEqual('bk.'.length + 17 + 4);

    const listed = await call(server.url, 'GET', '/api/api-keys', { token: await adminToken(server) });
    expect(listed.status).toBe(200);
    const mine = listed.body.find((key: { id: string }) => key.id === created.id);
    expect(mine).toBeDefined();
    expect(mine.secret).toBeUndefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.secret.slice(created.prefix.length));

    const rows = await server.db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [created.id]);
    expect(JSON.stringify(rows)).not.toContain(created.secret.slice(created.prefix.length));
    expect(rows[0]!.secret_hash).toBe(createHash('sha256').update(created.secret).digest('hex'));
  });

  it('API-08 only a store administrator manages keys; a key cannot make keys', async () => {
    const cashier = (await login(server, 'caixa', 'caixa123')).token;
    expect((await call(server.url, 'POST', '/api/api-keys', { token: cashier, body: { name: 'x', scopes: ['products:read'] } })).status).toBe(403);
    expect((await call(server.url, 'GET', '/api/api-keys', { token: cashier })).status).toBe(403);
    const key = await createKey(server, ['products:read', 'products:write', 'billing:write']);
    const byKey = await call(server.url, 'POST', '/api/api-keys', { token: key.secret, body: { name: 'x', scopes: ['products:read'] } });
    expect(byKey.status).toBe(403);
    const unknownScope = await call(server.url, 'POST', '/api/api-keys', { token: await adminToken(server), body: { name: 'x', scopes: ['everything:write'] } });
    expect(unknownScope.status).toBe(400);
    const past = await call(server.url, 'POST', '/api/api-keys', { token: await adminToken(server), body: { name: 'x', scopes: ['products:read'], expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past).toMatchObject({ status: 400, body: { error: { field: '/expiresAt' } } });
  });

  it("API-08 a key of store A can neither read nor write store B's records", async () => {
    const adminB = await adminToken(server, 'loja2');
    expect((await call(server.url, 'PUT', '/api/v1/masterdata/only-in-b', { token: adminB, body: seller('only-in-b', 'Vendedor da loja 2') })).status).toBe(200);
    const keyA = await createKey(server, ['masterdata:read', 'masterdata:write', 'billing:read']);

    expect((await call(server.url, 'GET', '/api/v1/masterdata/only-in-b', { token: keyA.secret })).status).toBe(404);
    const list = await call(server.url, 'GET', '/api/v1/masterdata?since=0&limit=10000', { token: keyA.secret });
    expect(list.status).toBe(200);
    expect(list.body.documents.map((doc: { id: string }) => doc.id)).not.toContain('only-in-b');

    // A write with B's id lands in A (the key's store), and B's record is untouched.
    const written = await call(server.url, 'PUT', '/api/v1/masterdata/only-in-b', { token: keyA.secret, body: seller('only-in-b', 'Escrito pela chave da loja 1') });
    expect(written.status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/masterdata/only-in-b', { token: adminB })).body.name).toBe('Vendedor da loja 2');
    expect((await call(server.url, 'GET', '/api/v1/masterdata/only-in-b', { token: keyA.secret })).body.name).toBe('Escrito pela chave da loja 1');

    const customerB = await call(server.url, 'POST', '/api/v1/billing/customers', { token: adminB, body: { id: 'customer-only-in-b', name: 'Cliente da loja 2', taxId: cpf(4242) } });
    expect(customerB.status).toBe(201);
    expect((await call(server.url, 'GET', '/api/v1/billing/customers/customer-only-in-b', { token: keyA.secret })).status).toBe(404);
    const customersA = (await call(server.url, 'GET', '/api/v1/billing/customers?limit=1000', { token: keyA.secret })).body.customers as { id: string }[];
    expect(customersA.map((customer) => customer.id)).not.toContain('customer-only-in-b');
  });

  it('API-08 a revoked key and an expired key answer 401; last use is recorded', async () => {
    const key = await createKey(server, ['products:read'], { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: key.secret })).status).toBe(200);
    const listed = (await call(server.url, 'GET', '/api/api-keys', { token: await adminToken(server) })).body.find((entry: { id: string }) => entry.id === key.id);
    expect(listed.lastUsedAt).not.toBeNull();

    // Expiry is the database's clock: move it into the past rather than wait.
    await server.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [key.id]);
    // Changed behind the server's back (no route changes an expiry): its in-process lookup cache must start over.
    authCache.clear();
    const expired = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: key.secret });
    expect(expired).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: expect.stringMatching(/expired/) } } });

    const other = await createKey(server, ['products:read']);
    expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: other.secret })).status).toBe(200);
    const revoked = await call(server.url, 'POST', `/api/api-keys/${other.id}/revoke`, { token: await adminToken(server), body: {} });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: other.secret });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: expect.stringMatching(/revoked/) } } });
    // A key of another store cannot be revoked from here.
    expect((await call(server.url, 'POST', `/api/api-keys/${other.id}/revoke`, { token: await adminToken(server, 'loja2'), body: {} })).status).toBe(404);
    // A made-up key with a real id is refused too (the secret is checked, not only the id).
    const forged = `bk.${other.id}.${'A'.repeat(43)}`;
    expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: forged })).status).toBe(401);
  });

  it('API-08 creating and revoking a key are in the administration trail with who did it; revoking again adds nothing', async () => {
    const admin = await adminToken(server);
    const me = (await call(server.url, 'GET', '/api/auth/me', { token: admin })).body as { user: { id: string } };
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const key = await createKey(server, ['sales:read', 'products:read'], { name: 'ERP auditado', expiresAt });
    const trail = async () => ((await call(server.url, 'GET', '/api/admin/events?limit=1000', { token: admin })).body as { action: string; userId: string; detail: string }[]).filter((event) => event.detail?.includes(key.id));
    expect(await trail()).toEqual([expect.objectContaining({ action: 'api_key_created', userId: me.user.id })]);
    expect(JSON.parse((await trail())[0]!.detail)).toEqual({ keyId: key.id, name: 'ERP auditado', scopes: ['products:read', 'sales:read'], expiresAt: new Date(expiresAt).toISOString() });
    expect(JSON.stringify(await trail())).not.toContain(key.secret.slice(key.prefix.length));
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/revoke`, { token: admin, body: {} })).status).toBe(200);
    const events = await trail();
    expect(events.map((event) => [event.action, event.userId])).toEqual([['api_key_revoked', me.user.id], ['api_key_created', me.user.id]]);
    // A refused attempt (a cashier) leaves no event.
    const cashier = (await login(server, 'caixa', 'caixa123')).token;
    expect((await call(server.url, 'POST', '/api/api-keys', { token: cashier, body: { name: 'x', scopes: ['products:read'] } })).status).toBe(403);
    expect(await trail()).toHaveLength(2);
  });

  it('API-08 a revoked key, a logged-out session and a demoted user are refused on the very next request, though their lookups are cached', async () => {
    const key = await createKey(server, ['products:read']);
    const admin = await adminToken(server);
    // Several calls in a row: the later ones are answered from the in-process lookup cache.
    for (let n = 0; n < 3; n += 1) expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: key.secret })).status).toBe(200);
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/revoke`, { token: admin, body: {} })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: key.secret })).status).toBe(401);

    const person = (await login(server, 'admin', 'admin123')).token;
    for (let n = 0; n < 3; n += 1) expect((await call(server.url, 'GET', '/api/auth/me', { token: person })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/auth/logout', { token: person, body: {} })).status).toBeLessThan(300);
    expect((await call(server.url, 'GET', '/api/auth/me', { token: person })).status).toBe(401);

    const backoffice = (await login(server, 'retaguarda', 'retaguarda123')).token;
    for (let n = 0; n < 3; n += 1) expect((await call(server.url, 'GET', '/api/v1/billing/customers', { token: backoffice })).status).toBe(200);
    expect((await call(server.url, 'PUT', '/api/users/loja1-retaguarda/roles', { token: admin, body: { roles: ['cashier'] } })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/billing/customers', { token: backoffice })).status).toBe(403);
    expect((await call(server.url, 'PUT', '/api/users/loja1-retaguarda/roles', { token: admin, body: { roles: ['backoffice'] } })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/billing/customers', { token: backoffice })).status).toBe(200);
  });

  it('API-08 a key without the scope gets 403: GET needs read, writes need write, per resource', async () => {
    const key = await createKey(server, ['products:read']);
    const product = await call(server.url, 'GET', '/api/v1/products/p-00002', { token: key.secret });
    expect(product.status).toBe(200);
    const { _deleted, ...fields } = product.body;
    const write = await call(server.url, 'PUT', '/api/v1/products/p-00002', { token: key.secret, body: { ...fields, priceCents: 1 } });
    expect(write).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('products:write') } } });
    expect((await call(server.url, 'GET', '/api/v1/products/p-00002', { token: key.secret })).body.priceCents).toBe(fields.priceCents);
    expect((await call(server.url, 'GET', '/api/v1/masterdata?since=0', { token: key.secret })).status).toBe(403);
    expect((await call(server.url, 'GET', '/api/v1/billing/customers', { token: key.secret })).status).toBe(403);

    const writer = await createKey(server, ['products:write']);
    expect((await call(server.url, 'PUT', '/api/v1/products/p-00002', { token: writer.secret, body: { ...fields, priceCents: fields.priceCents + 1 } })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/products/p-00002', { token: writer.secret })).status).toBe(403);
  });

  it('API-08 keys are refused on device, pairing and admin routes (no apiResource)', async () => {
    const key = await createKey(server, ['products:read', 'products:write', 'sales:read', 'sales:write', 'masterdata:read', 'billing:read']);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/sync/products/pull?checkpoint=0&limit=1'],
      ['POST', '/api/sync/sales/push', []],
      ['GET', '/api/sync/errors'],
      ['GET', '/api/stations'],
      ['POST', '/api/stations/loja1-cx01/pairing-code', {}],
      ['GET', '/api/auth/me'],
      ['GET', '/api/api-keys'],
      // Design and audit collections are not open to keys at all.
      ['GET', '/api/v1/designProjects?since=0'],
      ['GET', '/api/v1/auditEvents?since=0'],
    ];
    for (const [method, path, body] of routes) {
      const answer = await call(server.url, method, path, { token: key.secret, body });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error.code, `${method} ${path}`).toBe('forbidden');
    }
  });
});
