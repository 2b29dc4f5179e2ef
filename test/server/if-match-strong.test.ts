import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';
import { cpf } from './support/documents.ts';

/**
 * If-Match compares strongly (RFC 9110 §13.1.1): a weak tag (`W/"12"`) never matches, even the current
 * version's, and is refused with the usual 412 `precondition_failed`, writing nothing. One route of each
 * kind that honours If-Match: the generic PUT (the write path's check), the generic DELETE (read under
 * the lock in the route's transaction) and a billing change (changeOne).
 */
describe.each(DATABASE_KINDS)('If-Match strong comparison on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const send = (method: string, path: string, body?: unknown, ifMatch?: string) => call(server.url, method, path, { token: admin, body, headers: ifMatch ? { 'if-match': ifMatch } : {} });
  const etagOf = async (path: string) => (await send('GET', path)).headers.get('etag')!;
  const weak = (tag: string) => `W/${tag}`;
  const refusedAsWeak = { status: 412, body: { type: '/docs/conventions#problem-precondition_failed', error: { code: 'precondition_failed', message: expect.stringMatching(/weak entity tags/) } } };

  it('API-01 API-05 PUT /api/v1/{collection}/{id}: a weak ETag of the current version answers 412 and writes nothing; the strong one in the same list matches', async () => {
    const path = '/api/v1/masterdata/weak-seller';
    const seller = { id: 'weak-seller', kind: 'seller', code: 'WK1', name: 'Vendedor', active: true };
    expect((await send('PUT', path, seller)).status).toBe(200);
    const tag = await etagOf(path);
    expect(await send('PUT', path, { ...seller, name: 'Mudado com W/' }, weak(tag))).toMatchObject(refusedAsWeak);
    expect((await send('GET', path)).body).toMatchObject({ name: 'Vendedor' });
    expect(await etagOf(path)).toBe(tag);
    const both = await send('PUT', path, { ...seller, name: 'Mudado' }, `${weak(tag)}, ${tag}`);
    expect(both.status).toBe(200);
    expect((await send('GET', path)).body).toMatchObject({ name: 'Mudado' });
  });

  it('API-01 API-05 DELETE /api/v1/{collection}/{id}: a weak ETag of the current version answers 412 and deletes nothing', async () => {
    const path = '/api/v1/masterdata/weak-delete';
    expect((await send('PUT', path, { id: 'weak-delete', kind: 'seller', code: 'WK2', name: 'Vendedor', active: true })).status).toBe(200);
    const tag = await etagOf(path);
    expect(await send('DELETE', path, undefined, weak(tag))).toMatchObject(refusedAsWeak);
    expect((await send('GET', path)).body).toMatchObject({ _deleted: false });
    expect((await send('DELETE', path, undefined, tag)).status).toBe(200);
    expect((await send('GET', path)).body).toMatchObject({ _deleted: true });
  });

  it('BO-01 API-05 POST /api/v1/billing/customers/{id} (a change read and written under the lock): a weak ETag answers 412 and changes nothing', async () => {
    const created = await send('POST', '/api/v1/billing/customers', { name: 'Cliente ETag fraco', taxId: cpf(9301) });
    expect(created.status).toBe(201);
    const path = `/api/v1/billing/customers/${created.body.id as string}`;
    const tag = await etagOf(path);
    expect(await send('POST', path, { city: 'Campinas' }, weak(tag))).toMatchObject(refusedAsWeak);
    expect(await send('DELETE', path, { reason: 'Encerrou as atividades' }, weak(tag))).toMatchObject(refusedAsWeak);
    expect((await send('GET', path)).body).toMatchObject({ active: true });
    expect((await send('GET', path)).body.city).toBeUndefined();
    expect((await send('POST', path, { city: 'Campinas' }, tag)).body).toMatchObject({ city: 'Campinas' });
  });
});
