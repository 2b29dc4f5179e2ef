import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { cpf } from './support/documents.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * The billing API's "add" routes with a client id (breaker 6, finding 3; sync/server/backoffice/add-once.ts):
 * an add never replaces a record. A taken id answers 409 `idempotency_conflict` on `/id` (as orders and
 * stock adjustments do) and changes nothing; the exact same add again (a retry) answers the record, 200.
 */
describe.each(DATABASE_KINDS)('billing adds with a taken id on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const key = () => ({ 'idempotency-key': crypto.randomUUID() });
  const expectTaken = (answer: { status: number; body: Record<string, unknown> }) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(answer.body).toMatchObject({ type: '/docs/conventions#problem-idempotency_conflict', status: 409, errors: [{ pointer: '/id' }] });
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('min', { monthlyFeeCents: 0, unit: 'min', unitPriceCents: 10 }), contractDoc('ct-ids', 'bo-cust-1', [['min', 1]])))).body).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('BO-04 API-01 POST /consumption with the id of another record is a 409 and the record stays; the same add again answers it (200)', async () => {
    const usage = { id: 'use-1', externalId: 'ERP-1', contractId: 'ct-ids', serviceId: 'min', quantity: 100, date: '2026-11-05' };
    const first = await bo.api('POST', '/consumption', usage, key());
    expect(first.status).toBe(201);
    expectTaken(await bo.api('POST', '/consumption', { ...usage, externalId: 'ERP-2', quantity: 1 }, key()));
    expect((await bo.api('GET', '/consumption/use-1')).body).toMatchObject({ externalId: 'ERP-1', quantity: 100 });
    expect((await bo.api('GET', '/consumption?contractId=ct-ids')).body.consumption).toHaveLength(1);
    const retry = await bo.api('POST', '/consumption', usage, key());
    expect(retry).toMatchObject({ status: 200, body: { id: 'use-1', externalId: 'ERP-1', quantity: 100 } });
    // A removed record's id is not reused by an add either.
    expect((await bo.api('DELETE', '/consumption/use-1', undefined, key())).status).toBe(200);
    expectTaken(await bo.api('POST', '/consumption', usage, key()));
  });

  it('BO-01 API-01 POST /customers with the id of a deactivated customer is a 409: it stays deactivated with its contact data; the same add again answers it (200)', async () => {
    const made = await bo.api('POST', '/customers', { id: 'cust-add', name: 'Cliente Add', taxId: cpf(515151), email: 'add@example.com' }, key());
    expect(made.status).toBe(201);
    expect((await bo.api('POST', '/customers', { id: 'cust-add', name: 'Cliente Add', taxId: cpf(515151), email: 'add@example.com' }, key()))).toMatchObject({ status: 200, body: { id: 'cust-add', email: 'add@example.com' } });
    expect((await bo.api('DELETE', '/customers/cust-add', { reason: 'Encerrou a conta' }, key())).status).toBe(200);
    expectTaken(await bo.api('POST', '/customers', { id: 'cust-add', name: 'Cliente Add', taxId: cpf(515151) }, key()));
    expect((await bo.api('GET', '/customers/cust-add')).body).toMatchObject({ active: false, email: 'add@example.com', deactivationReason: 'Encerrou a conta' });
  });

  it("BO-03 API-01 POST /contracts with a draft contract's or a service's id is a 409 and changes nothing; the same add again (lines without ids) answers the contract", async () => {
    const contract = { id: 'ct-add', code: 'CT-ADD', customerId: 'bo-cust-1', startDate: '2026-10-01', billingDay: 10, lines: [{ serviceId: 'min', quantity: 2 }] };
    const made = await bo.api('POST', '/contracts', contract, key());
    expect(made.status).toBe(201);
    expect(await bo.api('POST', '/contracts', contract, key())).toMatchObject({ status: 200, body: { id: 'ct-add', lines: made.body.lines } });
    expectTaken(await bo.api('POST', '/contracts', { ...contract, lines: [{ serviceId: 'min', quantity: 9 }] }, key()));
    expect((await bo.api('GET', '/contracts/ct-add')).body.lines).toEqual(made.body.lines);
    expectTaken(await bo.api('POST', '/contracts', { ...contract, id: 'min', code: 'CT-MIN' }, key()));
    expect((await bo.api('GET', '/services/min')).body).toMatchObject({ kind: 'service', code: 'MIN' });
  });

  it('BO-04 API-01 the consumption batch matches items by externalId: an item naming an id is refused (400 on /items/0/id), not stored under another id', async () => {
    const item = { externalId: 'B-ID', contractId: 'ct-ids', serviceId: 'min', date: '2026-11-07', quantity: 3 };
    const named = await bo.api('POST', '/consumption/batch', { items: [{ ...item, id: 'my-batch-id' }] }, key());
    expect(named.status, JSON.stringify(named.body)).toBe(400);
    expect(JSON.stringify(named.body)).toContain('/items/0/id');
    expect((await bo.api('GET', '/consumption/my-batch-id')).status).toBe(404);
    expect((await bo.api('GET', '/consumption?contractId=ct-ids&limit=500')).body.consumption.filter((record: { externalId: string }) => record.externalId === 'B-ID')).toHaveLength(0);
    expect((await bo.api('POST', '/consumption/batch', { items: [item] }, key())).status).toBe(200);
  });

  it('BO-04 API-01 POST /consumption with an externalId another record holds answers it only for the same add; other content or another id is a 409 on /externalId', async () => {
    const usage = { externalId: 'ERP-X', contractId: 'ct-ids', serviceId: 'min', quantity: 10, date: '2026-11-06' };
    const first = await bo.api('POST', '/consumption', usage, key());
    expect(first.status).toBe(201);
    // A retry without an id (the server made it) answers the record.
    expect(await bo.api('POST', '/consumption', usage, key())).toMatchObject({ status: 200, body: { id: first.body.id, quantity: 10 } });
    expect(await bo.api('POST', '/consumption', { ...usage, id: first.body.id }, key())).toMatchObject({ status: 200, body: { id: first.body.id } });
    const held = (answer: { status: number; body: Record<string, unknown> }) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(409);
      expect(answer.body).toMatchObject({ type: '/docs/conventions#problem-idempotency_conflict', errors: [{ pointer: '/externalId' }] });
      expect(String(answer.body.detail)).toContain(String(first.body.id));
    };
    // A corrected quantity sent as an add was answered with the old record, 200: the caller thought it kept.
    held(await bo.api('POST', '/consumption', { ...usage, quantity: 12 }, key()));
    // A free id with a held externalId named the other record, 200, and stored nothing under the id.
    held(await bo.api('POST', '/consumption', { ...usage, id: 'use-free' }, key()));
    expect((await bo.api('GET', '/consumption/use-free')).status).toBe(404);
    expect((await bo.api('GET', `/consumption/${String(first.body.id)}`)).body).toMatchObject({ externalId: 'ERP-X', quantity: 10 });
    // An empty description is the same add as none (the batch stores it so): resent either way, 200.
    const blank = await bo.api('POST', '/consumption', { ...usage, externalId: 'ERP-Y', description: '' }, key());
    expect(blank.status).toBe(201);
    expect(await bo.api('POST', '/consumption', { ...usage, externalId: 'ERP-Y' }, key())).toMatchObject({ status: 200, body: { id: blank.body.id } });
  });
});
