import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from './support/api-keys.ts';
import { backofficeClient, customer, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { cpf } from './support/documents.ts';
import { dayOf, PERIODS } from './support/periods.ts';
import { posSale } from './support/pos-sales.ts';
import { adminToken, call, DATABASE_KINDS, login, startTestServer, stationSession, type TestServer } from './support/servers.ts';
import { Receiver } from './webhooks/receiver.ts';

// Billed: the month the test runs in, as its contract is activated by the real clock (support/periods.ts).
const { previous: PREV, current: CUR, next: NEXT } = PERIODS;

/**
 * Each webhook event type fires from its real write path (issue 13, API-02), once per change, on a
 * server whose worker runs by itself: a station's upload, the integration API, the billing API and run,
 * and the overdue sweep (the worker's clock is moved past a due date).
 */
describe.each(DATABASE_KINDS)('webhook events from their write paths on %s', (kind) => {
  let server: TestServer;
  let receiver: Receiver;
  let other: Receiver;
  let key: string;
  let bo: BackofficeClient;
  let offsetMs = 0;
  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: { clock: () => new Date(Date.now() + offsetMs) } });
    receiver = await Receiver.start();
    other = await Receiver.start();
    key = (await createKey(server, ['webhooks:read', 'webhooks:write', 'sales:read', 'sales:write', 'orders:read', 'orders:write', 'stock:read', 'stock:write', 'billing:read', 'billing:write', 'products:write', 'products:read'])).secret;
    const made = await call(server.url, 'POST', '/api/v1/webhooks/subscriptions', {
      token: key,
      body: { url: receiver.url, eventTypes: ['sale.uploaded', 'order.status_changed', 'stock.below_level', 'contract.changed', 'receivable.created', 'receivable.overdue'], stockLevel: 5 },
    });
    expect(made.status).toBe(201);
    receiver.secrets = [made.body.secret];
    // Another store's subscription hears nothing of loja1.
    const loja2 = (await login(server, 'admin', 'admin123', 'loja2')).token;
    const elsewhere = await call(server.url, 'POST', '/api/v1/webhooks/subscriptions', { token: loja2, body: { url: other.url, eventTypes: ['sale.uploaded', 'stock.below_level', 'contract.changed'], stockLevel: 1_000_000 } });
    expect(elsewhere.status).toBe(201);
    bo = await backofficeClient(server);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await other?.close();
  });

  const api = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1${path}`, { token: key, body });
  const product = (sku: string, stock: number) => ({ sku, name: `Produto ${sku}`, unit: 'UN', priceCents: 1999, groupId: 'loja1-grp-hidraulica', barcode: `789${sku.replace(/\D/g, '').padStart(10, '0')}`, stock });
  const productId = async (sku: string) => (await api('GET', `/products/sku/${sku}`)).body.id as string;
  const ofResource = (type: string, resourceId: string) => receiver.of(type).filter((message) => message.payload.resourceId === resourceId);

  it('API-02 sale.uploaded fires once per sale from a station upload, retries included, and its stock effect fires stock.below_level', async () => {
    expect((await api('POST', '/products/batch', { items: [product('WHK-1', 6)] })).status).toBe(200);
    const id = await productId('WHK-1');
    const { token, station } = await stationSession(server, 'cx01');
    const sale = posSale('wh-sale-1', station.stationId, [[id, 2, 1999]]);
    const push = () => call(server.url, 'POST', '/api/sync/sales/push', { token, body: [{ newDocumentState: sale, assumedMasterState: null }] });
    expect((await push()).body).toEqual([]);
    expect((await push()).body).toEqual([]);
    await receiver.until(() => ofResource('sale.uploaded', 'wh-sale-1').length === 1 && ofResource('stock.below_level', id).length === 1);
    const [uploaded] = ofResource('sale.uploaded', 'wh-sale-1');
    expect(uploaded!.verifiedWith).toBe(0);
    expect(uploaded!.payload.data).toMatchObject({ id: 'wh-sale-1', stationId: station.stationId, totalCents: 2 * 1999, items: [expect.objectContaining({ productId: id, quantity: 2 })] });
    expect(ofResource('stock.below_level', id)[0]!.payload.data).toMatchObject({ id, sku: 'WHK-1', stock: 4, stockBefore: 6, level: 5 });
    // The retried upload made no second event; the other store heard nothing.
    expect(receiver.all.filter((message) => message.payload.resourceId === 'wh-sale-1')).toHaveLength(1);
    expect(other.all).toEqual([]);
    // Sales come from the stations only: a key's write is refused (API-08), so it is no upload and no event.
    const { _deleted: _ignored, ...viaApi } = posSale('wh-sale-api', 'loja1-cx02', [[id, 1, 1999]]);
    expect((await api('PUT', '/sales/wh-sale-api', viaApi)).status).toBe(403);
    expect((await api('GET', '/sales/wh-sale-api')).status).toBe(404);
  });

  it('API-02 stock.below_level fires from a stock adjustment only when the stock crosses the level downwards', async () => {
    expect((await api('POST', '/products/batch', { items: [product('WHK-2', 10)] })).status).toBe(200);
    const id = await productId('WHK-2');
    expect((await api('POST', '/stock/adjustments', { id: 'wh-adj-1', sku: 'WHK-2', delta: -4, reason: 'perda' })).status).toBe(201); // 6: still ≥ 5
    expect((await api('POST', '/stock/adjustments', { id: 'wh-adj-2', sku: 'WHK-2', delta: -2, reason: 'perda' })).status).toBe(201); // 4: crosses
    expect((await api('POST', '/stock/adjustments', { id: 'wh-adj-3', sku: 'WHK-2', delta: -1, reason: 'perda' })).status).toBe(201); // 3: already below
    expect((await api('POST', '/stock/adjustments', { id: 'wh-adj-4', sku: 'WHK-2', delta: 10, reason: 'entrada' })).status).toBe(201); // 13
    expect((await api('POST', '/products/batch', { items: [{ sku: 'WHK-2', stock: 2 }] })).status).toBe(200); // the ERP's count: crosses again
    await receiver.until(() => ofResource('stock.below_level', id).length === 2);
    expect(ofResource('stock.below_level', id).map((message) => [message.payload.data.stockBefore, message.payload.data.stock])).toEqual([[6, 4], [13, 2]]);
  });

  it('API-02 order.status_changed fires on each move of an order, with the previous status; an order invoiced commits stock that may cross the level', async () => {
    expect((await api('POST', '/products/batch', { items: [product('WHK-3', 5)] })).status).toBe(200);
    const order = { id: 'wh-web-1', customer: { name: 'Cliente', taxId: cpf(4343) }, delivery: { address: 'Rua A, 1', city: 'São Paulo', uf: 'SP', cep: '01001-000', shippingCents: 0 }, payment: { method: 'pix', amountCents: 1999 }, items: [{ sku: 'WHK-3', quantity: 1, unitPriceCents: 1999 }] };
    expect((await api('POST', '/orders', order)).status).toBe(201);
    expect((await api('POST', '/orders/wh-web-1/pay')).body.applied).toBe(true);
    expect((await api('POST', '/orders/wh-web-1/pay')).body.applied).toBe(false);
    expect((await api('POST', '/orders/wh-web-1/invoice')).body.applied).toBe(true);
    await receiver.until(() => ofResource('order.status_changed', 'wh-web-1').length === 2);
    expect(ofResource('order.status_changed', 'wh-web-1').map((message) => [message.payload.data.previousStatus, message.payload.data.status])).toEqual([['new', 'paid'], ['paid', 'invoiced']]);
    const id = await productId('WHK-3');
    await receiver.until(() => ofResource('stock.below_level', id).length === 1);
  });

  it('API-02 contract.changed fires when a contract is made and on each transition; receivable.created from the billing run; receivable.overdue once, when its due date has passed', async () => {
    expect((await bo.push('customers', rows(customer(81)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('wh-fee')))).body).toEqual([]);
    expect((await bo.api('POST', '/contracts', { id: 'wh-ct', code: 'WH-CT', customerId: 'bo-cust-81', startDate: dayOf(PREV, 1), billingDay: 5, lines: [{ serviceId: 'wh-fee', quantity: 1 }] })).status).toBe(201);
    expect((await bo.api('POST', '/contracts/wh-ct/activate')).body).toMatchObject({ state: 'active' });
    await receiver.until(() => ofResource('contract.changed', 'wh-ct').length === 2);
    expect(ofResource('contract.changed', 'wh-ct').map((message) => message.payload.data.state)).toEqual(['draft', 'active']);
    expect(other.all).toEqual([]);

    const run = await bo.api('POST', '/billing-runs', { period: CUR });
    expect(run.body.created).toBe(1);
    await receiver.until(() => ofResource('receivable.created', `rcv-${CUR}-wh-ct`).length === 1);
    expect(ofResource('receivable.created', `rcv-${CUR}-wh-ct`)[0]!.payload.data).toMatchObject({ contractId: 'wh-ct', amountCents: 5000, dueDate: dayOf(NEXT, 5), status: 'open' });
    expect((await bo.api('POST', '/billing-runs', { period: CUR })).body.created).toBe(0);

    // Due on the 5th of next month: overdue by the São Paulo calendar on any day after it.
    offsetMs = Math.max(0, Date.parse(`${dayOf(NEXT, 6)}T12:00:00Z`) - Date.now());
    await server.webhooks.sweep();
    await server.webhooks.sweep();
    await receiver.until(() => ofResource('receivable.overdue', `rcv-${CUR}-wh-ct`).length === 1);
    expect(ofResource('receivable.overdue', `rcv-${CUR}-wh-ct`)[0]!.payload.data).toMatchObject({ status: 'overdue', dueDate: dayOf(NEXT, 5) });
    expect(receiver.all.filter((message) => message.payload.type === 'receivable.overdue' && message.payload.resourceId === `rcv-${CUR}-wh-ct`)).toHaveLength(1);
    expect(receiver.all.every((message) => message.verifiedWith === 0)).toBe(true);
    expect(await adminToken(server)).toBeTruthy();
  });
});
