import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { dayOf, PERIODS } from './support/periods.ts';
import { call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';

// Billed: the month the tests run in, as their contracts are activated by the real clock (support/periods.ts).
const { current: CUR } = PERIODS;

/**
 * What a breaker found in the back office (issue 11, 2026-11-30): who may deactivate a customer and how
 * that is recorded, the billing run's bounds, correcting records and usage dates, and who reads the
 * back office's refusals.
 */
describe.each(DATABASE_KINDS)('back office hardening on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1), customer(2), customer(3), customer(4, { active: false, deactivationReason: 'mudou-se' })))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('fee'), serviceDoc('min', { monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12 })))).body).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
  });

  const stored = async (id: string) => (await bo.api('GET', `/customers/${id}`)).body as Record<string, unknown>;
  const pushAs = (token: string, doc: Record<string, unknown>, assumed: Record<string, unknown>) =>
    call(server.url, 'POST', '/api/sync/customers/push', { token, body: [{ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: { ...assumed, _deleted: false } }] });

  it('BO-01 a cashier edits a customer at the till but cannot deactivate or reactivate one by any route: refused by itself, with the reason', async () => {
    const cashier = await login(server, 'caixa', 'caixa123');
    expect((await call(server.url, 'DELETE', '/api/v1/billing/customers/bo-cust-1', { token: cashier.token, body: { reason: 'x' } })).status).toBe(403);
    const before = await stored('bo-cust-1');
    await pushAs(cashier.token, { ...before, active: false, deactivationReason: 'feito pelo caixa', updatedAt: new Date().toISOString() }, before);
    expect(await stored('bo-cust-1')).toMatchObject({ active: true });
    const errors = (await call(server.url, 'GET', '/api/sync/errors', { token: cashier.token })).body as { documentId: string; reason: string; message: string }[];
    expect(errors.find((entry) => entry.documentId === 'bo-cust-1')).toMatchObject({ reason: 'not_permitted', message: expect.stringContaining('active') });
    // Reactivating a deactivated customer is the back office's too.
    const inactive = await stored('bo-cust-4');
    await pushAs(cashier.token, { ...inactive, active: true, deactivationReason: undefined, updatedAt: new Date().toISOString() }, inactive);
    expect(await stored('bo-cust-4')).toMatchObject({ active: false, deactivationReason: 'mudou-se' });
    // Contact data stays the till's to fix (the customer form of the sale screen).
    await pushAs(cashier.token, { ...before, phone: '11987654321', updatedAt: new Date().toISOString() }, before);
    expect(await stored('bo-cust-1')).toMatchObject({ active: true, phone: '11987654321' });
  });

  it('BO-01 a deactivation that arrives by push records who sent it (signed in), never who the document claims', async () => {
    const before = await stored('bo-cust-2');
    await bo.push('customers', [{ newDocumentState: { ...before, _deleted: false, active: false, deactivationReason: 'motivo', deactivatedBy: 'loja1-admin', updatedAt: new Date().toISOString() }, assumedMasterState: { ...before, _deleted: false } }]);
    expect(await stored('bo-cust-2')).toMatchObject({ active: false, deactivationReason: 'motivo', deactivatedBy: 'loja1-retaguarda', deactivatedAt: expect.any(String) });
  });

  it('BO-05 a billing run of a period beyond the calendar is a 422 problem, never a 500', async () => {
    for (const period of ['9999-12', '1969-12']) {
      const run = await bo.api('POST', '/billing-runs', { period });
      expect(run.status, period).toBe(422);
      expect(run.body.detail, period).toContain(period);
    }
  });

  it('BO-05 a contract whose charge exceeds the largest amount is left unbilled and named; every other contract is billed', async () => {
    expect((await bo.push('backoffice', rows(
      contractDoc('ct-ok', 'bo-cust-3', [['fee', 1]]),
      contractDoc('ct-huge', 'bo-cust-3', [['fee', 1]], { lines: [{ id: 'l', serviceId: 'fee', quantity: 1_000_000, feeOverrideCents: 100_000_000_000 }] }),
    ))).body).toEqual([]);
    expect((await bo.api('POST', '/contracts/ct-ok/activate')).status).toBe(200);
    expect((await bo.api('POST', '/contracts/ct-huge/activate')).status).toBe(200);
    const run = await bo.api('POST', '/billing-runs', { period: CUR });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.created).toBeGreaterThanOrEqual(1);
    expect(run.body.refused).toEqual([{ contractId: 'ct-huge', reason: 'charge_too_large', message: expect.stringContaining('ct-huge') }]);
    const receivables = (await bo.api('GET', `/receivables?period=${CUR}`)).body as { receivables: { contractId: string }[] };
    expect(receivables.receivables.map((row) => row.contractId)).toContain('ct-ok');
    expect(receivables.receivables.map((row) => row.contractId)).not.toContain('ct-huge');
  });

  it('BO-04 a correcting record corrects an existing record of the same contract and service, and never takes back more than it counts', async () => {
    expect((await bo.push('backoffice', rows(contractDoc('ct-corr', 'bo-cust-3', [['min', 1]])))).body).toEqual([]);
    const ghost = await bo.api('POST', '/consumption', { contractId: 'ct-corr', serviceId: 'min', quantity: -500, date: dayOf(CUR, 5), correctsId: 'does-not-exist' });
    expect(ghost.status).toBe(422);
    const real = await bo.api('POST', '/consumption', { contractId: 'ct-corr', serviceId: 'min', quantity: 10, date: dayOf(CUR, 5), externalId: 'corr-real' });
    expect(real.status).toBe(201);
    const tooMuch = await bo.api('POST', '/consumption', { contractId: 'ct-corr', serviceId: 'min', quantity: -11, date: dayOf(CUR, 6), correctsId: real.body.id });
    expect(tooMuch.status).toBe(422);
    expect((await bo.api('POST', '/consumption', { contractId: 'ct-corr', serviceId: 'min', quantity: -4, date: dayOf(CUR, 6), correctsId: real.body.id, externalId: 'corr-1' })).status).toBe(201);
    // 10 − 4 = 6 left: taking back 7 more is refused, 6 is not.
    expect((await bo.api('POST', '/consumption', { contractId: 'ct-corr', serviceId: 'min', quantity: -7, date: dayOf(CUR, 7), correctsId: real.body.id, externalId: 'corr-2' })).status).toBe(422);
    expect((await bo.api('POST', '/consumption', { contractId: 'ct-corr', serviceId: 'min', quantity: -6, date: dayOf(CUR, 7), correctsId: real.body.id, externalId: 'corr-3' })).status).toBe(201);
  });

  it('BO-04 usage dated before the contract starts, or more than a year ahead, is refused', async () => {
    expect((await bo.push('backoffice', rows(contractDoc('ct-dates', 'bo-cust-3', [['min', 1]])))).body).toEqual([]); // starts 2026-10-01
    for (const date of ['2020-01-01', '1900-01-01', '9999-12-31', '2099-01-01']) {
      const answer = await bo.api('POST', '/consumption', { contractId: 'ct-dates', serviceId: 'min', quantity: 1, date, externalId: `dates-${date}` });
      expect(answer.status, date).toBe(422);
    }
    expect((await bo.api('POST', '/consumption', { contractId: 'ct-dates', serviceId: 'min', quantity: 1, date: '2026-10-01', externalId: 'dates-ok' })).status).toBe(201);
  });

  it('BO-02 a pushed record the schema refuses (a fee above the largest amount) is kept with its reason; the rest of the batch is written', async () => {
    const answer = await bo.push('backoffice', rows(serviceDoc('ok-1'), serviceDoc('too-big', { monthlyFeeCents: 9_999_999_999_999 }), serviceDoc('ok-2')));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
    const services = ((await bo.api('GET', '/services')).body as { services: { id: string }[] }).services.map((service) => service.id);
    expect(services).toEqual(expect.arrayContaining(['ok-1', 'ok-2']));
    expect(services).not.toContain('too-big');
    const kept = (await bo.errors()).find((entry) => entry.documentId === 'too-big');
    expect(kept).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('monthlyFeeCents'), document: expect.objectContaining({ monthlyFeeCents: 9_999_999_999_999 }) });
    // Rows that do not even name their document are still the whole body's 400: nothing to keep them under.
    const nameless = await bo.push('backoffice', [{ newDocumentState: { kind: 'service', code: 'X' } }]);
    expect(nameless.status).toBe(400);
  });

  it('BO-06 a cashier does not read the back office refusals (billing ids, amounts) through /api/sync/errors', async () => {
    await bo.api('POST', '/consumption', { contractId: 'nope', serviceId: 'min', quantity: 1, date: dayOf(CUR, 5), externalId: 'err-leak' });
    expect((await bo.errors()).some((entry) => entry.document.externalId === 'err-leak')).toBe(true);
    const cashier = await login(server, 'caixa', 'caixa123');
    const errors = (await call(server.url, 'GET', '/api/sync/errors', { token: cashier.token })).body as { collection: string }[];
    expect(errors.filter((entry) => ['consumption', 'backoffice', 'backofficeActions'].includes(entry.collection))).toEqual([]);
  });
});
