import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';
import { createKey } from './support/api-keys.ts';

/**
 * A sku names one live product of a store, and a kind + code one live master record
 * (sync/server/rules/natural-keys.ts), whichever route writes them: the generic integration resource
 * (PUT /api/v1/<collection>/{id}) as well as the batch upsert, which finds records by those keys. Stations
 * never write either collection (read-only to their push), and the back office's keys have their own
 * guards (backoffice-tax-id, backoffice-sheet-keys tests).
 */
describe.each(DATABASE_KINDS)('natural keys of products and master data on %s', (kind) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    token = (await createKey(server, ['products:read', 'products:write', 'masterdata:read', 'masterdata:write'])).secret;
  });
  afterAll(async () => {
    await server?.close();
  });

  const product = (id: string, sku: string, extra: Record<string, unknown> = {}) => ({ id, sku, barcode: '', name: `Produto ${id}`, unit: 'UN', priceCents: 1_000, stock: 0, groupId: 'loja1-grp-ferramentas', active: true, ...extra });
  const put = (collection: string, body: { id: string } & Record<string, unknown>) => call(server.url, 'PUT', `/api/v1/${collection}/${body.id}`, { token, body });
  const get = (collection: string, id: string) => call(server.url, 'GET', `/api/v1/${collection}/${id}`, { token });
  const liveSkus = async (sku: string): Promise<string[]> =>
    (await call(server.url, 'GET', `/api/v1/products/search?sku=${encodeURIComponent(sku)}`, { token })).body.products.map((found: { id: string }) => found.id).sort();
  const openError = async (documentId: string) => {
    const admin = (await login(server, 'admin', 'admin123')).token;
    const errors: { documentId: string; reason: string; message: string; resolvedAt: string | null }[] = (await call(server.url, 'GET', '/api/sync/errors?limit=1000', { token: admin })).body;
    return errors.find((entry) => entry.documentId === documentId && !entry.resolvedAt);
  };

  it("API-01 PUT /api/v1/products/{id} with another live product's sku is refused (422, duplicate_key, naming the holder); nothing is stored and a price change by sku reaches the one product", async () => {
    expect((await put('products', product('nk-a', 'NK-1'))).status).toBe(200);
    const twin = await put('products', product('nk-b', 'NK-1', { priceCents: 2_000 }));
    expect(twin.status).toBe(422);
    expect(twin.body.error.code).toBe('quarantined');
    expect(twin.body.error.message).toMatch(/Another product \(nk-a\) already has sku NK-1.*reason: duplicate_key/);
    expect((await get('products', 'nk-b')).status).toBe(404);
    expect(await openError('nk-b')).toMatchObject({ reason: 'duplicate_key' });
    const batch = await call(server.url, 'POST', '/api/v1/products/batch', { token, body: { items: [{ sku: 'NK-1', priceCents: 4_242 }] } });
    expect(batch.body.results).toEqual([{ index: 0, id: 'nk-a', status: 'updated' }]);
    expect(await liveSkus('NK-1')).toEqual(['nk-a']);
  });

  it('POS-07 API-01 an integrator\'s refused product is retried by an admin from the integration errors once the sku is free: written and settled; a cashier cannot', async () => {
    expect((await put('products', product('nk-r1', 'NK-R'))).status).toBe(200);
    expect((await put('products', product('nk-r2', 'NK-R', { priceCents: 3_000 }))).status).toBe(422);
    const entry = (await openError('nk-r2')) as { id?: string } | undefined;
    if (!entry?.id) throw new Error('the refused product was not kept');
    const admin = (await login(server, 'admin', 'admin123')).token;
    const cashier = (await login(server, 'caixa', 'caixa123')).token;
    // Still taken: the retry counts the attempt and keeps the entry open.
    expect((await call(server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: admin })).body).toMatchObject({ resolvedAt: null, reason: 'duplicate_key' });
    expect((await put('products', product('nk-r1', 'NK-R-OLD'))).status).toBe(200);
    expect((await call(server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: cashier })).status).toBe(403);
    const retried = await call(server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: admin });
    expect(retried.status).toBe(200);
    expect(retried.body.resolvedAt).not.toBeNull();
    expect((await get('products', 'nk-r2')).body).toMatchObject({ sku: 'NK-R', priceCents: 3_000 });
    expect(await liveSkus('NK-R')).toEqual(['nk-r2']);
  });

  it('API-01 a product rewritten with its own sku is written; moving a product to a sku another one holds is refused', async () => {
    expect((await put('products', product('nk-c', 'NK-2'))).status).toBe(200);
    expect((await put('products', product('nk-d', 'NK-3'))).status).toBe(200);
    const same = await put('products', product('nk-c', 'NK-2', { priceCents: 1_234 }));
    expect(same.status).toBe(200);
    expect(same.body.written).toBe(true);
    const moved = await put('products', product('nk-d', 'NK-2'));
    expect(moved.status).toBe(422);
    expect(moved.body.error.message).toContain('duplicate_key');
    expect((await get('products', 'nk-d')).body.sku).toBe('NK-3');
    expect(await liveSkus('NK-2')).toEqual(['nk-c']);
  });

  it("API-01 a deleted product's sku may be reused; the batch upsert by sku then changes the live product, and reviving the deleted one is refused", async () => {
    expect((await put('products', product('nk-old', 'NK-4'))).status).toBe(200);
    expect((await call(server.url, 'DELETE', '/api/v1/products/nk-old', { token })).status).toBe(200);
    expect((await put('products', product('nk-new', 'NK-4'))).status).toBe(200);
    // The deleted product is no longer found by its sku: the live one is, whichever row the index meets first.
    const batch = await call(server.url, 'POST', '/api/v1/products/batch', { token, body: { items: [{ sku: 'NK-4', priceCents: 777 }] } });
    expect(batch.body.results).toEqual([{ index: 0, id: 'nk-new', status: 'updated' }]);
    const revived = await put('products', product('nk-old', 'NK-4'));
    expect(revived.status).toBe(422);
    expect(revived.body.error.message).toMatch(/Another product \(nk-new\) already has sku NK-4/);
    expect(await liveSkus('NK-4')).toEqual(['nk-new']);
    // The batch upsert takes a deleted product's sku for a product it names by id, as the PUT does.
    expect((await put('products', product('nk-gone', 'NK-5'))).status).toBe(200);
    expect((await call(server.url, 'DELETE', '/api/v1/products/nk-gone', { token })).status).toBe(200);
    const named = await call(server.url, 'POST', '/api/v1/products/batch', { token, body: { items: [{ id: 'nk-named', sku: 'NK-5', name: 'Novo', unit: 'UN', priceCents: 500, groupId: 'loja1-grp-ferramentas' }] } });
    expect(named.body.results).toEqual([{ index: 0, id: 'nk-named', status: 'created' }]);
    expect(await liveSkus('NK-5')).toEqual(['nk-named']);
    expect((await get('products', 'nk-gone')).body._deleted).toBe(true);
  });

  it('POS-03 API-01 PUT /api/v1/masterdata/{id} with the kind and code of another live record is refused (duplicate_key); the same code in another kind, or the record rewritten, is written', async () => {
    const seller = (id: string, code: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'seller', code, name: `Vendedor ${id}`, active: true, ...extra });
    expect((await put('masterdata', seller('nk-s1', 'NK-V'))).status).toBe(200);
    const twin = await put('masterdata', seller('nk-s2', 'NK-V'));
    expect(twin.status).toBe(422);
    expect(twin.body.error.message).toMatch(/Another seller \(nk-s1\) already has code NK-V.*reason: duplicate_key/);
    expect((await get('masterdata', 'nk-s2')).status).toBe(404);
    expect((await put('masterdata', { id: 'nk-g1', kind: 'productGroup', code: 'NK-V', name: 'Grupo', active: true })).status).toBe(200);
    expect((await put('masterdata', seller('nk-s1', 'NK-V', { name: 'Renomeado' }))).status).toBe(200);
    // The batch upsert by kind + code still finds the one seller.
    const batch = await call(server.url, 'POST', '/api/v1/masterdata/batch', { token, body: { items: [{ kind: 'seller', code: 'NK-V', name: 'Pelo lote' }] } });
    expect(batch.body.results).toEqual([{ index: 0, id: 'nk-s1', status: 'updated' }]);
    // A deleted seller's code may be reused, and the batch then finds the live seller of that code.
    expect((await put('masterdata', seller('nk-s3', 'NK-W'))).status).toBe(200);
    expect((await call(server.url, 'DELETE', '/api/v1/masterdata/nk-s3', { token })).status).toBe(200);
    expect((await put('masterdata', seller('nk-s4', 'NK-W'))).status).toBe(200);
    const reused = await call(server.url, 'POST', '/api/v1/masterdata/batch', { token, body: { items: [{ kind: 'seller', code: 'NK-W', name: 'Pelo lote' }] } });
    expect(reused.body.results).toEqual([{ index: 0, id: 'nk-s4', status: 'updated' }]);
  });

  it('API-01 two concurrent PUTs of one new sku: one is written, the other refused (the store lock serialises the check)', async () => {
    const answers = await Promise.all([put('products', product('nk-r1', 'NK-RACE')), put('products', product('nk-r2', 'NK-RACE'))]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
    expect(await liveSkus('NK-RACE')).toHaveLength(1);
  });
});
