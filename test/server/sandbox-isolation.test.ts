import { beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey } from '../../sync/schema/index.ts';
import { useSandboxServer } from './sandbox-server.ts';
import { cpf } from './support/documents.ts';
import { posSale } from './support/pos-sales.ts';
import { ean13 } from '../../sync/server/seed/catalogue.ts';
import { adminToken, call, DATABASE_KINDS, pullAll, stationSession, type TestServer } from './support/servers.ts';

/**
 * Issue 13, API-06: the sandbox is the production store's companion store; no read or write crosses
 * between them, both ways, on every route family (products, stock, orders, sales, billing, webhooks,
 * sync). `sbx` is a sandbox key (bk_test., made by the admin's route), `prd` a production key of the same
 * store, both with every scope; each family is exercised from both sides with the same ids where the
 * API lets a caller choose them, so a leak would show as a changed or visible record.
 */
describe.each(DATABASE_KINDS)('sandbox isolation on %s', (kind) => {
  // The shared sandbox setup (test/server/sandbox-server.ts), read into locals once it is made.
  const sandbox = useSandboxServer(kind);
  const as = sandbox.as;
  let server: TestServer;
  let admin: string;
  let sbx: CreatedApiKey;
  let prd: CreatedApiKey;
  beforeAll(() => void ({ server, admin, sbx, prd } = sandbox));

  it('API-06 products: neither side reads the other\'s, and a write with the same id stays on its own side', async () => {
    expect((await as(sbx, 'GET', '/api/v1/products/p-00002')).status).toBe(404);
    expect((await as(prd, 'GET', '/api/v1/products/t-00002')).status).toBe(404);
    const production = (await as(prd, 'GET', '/api/v1/products/p-00002')).body;
    const sandbox = (await as(sbx, 'GET', '/api/v1/products/t-00002')).body;
    expect(sandbox.id).toBe('t-00002');
    const { _deleted: _a, ...productionFields } = production;
    const { _deleted: _b, ...sandboxFields } = sandbox;
    // The sandbox writes "p-00002" (its own record now); production's is untouched — and the other way round.
    expect((await as(sbx, 'PUT', '/api/v1/products/p-00002', { ...productionFields, priceCents: 1 }, { 'idempotency-key': 'iso-product' })).status).toBe(200);
    expect((await as(prd, 'GET', '/api/v1/products/p-00002')).body.priceCents).toBe(production.priceCents);
    const written = await as(prd, 'PUT', '/api/v1/products/t-00003', { ...sandboxFields, id: 't-00003', sku: 'ISO-PRD-3', barcode: ean13(7_777_777), groupId: 'loja1-grp-ferragens', priceCents: 2 }, { 'idempotency-key': 'iso-product' });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
    expect((await as(sbx, 'GET', '/api/v1/products/t-00003')).body.priceCents).not.toBe(2);
    // Lists, searches and change feeds.
    const sandboxIds = ((await as(sbx, 'GET', '/api/v1/products?since=0&limit=10000')).body.documents as { id: string; priceCents: number }[]);
    expect(sandboxIds.filter((doc) => doc.id.startsWith('p-')).map((doc) => [doc.id, doc.priceCents])).toEqual([['p-00002', 1]]);
    const productionIds = ((await as(prd, 'GET', '/api/v1/products?since=0&limit=10000')).body.documents as { id: string; priceCents: number }[]);
    expect(productionIds.filter((doc) => doc.id.startsWith('t-')).map((doc) => [doc.id, doc.priceCents])).toEqual([['t-00003', 2]]);
    expect((await as(sbx, 'GET', '/api/v1/products/search?sku=ISO-PRD-3')).body.products).toEqual([]);
    expect((await as(prd, 'GET', `/api/v1/products/search?sku=${sandbox.sku}`)).body.products).toEqual([]);
  });

  it('API-06 stock: adjustments and reservations reach only their own side', async () => {
    const level = async (key: CreatedApiKey, sku: string) => ((await as(key, 'GET', `/api/v1/stock?sku=${sku}`)).body.levels as { stock: number; reserved: number }[])[0];
    const productionSku = (await as(prd, 'GET', '/api/v1/products/p-00005')).body.sku as string;
    const sandboxSku = (await as(sbx, 'GET', '/api/v1/products/t-00005')).body.sku as string;
    const before = await level(prd, productionSku);
    const sandboxBefore = await level(sbx, sandboxSku);
    expect(await level(sbx, productionSku)).toBeUndefined();
    expect(await level(prd, sandboxSku)).toBeUndefined();
    const adjusted = await as(sbx, 'POST', '/api/v1/stock/adjustments', { id: 'iso-adj', items: [{ sku: productionSku, delta: -3 }], reason: 'isolamento' }, { 'idempotency-key': 'iso-adj' });
    expect(adjusted.status).toBeGreaterThanOrEqual(400);
    const reserved = await as(sbx, 'POST', '/api/v1/stock/reservations', { id: 'iso-res', items: [{ sku: productionSku, quantity: 1 }], ttlSeconds: 600 }, { 'idempotency-key': 'iso-res' });
    expect(reserved.status).toBeGreaterThanOrEqual(400);
    expect(await level(prd, productionSku)).toEqual(before);
    // The other way: production cannot touch the sandbox's stock, and the sandbox's own reservation stays there.
    expect((await as(prd, 'POST', '/api/v1/stock/reservations', { id: 'iso-res', items: [{ sku: sandboxSku, quantity: 1 }], ttlSeconds: 600 }, { 'idempotency-key': 'iso-res' })).status).toBeGreaterThanOrEqual(400);
    // Another request than the refused one above: a new key (that key replays its refusal, API-05).
    expect((await as(sbx, 'POST', '/api/v1/stock/reservations', { id: 'iso-res', items: [{ sku: sandboxSku, quantity: 1 }], ttlSeconds: 600 }, { 'idempotency-key': 'iso-res-own' })).status).toBe(201);
    expect(await level(sbx, sandboxSku)).toMatchObject({ stock: sandboxBefore!.stock, reserved: 1 });
    expect(await level(prd, productionSku)).toEqual(before);
    expect((await as(prd, 'GET', '/api/v1/stock/reservations/iso-res')).status).toBe(404);
  });

  const order = (id: string, sku: string) => ({
    id,
    customer: { name: 'Cliente do isolamento', taxId: cpf(8101) },
    delivery: { address: 'Av. Paulista, 1000', city: 'São Paulo', uf: 'SP', cep: '01310-100', shippingCents: 0 },
    payment: { method: 'card', installments: 1, amountCents: 0 },
    items: [{ sku, quantity: 1, unitPriceCents: 0 }],
  });
  const placeAndDeliver = async (key: CreatedApiKey, id: string, productId: string) => {
    const product = (await as(key, 'GET', `/api/v1/products/${productId}`)).body as { sku: string; priceCents: number };
    const body = order(id, product.sku);
    body.items[0]!.unitPriceCents = product.priceCents;
    body.payment.amountCents = product.priceCents;
    const made = await as(key, 'POST', '/api/v1/orders', body, { 'idempotency-key': `iso-${id}` });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    for (const action of ['pay', 'invoice', 'ship', 'deliver']) expect((await as(key, 'POST', `/api/v1/orders/${id}/${action}`, undefined, { 'idempotency-key': `iso-${id}-${action}` })).status).toBe(200);
  };

  it('API-06 orders: each side\'s orders and their status changes stay on that side', async () => {
    await placeAndDeliver(prd, 'iso-order-prd', 'p-00010');
    expect((await as(sbx, 'GET', '/api/v1/orders/iso-order-prd')).status).toBe(404);
    expect((await as(sbx, 'POST', '/api/v1/orders/iso-order-prd/pay', undefined, { 'idempotency-key': 'iso-cross-pay' })).status).toBe(404);
    await placeAndDeliver(sbx, 'iso-order-sbx', 't-00010');
    expect((await as(prd, 'GET', '/api/v1/orders/iso-order-sbx')).status).toBe(404);
    expect((await as(prd, 'GET', '/api/v1/orders/iso-order-prd')).body.status).toBe('delivered');
    // The same order id on both sides: two orders, each on its side.
    await placeAndDeliver(sbx, 'iso-order-prd', 't-00012');
    expect((await as(prd, 'GET', '/api/v1/orders/iso-order-prd')).body.items[0].sku).toBe((await as(prd, 'GET', '/api/v1/products/p-00010')).body.sku);
  });

  it('API-06 sales: a production station\'s sale is read by production only, the sandbox\'s fixture sales by the sandbox only', async () => {
    const station = await stationSession(server, 'cx02');
    const sale = posSale('iso-sale-prd', station.station.stationId, [['p-00020', 1, 1000]]);
    expect((await call(server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: [{ newDocumentState: sale, assumedMasterState: null }] })).body).toEqual([]);
    const movements = async (key: CreatedApiKey) => JSON.stringify((await as(key, 'GET', '/api/v1/sales/movements?limit=200')).body);
    expect(await movements(prd)).toContain('iso-sale-prd');
    expect(await movements(sbx)).not.toContain('iso-sale-prd');
    expect((await as(prd, 'GET', '/api/v1/sales/iso-sale-prd')).status).toBe(200);
    expect((await as(sbx, 'GET', '/api/v1/sales/iso-sale-prd')).status).toBe(404);
    // The sandbox comes with its stations' sales (fixtures), so an ERP's read-back has something to read — its own only.
    const sandboxSales = (await as(sbx, 'GET', '/api/v1/sales?since=0&limit=1000')).body.documents as { id: string; stationId: string }[];
    expect(sandboxSales.map((doc) => doc.id).sort()).toEqual(['loja1.sandbox-sale-cx01-1', 'loja1.sandbox-sale-cx01-2', 'loja1.sandbox-sale-cx02-3']);
    expect(sandboxSales.every((doc) => doc.stationId.startsWith('loja1.sandbox-'))).toBe(true);
    expect(await movements(sbx)).toContain('loja1.sandbox-sale-cx02-3');
    expect(await movements(prd)).not.toContain('loja1.sandbox-sale');
    expect((await as(prd, 'GET', '/api/v1/sales/loja1.sandbox-sale-cx01-1')).status).toBe(404);
  });

  it('API-06 billing: customers (one CPF on each side), contracts, billing runs and receivables stay on their side', async () => {
    const taxId = cpf(8202);
    const inProduction = await as(prd, 'POST', '/api/v1/billing/customers', { id: 'iso-cust', name: 'Cliente de produção', taxId }, { 'idempotency-key': 'iso-cust' });
    expect(inProduction.status).toBe(201);
    // The same CPF and id in the sandbox are not a duplicate: the sandbox does not see production's customer.
    const inSandbox = await as(sbx, 'POST', '/api/v1/billing/customers', { id: 'iso-cust', name: 'Cliente de homologação', taxId }, { 'idempotency-key': 'iso-cust' });
    expect(inSandbox.status).toBe(201);
    expect((await as(prd, 'GET', '/api/v1/billing/customers/iso-cust')).body.name).toBe('Cliente de produção');
    const sandboxCustomers = JSON.stringify((await as(sbx, 'GET', '/api/v1/billing/customers?limit=1000')).body);
    const productionCustomers = JSON.stringify((await as(prd, 'GET', '/api/v1/billing/customers?limit=1000')).body);
    expect(sandboxCustomers).not.toContain('loja1-cli-');
    expect(sandboxCustomers).toContain('loja1.sandbox-cli-1');
    expect(productionCustomers).not.toContain('loja1.sandbox');
    // The sandbox's seeded contracts are billed in the sandbox only.
    expect((await as(prd, 'GET', '/api/v1/billing/contracts/loja1.sandbox-ct-2')).status).toBe(404);
    const run = await as(sbx, 'POST', '/api/v1/billing/billing-runs', { period: '2026-01' }, { 'idempotency-key': 'iso-run' });
    expect(run.status).toBe(200);
    expect(run.body.created).toBeGreaterThan(0);
    expect(JSON.stringify((await as(sbx, 'GET', '/api/v1/billing/receivables?limit=50')).body)).toContain('loja1.sandbox-ct-2');
    expect(JSON.stringify((await as(prd, 'GET', '/api/v1/billing/receivables?limit=50')).body)).not.toContain('loja1.sandbox');
    expect((await as(prd, 'POST', '/api/v1/billing/billing-runs', { period: '2026-01' }, { 'idempotency-key': 'iso-run' })).body.created).toBe(0);
  });

  it('API-06 webhooks: a subscription hears only its own side\'s events, and neither side lists the other\'s', async () => {
    const subscribe = async (key: CreatedApiKey) => {
      const made = await as(key, 'POST', '/api/v1/webhooks/subscriptions', { url: 'http://127.0.0.1:9/hook', eventTypes: ['order.status_changed'] }, { 'idempotency-key': `iso-hook-${key.id}` });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.subscription.id as string;
    };
    const sandboxHook = await subscribe(sbx);
    const productionHook = await subscribe(prd);
    expect(JSON.stringify((await as(prd, 'GET', '/api/v1/webhooks/subscriptions')).body)).not.toContain(sandboxHook);
    expect(JSON.stringify((await as(admin, 'GET', '/api/v1/webhooks/subscriptions')).body)).not.toContain(sandboxHook);
    expect(JSON.stringify((await as(sbx, 'GET', '/api/v1/webhooks/subscriptions')).body)).not.toContain(productionHook);
    expect((await as(prd, 'GET', `/api/v1/webhooks/subscriptions/${sandboxHook}`)).status).toBe(404);
    expect((await as(sbx, 'DELETE', `/api/v1/webhooks/subscriptions/${productionHook}`, undefined, { 'idempotency-key': 'iso-hook-delete' })).status).toBe(404);
    await placeAndDeliver(prd, 'iso-hook-prd', 'p-00011');
    await placeAndDeliver(sbx, 'iso-hook-sbx', 't-00011');
    const heard = async (subscription: string) =>
      (await server.db.query<{ resource_id: string }>('SELECT resource_id FROM webhook_messages WHERE subscription_id = $1 ORDER BY created_at', [subscription])).map((row) => row.resource_id);
    expect(new Set(await heard(sandboxHook))).toEqual(new Set(['iso-hook-sbx']));
    expect(new Set(await heard(productionHook))).toEqual(new Set(['iso-hook-prd']));
  });

  it('API-06 sync: sandbox keys cannot replicate, and production stations never receive the sandbox\'s documents', async () => {
    expect((await as(sbx, 'GET', '/api/sync/products/pull?checkpoint=0&limit=10')).status).toBe(403);
    expect((await as(sbx, 'POST', '/api/sync/products/push', [])).status).toBe(403);
    const station = await stationSession(server, 'cx01');
    const products = await pullAll(server, station.token, 'products');
    expect(products.find((doc) => doc.id === 'p-00002')?.priceCents).not.toBe(1);
    expect(products.filter((doc) => String(doc.id).startsWith('t-')).map((doc) => doc.id)).toEqual(['t-00003']); // production's own, written above
    const customers = await pullAll(server, (await adminToken(server)), 'customers');
    expect(customers.some((doc) => String(doc.id).startsWith('loja1.sandbox'))).toBe(false);
  });

  it('API-06 the sandbox clock is the sandbox\'s only: production keys cannot move it and production time never moves', async () => {
    expect((await as(prd, 'POST', '/api/v1/sandbox/clock', { advanceSeconds: 60 })).status).toBe(403);
    const moved = await as(sbx, 'POST', '/api/v1/sandbox/clock', { advanceSeconds: 3_600 });
    expect(moved.status).toBe(200);
    expect(moved.body.offsetSeconds).toBe(3_600);
    const [productionNow] = await server.db.query<{ ahead: boolean }>("SELECT store_now('loja1') < now() + interval '1 minute' AS ahead");
    expect(productionNow!.ahead).toBe(true);
  });
});
