import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * BO-04 correcting records after their record changes (breaker 6, finding 1): "a correcting record
 * names a live record of the same contract and service, and the corrections of a record never take back
 * more than it counts" holds on every write of the record too, by every route (sync/rules/
 * consumption-corrections.ts through guards.ts). Before, a record shrunk, moved or removed left its
 * corrections live, netted against other usage of the contract: under-billing. Quantities in units;
 * the metered service costs 100 cents a unit, no fee, nothing included.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(DATABASE_KINDS)('consumption corrections follow their record on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const key = () => ({ 'idempotency-key': crypto.randomUUID() });
  /** A record of contract ct-cc (service `u`, 2026-11) through the API; answers its id. */
  const add = async (externalId: string, quantity: number, extra: Record<string, unknown> = {}) => {
    const made = await bo.api('POST', '/consumption', { externalId, contractId: 'ct-cc', serviceId: 'u', quantity, date: '2026-11-05', ...extra }, key());
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return String(made.body.id);
  };
  const quantityOf = async (id: string) => (await bo.api('GET', `/consumption/${id}`)).body.quantity as number | undefined;
  const openError = async (id: string) => (await bo.errors()).find((entry) => entry.documentId === id && !entry.resolvedAt);

  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1)))).body).toEqual([]);
    const metered = { monthlyFeeCents: 0, unit: 'un', unitPriceCents: 100, includedQuantity: 0 };
    expect((await bo.push('backoffice', rows(serviceDoc('u', metered), serviceDoc('v', metered), contractDoc('ct-cc', 'bo-cust-1', [['u', 1], ['v', 1]])))).body).toEqual([]);
    expect((await bo.push('backofficeActions', rows(requestDoc('rq-cc', 'ct-cc', 'activate')))).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('BO-04 API-01 PUT or DELETE of a record cannot leave its corrections overdrawing it: 422 naming them, kept in integration errors; unrelated usage is billed in full', async () => {
    const orig = await add('CC-ORIG', 10);
    await add('CC-OTHER', 50);
    await add('CC-CORR', -8, { correctsId: orig, date: '2026-11-20' });
    for (const [method, body] of [['PUT', { serviceId: 'u', quantity: 1, date: '2026-11-05' }], ['PUT', { serviceId: 'v', quantity: 10, date: '2026-11-05' }], ['DELETE', undefined]] as const) {
      const refused = await bo.api(method, `/consumption/${orig}`, body, key());
      expect(refused.status, `${method} ${JSON.stringify(body)}`).toBe(422);
      expect(refused.body.detail).toContain('CC-CORR');
      expect(await quantityOf(orig)).toBe(10);
    }
    expect(await openError(orig)).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('CC-CORR') });
    // Down to what the correction takes back is allowed: 8 − 8 + 50 units billed, 5,000 cents.
    expect((await bo.api('PUT', `/consumption/${orig}`, { serviceId: 'u', quantity: 8, date: '2026-11-05' }, key())).status).toBe(200);
    expect((await bo.api('POST', '/billing-runs', { period: '2026-11' }, key())).status).toBe(200);
    const receivables = (await bo.api('GET', '/receivables?contractId=ct-cc&period=2026-11')).body.receivables as { amountCents: number }[];
    expect(receivables.map((row) => row.amountCents)).toEqual([5000]);
  });

  it('BO-04 by device push, a corrected record shrunk or removed is refused and kept; an upload removing the correction first, then the record, is written', async () => {
    const stored = async (id: string) => ({ ...(await bo.api('GET', `/consumption/${id}`)).body, _deleted: false });
    const orig = await add('CC-PUSH', 10, { date: '2026-12-03' });
    const corr = await add('CC-PUSH-FIX', -4, { correctsId: orig, date: '2026-12-04' });
    const before = await stored(orig);
    await bo.push('consumption', [{ newDocumentState: { ...before, quantity: 3, updatedAt: new Date().toISOString() }, assumedMasterState: before }]);
    await bo.push('consumption', [{ newDocumentState: { ...before, _deleted: true }, assumedMasterState: before }]);
    expect(await quantityOf(orig)).toBe(10);
    expect(await openError(orig)).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('CC-PUSH-FIX') });
    const fix = await stored(corr);
    expect((await bo.push('consumption', [{ newDocumentState: { ...fix, _deleted: true }, assumedMasterState: fix }, { newDocumentState: { ...before, _deleted: true }, assumedMasterState: before }])).body).toEqual([]);
    expect((await bo.api('GET', `/consumption/${orig}`)).status).toBe(404);
  });

  it('BO-04 API-03 the batch (JSON or .xlsx) cannot shrink a corrected record below its corrections; a batch with the record and a new correction is judged in item order', async () => {
    const orig = await add('CC-BATCH', 10, { date: '2026-12-05' });
    await add('CC-BATCH-FIX', -8, { correctsId: orig, date: '2026-12-06' });
    const item = (externalId: string, quantity: number, extra: Record<string, unknown> = {}) => ({ externalId, contractId: 'ct-cc', serviceId: 'u', quantity, date: '2026-12-05', ...extra });
    const shrink = await bo.api('POST', '/consumption/batch?mode=valid', { items: [item('CC-BATCH', 1)] }, key());
    expect(shrink.body).toMatchObject({ written: 0, errors: [{ pointer: '/items/0', reason: expect.stringContaining('CC-BATCH-FIX') }] });
    const sheet = new ExcelJS.Workbook();
    sheet.addWorksheet('Consumo').addRows([['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade'], ['CC-BATCH', 'CT-CC', 'U', '05/12/2026', 1]]);
    const upload = await fetch(`${server.url}/api/v1/billing/consumption/batch`, { method: 'POST', headers: { authorization: `Bearer ${bo.token}`, 'content-type': XLSX, ...key() }, body: new Uint8Array(await sheet.xlsx.writeBuffer()) });
    expect(upload.status).toBe(422);
    expect(await upload.json()).toMatchObject({ errors: [{ row: 2, reason: expect.stringContaining('CC-BATCH-FIX') }] });
    expect(await quantityOf(orig)).toBe(10);
    // The record grows to 30 first, so a new correction of −15 fits (30 − 8 − 15 = 7), judged on the record as changed.
    const grown = await bo.api('POST', '/consumption/batch', { items: [item('CC-BATCH', 30), item('CC-BATCH-FIX2', -15, { correctsId: orig, date: '2026-12-07' })] }, key());
    expect(grown.body, JSON.stringify(grown.body)).toMatchObject({ written: 2, errors: [] });
    // A correction, then the record shrunk below all three (30 → 20 < 8 + 15 + 5): the record's item is refused.
    const mixed = await bo.api('POST', '/consumption/batch?mode=valid', { items: [item('CC-BATCH-FIX3', -5, { correctsId: orig, date: '2026-12-08' }), item('CC-BATCH', 20)] }, key());
    expect(mixed.body).toMatchObject({ written: 1, errors: [{ pointer: '/items/1', reason: expect.stringContaining('CC-BATCH-FIX') }] });
    expect(await quantityOf(orig)).toBe(30);
  });
});
