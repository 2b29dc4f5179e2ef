import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';
import { cpf } from './support/documents.ts';

describe.each(DATABASE_KINDS)('integration REST API on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  let cashier: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = (await login(server, 'admin', 'admin123')).token;
    cashier = (await login(server, 'caixa', 'caixa123')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  // One CPF per customer: a CPF/CNPJ identifies one customer of a store (BO-01, enforced by the server).
  const customer = (id: string, name = 'Cliente API') => ({ id, name, taxId: cpf(77 + Number(id.replace(/\D/g, '') || 0)), active: true, updatedAt: '2026-11-23T10:00:00.000Z' });

  it('API-01 creates, reads, lists and deletes a document', async () => {
    const put = await call(server.url, 'PUT', '/api/v1/customers/api-1', { token: admin, body: customer('api-1') });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ collection: 'customers', written: true });
    expect((await call(server.url, 'GET', '/api/v1/customers/api-1', { token: cashier })).body).toEqual({ ...customer('api-1'), _deleted: false });

    const list = await call(server.url, 'GET', '/api/v1/customers?since=0&limit=1000', { token: admin });
    expect(list.body.documents.map((doc: { id: string }) => doc.id)).toContain('api-1');

    // Customers are never deleted (BO-01: deactivated with a reason); a seller shows the deletion.
    const refused = await call(server.url, 'DELETE', '/api/v1/customers/api-1', { token: admin });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'quarantined', message: expect.stringMatching(/not_deletable/) } } });
    const seller = { id: 'api-seller', kind: 'seller', code: 'API', name: 'Vendedor API', active: true };
    expect((await call(server.url, 'PUT', '/api/v1/masterdata/api-seller', { token: admin, body: seller })).status).toBe(200);
    const before = (await call(server.url, 'GET', '/api/v1/masterdata?since=0&limit=10000', { token: admin })).body.checkpoint.seq;
    const removed = await call(server.url, 'DELETE', '/api/v1/masterdata/api-seller', { token: admin });
    expect(removed.status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/masterdata/api-seller', { token: admin })).body._deleted).toBe(true);
    const later = await call(server.url, 'GET', `/api/v1/masterdata?since=${before}`, { token: admin });
    expect(later.body.documents).toEqual([{ ...seller, _deleted: true }]);
  });

  it('API-05 the same Idempotency-Key replays the first answer and writes once', async () => {
    const headers = { 'idempotency-key': 'erp-order-123' };
    const first = await call(server.url, 'PUT', '/api/v1/customers/api-2', { token: admin, body: customer('api-2'), headers });
    const seqAfterFirst = (await call(server.url, 'GET', '/api/v1/customers?since=0&limit=10000', { token: admin })).body.checkpoint.seq;
    const second = await call(server.url, 'PUT', '/api/v1/customers/api-2', { token: admin, body: customer('api-2'), headers });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replay')).toBe('true');
    expect((await call(server.url, 'GET', '/api/v1/customers?since=0&limit=10000', { token: admin })).body.checkpoint.seq).toBe(seqAfterFirst);

    const reused = await call(server.url, 'PUT', '/api/v1/customers/api-2', { token: admin, body: customer('api-2', 'Outro nome'), headers });
    // Issue 12: the same key with another request is 422 (409 is kept for "still running").
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_conflict');
  });

  it('API-01 validates bodies against the collection schema and names the field', async () => {
    const answer = await call(server.url, 'PUT', '/api/v1/products/p-00001', { token: admin, body: { id: 'p-00001', name: 'x' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'validation_failed', field: '/sku' });
    const mismatch = await call(server.url, 'PUT', '/api/v1/customers/a', { token: admin, body: customer('b') });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.field).toBe('/id');
  });

  it('POS-03 POS-07 only admins change central data; a refused document answers 422, is kept and listed', async () => {
    const product = (await call(server.url, 'GET', '/api/v1/products/p-00003', { token: cashier })).body;
    const { _deleted, ...fields } = product;
    const byCashier = await call(server.url, 'PUT', '/api/v1/products/p-00003', { token: cashier, body: { ...fields, priceCents: 1 } });
    expect(byCashier.status).toBe(403);
    expect(byCashier.body.error.code).toBe('read_only_collection');

    const invalid = await call(server.url, 'PUT', '/api/v1/customers/api-3', { token: admin, body: { ...customer('api-3'), taxId: '11111111111' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('quarantined');
    const errors = await call(server.url, 'GET', '/api/sync/errors', { token: admin });
    expect(errors.body.some((error: { documentId: string; reason: string }) => error.documentId === 'api-3' && error.reason === 'invalid_tax_id')).toBe(true);
  });

  it('BO-06 publishes an OpenAPI document built from the collection schemas', async () => {
    const doc = await call(server.url, 'GET', '/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const put = doc.body.paths['/api/v1/customers/{id}'].put;
    const schema = put.requestBody.content['application/json'].schema;
    // CPF digits, or a CNPJ whose 12 base characters may be letters (alphanumeric CNPJ, July 2026).
    expect(schema.properties.taxId.pattern).toBe('^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$');
    expect(doc.body.paths['/api/sync/sales/push']).toBeDefined();
    expect((await call(server.url, 'GET', '/docs')).status).toBe(200);
  });
});
