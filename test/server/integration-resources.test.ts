import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';
import { cpf } from './support/documents.ts';
import { createKey } from './support/api-keys.ts';
import { releaseReservation } from '../../sync/server/integration/stock.ts';

/** Issue 12 "Resources": master data in, products out, stock, orders, sales movements (API-01, API-04, API-05). */
describe.each(DATABASE_KINDS)('integration resources on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(server.url, method, `/api/v1${path}`, { token: admin, body, headers });
  const product = (sku: string, extra: Record<string, unknown> = {}) => ({ sku, name: `Produto ${sku}`, unit: 'UN', priceCents: 1999, groupId: 'loja1-grp-hidraulica', barcode: `789${sku.replace(/\D/g, '').padStart(10, '0')}`, ...extra });
  const load = async (items: unknown[]) => {
    const answer = await api('POST', '/products/batch', { items });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };

  it('API-01 POS-03 a product batch answers per item with JSON pointers; one bad item never fails the others', async () => {
    const demo = (await api('GET', '/products/search?sku=P000003')).body.products[0];
    const answer = await load([
      product('ERP-0001', { stock: 7 }),
      product('ERP-0002', { priceCents: -5 }),
      { sku: 'P000003', priceCents: 12345 },
      { sku: 'ERP-0004', unit: 'UN', priceCents: 100, groupId: 'loja1-grp-hidraulica' },
      product('ERP-0001'),
      'not an object',
    ]);
    expect(answer.summary).toEqual({ created: 1, updated: 1, unchanged: 0, error: 4 });
    expect(answer.results[0]).toMatchObject({ index: 0, status: 'created' });
    expect(answer.results[1].errors).toEqual([{ pointer: '/items/1/priceCents', message: expect.stringContaining('>= 0') }]);
    expect(answer.results[2]).toMatchObject({ index: 2, id: demo.id, status: 'updated' });
    expect(answer.results[3].errors).toEqual([{ pointer: '/items/3/name', message: expect.stringContaining('required') }]);
    expect(answer.results[4]).toMatchObject({ status: 'error', errors: [{ pointer: '/items/4', message: expect.stringContaining('item 0') }] });
    expect(answer.results[5]).toMatchObject({ status: 'error', errors: [{ pointer: '/items/5' }] });

    // Only the fields sent change: the demo product keeps its name and stock.
    expect((await api('GET', '/products/sku/P000003')).body).toEqual({ ...demo, priceCents: 12345 });
    expect((await api('GET', '/products/sku/ERP-0001')).body).toMatchObject({ sku: 'ERP-0001', stock: 7, active: true, priceCents: 1999 });
    expect((await api('GET', '/products/sku/ERP-0002')).status).toBe(404);

    // An item that names its id changes that product's sku and keeps its other fields (stock included).
    const renamed = await load([{ id: answer.results[0].id, sku: 'ERP-0001-B' }]);
    expect(renamed.results[0]).toMatchObject({ status: 'updated' });
    expect((await api('GET', '/products/sku/ERP-0001-B')).body).toMatchObject({ stock: 7, name: 'Produto ERP-0001' });
    await load([{ id: answer.results[0].id, sku: 'ERP-0001' }]);

    // Sending the same batch again changes nothing.
    expect((await load([product('ERP-0001', { stock: 7 })])).summary).toEqual({ created: 0, updated: 0, unchanged: 1, error: 0 });
  });

  it('API-01 text the database cannot hold, or numbers beyond what it stores exactly, are that item\'s error only', async () => {
    const answer = await load([product('HOSTILE-1', { name: 'nul\u0000byte' }), product('HOSTILE-2', { priceCents: 2 ** 60 }), product('HOSTILE-3', { stock: 1.5 }), product('HOSTILE-4')]);
    expect(answer.results.map((r: { status: string; errors?: { pointer: string }[] }) => [r.status, r.errors?.[0]?.pointer])).toEqual([
      ['error', '/items/0/name'],
      ['error', '/items/1/priceCents'],
      ['error', '/items/2/stock'],
      ['created', undefined],
    ]);
  });

  it('API-01 a batch of more than 1,000 items, or without items, is refused whole with the field named', async () => {
    const tooMany = await api('POST', '/products/batch', { items: Array.from({ length: 1001 }, (_v, i) => product(`MANY-${i}`)) });
    expect(tooMany).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', field: '/items' } } });
    expect((await api('POST', '/products/batch', {})).body.error.field).toBe('/items');
    // No item accepted: nothing was written, a 422 whose problem names the first error, with every result.
    const none = await api('POST', '/products/batch', { items: [product('NONE-1', { unit: 'XX' }), { sku: 'NONE-2' }] });
    expect(none).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', field: '/items/0/unit' }, summary: { error: 2 }, results: [{ status: 'error' }, { errors: [{ pointer: '/items/1/name' }] }] } });
    expect((await api('GET', '/products/search?sku=MANY-1')).body.products).toEqual([]);
  });

  it('API-01 POS-03 POS-06 POS-08 POS-17 master data batch: sellers, payment types and conditions, reasons, promotions, station price tables', async () => {
    const items = [
      { kind: 'seller', code: 'erp-v9', name: 'Vendedor ERP' },
      { kind: 'paymentType', code: 'erp-boleto', name: 'Boleto', method: 'credit' },
      { kind: 'paymentCondition', code: 'erp-10x', name: '10x', paymentTypeId: 'loja1-paymentType-credito', installments: 10, interestBp: 150 },
      { kind: 'financialReason', code: 'erp-quebra', name: 'Quebra', uses: ['withdrawal'] },
      { kind: 'promotion', code: 'erp-black', name: 'Black Friday', promotion: { type: 'percentOff', percentBp: 2000, productGroupIds: ['loja1-grp-hidraulica'] } },
      { kind: 'stationGroup', code: 'Grupo Centro', name: 'Grupo Centro', priceTable: [{ productId: 'p-00005', priceCents: 990 }] },
      { kind: 'station', code: 'cx99', name: 'Not through the ERP' },
      { kind: 'paymentCondition', code: 'erp-99x', name: '99x', installments: 99 },
    ];
    const groups = (await api('GET', '/masterdata?since=0&limit=1000')).body.documents.filter((doc: { kind: string }) => doc.kind === 'stationGroup');
    items[5] = { ...items[5]!, code: groups[0].code, name: groups[0].name };
    const answer = (await api('POST', '/masterdata/batch', { items })).body;
    expect(answer.summary).toEqual({ created: 5, updated: 1, unchanged: 0, error: 2 });
    expect(answer.results[5]).toMatchObject({ id: groups[0].id, status: 'updated' });
    expect(answer.results[6].errors[0].pointer).toBe('/items/6/kind');
    expect(answer.results[7].errors[0].pointer).toBe('/items/7/installments');
    const group = (await api('GET', `/masterdata/${groups[0].id}`)).body;
    expect(group.priceTable).toEqual([{ productId: 'p-00005', priceCents: 990 }]);
    const seller = (await api('GET', `/masterdata/${answer.results[0].id}`)).body;
    expect(seller).toMatchObject({ kind: 'seller', code: 'erp-v9', active: true, _deleted: false });
  });

  it('API-04 products are found by sku, barcode and part of the name, in pages with an opaque cursor', async () => {
    await load([product('FIND-1', { name: 'Zanfona Cromada' }), product('FIND-2', { name: 'zanfona PLÁSTICA' }), product('FIND-3', { name: 'Registro' })]);
    const byName = await api('GET', '/products/search?q=ZANFONA&limit=1');
    expect(byName.body).toMatchObject({ hasMore: true, products: [{ name: expect.stringMatching(/zanfona/i) }] });
    const next = await api('GET', `/products/search?q=ZANFONA&limit=1&cursor=${byName.body.nextCursor}`);
    expect(next.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect([...byName.body.products, ...next.body.products].map((p: { sku: string }) => p.sku).sort()).toEqual(['FIND-1', 'FIND-2']);
    const barcode = (await api('GET', '/products/sku/FIND-3')).body.barcode;
    expect((await api('GET', `/products/search?barcode=${barcode}`)).body.products.map((p: { sku: string }) => p.sku)).toEqual(['FIND-3']);
    expect((await api('GET', '/products/search?cursor=garbage')).body.error).toMatchObject({ code: 'validation_failed', field: 'cursor' });
    expect((await api('GET', '/products/sku/NOPE')).status).toBe(404);
  });

  it('API-04 the product change feed pages every change in order, deletions included, and then only what changed since', async () => {
    const pages: Record<string, unknown>[][] = [];
    let cursor = '';
    for (;;) {
      const page = (await api('GET', `/products/changes?limit=700${cursor ? `&cursor=${cursor}` : ''}`)).body;
      pages.push(page.items);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    const all = pages.flat();
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    const live = (await server.query<{ n: string }>("SELECT count(*) AS n FROM documents d JOIN stores s ON s.id = d.store_id WHERE s.code = 'loja1' AND collection = 'products'"))[0]!.n;
    expect(all.length).toBe(Number(live));
    expect((await api('GET', `/products/changes?cursor=${cursor}`)).body).toMatchObject({ items: [], hasMore: false, nextCursor: cursor });

    await load([product('FEED-1'), { sku: 'P000004', priceCents: 4242 }]);
    const removed = (await api('GET', '/products/sku/P000007')).body.id;
    expect((await api('DELETE', `/products/${removed}`)).status).toBe(200);
    const since = (await api('GET', `/products/changes?cursor=${cursor}`)).body;
    expect(since.items.map((p: { sku: string; _deleted: boolean; priceCents: number }) => [p.sku, p._deleted])).toEqual([
      ['FEED-1', false],
      ['P000004', false],
      ['P000007', true],
    ]);
  });

  it('API-04 API-05 stock levels per store and adjustments applied once per adjustment id', async () => {
    await load([product('STK-1', { stock: 10 })]);
    const adjust = { id: 'adj-stk-1', sku: 'STK-1', delta: -3, reason: 'Inventário: quebra' };
    const first = await api('POST', '/stock/adjustments', adjust);
    expect(first).toMatchObject({ status: 201, body: { stockBefore: 10, stockAfter: 7, replayed: false } });
    const again = await api('POST', '/stock/adjustments', adjust);
    expect(again).toMatchObject({ status: 200, body: { stockBefore: 10, stockAfter: 7, replayed: true } });
    expect((await api('POST', '/stock/adjustments', { ...adjust, delta: -4 })).body.error.code).toBe('idempotency_conflict');
    expect((await api('POST', '/stock/adjustments', { ...adjust, id: 'adj-x', sku: 'NOPE' })).body.error).toMatchObject({ code: 'not_found', field: '/sku' });
    expect((await api('POST', '/stock/adjustments', { ...adjust, id: 'adj-y', delta: 0 })).status).toBe(400);
    expect((await api('GET', '/stock?sku=STK-1')).body.levels).toEqual([{ productId: expect.any(String), sku: 'STK-1', stock: 7, reserved: 0, available: 7 }]);
    // Another store's admin sees its own stock only.
    const other = (await login(server, 'admin', 'admin123', 'loja2')).token;
    expect((await call(server.url, 'GET', '/api/v1/stock?sku=STK-1', { token: other })).body.levels).toEqual([]);
  });

  it('API-04 a reservation is taken whole or not at all, commits or releases once, and lapses by itself', async () => {
    await load([product('RSV-1', { stock: 5 }), product('RSV-2', { stock: 1 })]);
    const short = await api('POST', '/stock/reservations', { id: 'r-short', items: [{ sku: 'RSV-1', quantity: 2 }, { sku: 'RSV-2', quantity: 2 }] });
    expect(short).toMatchObject({ status: 409, body: { error: { code: 'insufficient_stock', field: '/items/1/quantity' } } });
    expect((await api('GET', '/stock?sku=RSV-1')).body.levels[0]).toMatchObject({ reserved: 0, available: 5 });

    const made = await api('POST', '/stock/reservations', { id: 'r-1', items: [{ sku: 'RSV-1', quantity: 2 }], ttlSeconds: 600 });
    expect(made).toMatchObject({ status: 201, body: { status: 'active', items: [{ quantity: 2 }] } });
    expect((await api('POST', '/stock/reservations', { id: 'r-1', items: [{ sku: 'RSV-1', quantity: 2 }], ttlSeconds: 600 })).status).toBe(200);
    expect((await api('GET', '/stock?sku=RSV-1')).body.levels[0]).toMatchObject({ stock: 5, reserved: 2, available: 3 });
    expect((await api('POST', '/stock/reservations/r-1/commit')).body).toMatchObject({ applied: true, reservation: { status: 'committed' } });
    expect((await api('POST', '/stock/reservations/r-1/commit')).body.applied).toBe(false);
    expect((await api('POST', '/stock/reservations/r-1/release')).status).toBe(409);
    expect((await api('GET', '/stock?sku=RSV-1')).body.levels[0]).toMatchObject({ stock: 3, reserved: 0, available: 3 });

    await api('POST', '/stock/reservations', { id: 'r-2', items: [{ sku: 'RSV-1', quantity: 3 }] });
    expect((await api('GET', '/stock?sku=RSV-1')).body.levels[0].available).toBe(0);
    // Server time passes the expiry (aged in the database rather than waited for).
    await server.query("UPDATE stock_reservations SET expires_at = now() - interval '1 second' WHERE id = 'r-2'");
    expect((await api('GET', '/stock/reservations/r-2')).body.status).toBe('expired');
    expect((await api('GET', '/stock?sku=RSV-1')).body.levels[0]).toMatchObject({ reserved: 0, available: 3 });
    expect((await api('POST', '/stock/reservations/r-2/release')).body).toMatchObject({ applied: true, reservation: { status: 'released' } });
    expect((await api('GET', '/products/sku/RSV-1')).body.stock).toBe(3);
  });

  it('API-04 API-05 concurrent reservations for the last unit: exactly one gets it, stock never below what was available', async () => {
    await load([product('LAST-1', { stock: 1 })]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_v, i) => api('POST', '/stock/reservations', { id: `last-${i}`, items: [{ sku: 'LAST-1', quantity: 1 }] })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(11).fill(409)]);
    expect((await api('GET', '/stock?sku=LAST-1')).body.levels[0]).toMatchObject({ stock: 1, reserved: 1, available: 0 });
    const winner = answers.find((a) => a.status === 201)!.body.id;
    const commits = await Promise.all(Array.from({ length: 5 }, () => api('POST', `/stock/reservations/${winner}/commit`)));
    expect(commits.filter((c) => c.body.applied === true)).toHaveLength(1);
    expect((await api('GET', '/products/sku/LAST-1')).body.stock).toBe(0);
  });

  const order = (id: string, sku: string, quantity = 1, extra: Record<string, unknown> = {}) => ({
    id,
    customer: { name: 'Cliente Loja Online', taxId: cpf(4242) },
    delivery: { address: 'Rua A, 1', city: 'São Paulo', uf: 'SP', cep: '01001-000', shippingCents: 1500 },
    payment: { method: 'pix', amountCents: quantity * 1999 + 1500 },
    items: [{ sku, quantity, unitPriceCents: 1999 }],
    ...extra,
  });

  it('API-04 an order reserves on creation, invoicing commits and cancelling releases, once whatever the retries', async () => {
    await load([product('ORD-1', { stock: 4 })]);
    const created = await api('POST', '/orders', order('web-1', 'ORD-1', 3));
    expect(created).toMatchObject({ status: 201, body: { status: 'new', totalCents: 3 * 1999 + 1500, reservation: { status: 'active' }, allowedActions: ['pay', 'cancel'] } });
    expect((await api('POST', '/orders', order('web-1', 'ORD-1', 3))).status).toBe(200);
    expect((await api('POST', '/orders', order('web-1', 'ORD-1', 2))).body.error.code).toBe('idempotency_conflict');
    expect((await api('GET', '/stock?sku=ORD-1')).body.levels[0]).toMatchObject({ stock: 4, reserved: 3, available: 1 });

    expect((await api('POST', '/orders/web-1/invoice')).status).toBe(409);
    const paid = await api('POST', '/orders/web-1/pay');
    expect(paid.body).toMatchObject({ applied: true, order: { status: 'paid', reservation: { expiresAt: null } } });
    const invoices = await Promise.all([1, 2, 3].map(() => api('POST', '/orders/web-1/invoice')));
    expect(invoices.map((i) => i.status)).toEqual([200, 200, 200]);
    expect(invoices.filter((i) => i.body.applied)).toHaveLength(1);
    expect((await api('GET', '/products/sku/ORD-1')).body.stock).toBe(1);
    expect((await api('POST', '/orders/web-1/cancel')).body.error.message).toMatch(/invoiced cannot cancel/);
    await api('POST', '/orders/web-1/ship');
    const delivered = await api('POST', '/orders/web-1/deliver');
    expect(delivered.body.order).toMatchObject({ status: 'delivered', allowedActions: [] });
    expect(delivered.body.order.history.map((h: { to: string }) => h.to)).toEqual(['new', 'paid', 'invoiced', 'shipped', 'delivered']);

    await api('POST', '/orders', order('web-2', 'ORD-1', 1));
    expect((await api('GET', '/stock?sku=ORD-1')).body.levels[0].available).toBe(0);
    const cancels = await Promise.all([1, 2].map(() => api('POST', '/orders/web-2/cancel', { reason: 'cliente desistiu' })));
    expect(cancels.filter((c) => c.body.applied)).toHaveLength(1);
    expect((await api('GET', '/stock?sku=ORD-1')).body.levels[0]).toMatchObject({ stock: 1, reserved: 0, available: 1 });
    expect((await api('GET', '/orders?status=cancelled')).body.orders.map((o: { id: string }) => o.id)).toEqual(['web-2']);
  });

  it("API-04 API-08 an order's reservation is moved only by the order: the stock routes, whatever the key, neither read, release nor commit it", async () => {
    await load([product('ORD-RSV', { stock: 5 })]);
    const stockOnly = (await createKey(server, ['stock:read', 'stock:write'])).secret;
    const asStock = (method: string, path: string) => call(server.url, method, `/api/v1${path}`, { token: stockOnly });
    expect((await api('POST', '/orders', order('web-rsv-paid', 'ORD-RSV', 2))).status).toBe(201);
    expect((await api('POST', '/orders/web-rsv-paid/pay')).status).toBe(200);
    expect((await api('POST', '/orders', order('web-rsv-new', 'ORD-RSV', 1))).status).toBe(201);
    const held = { stock: 5, reserved: 3, available: 2 };
    expect((await api('GET', '/stock?sku=ORD-RSV')).body.levels[0]).toMatchObject(held);
    for (const caller of [asStock, api]) {
      for (const id of ['web-rsv-paid', 'web-rsv-new']) {
        for (const [method, action] of [['GET', ''], ['POST', '/release'], ['POST', '/commit']] as const) {
          const answer = await caller(method, `/stock/reservations/order%2F${id}${action}`);
          expect(answer.status, `${method} ${id}${action}`).toBe(400);
          expect(answer.body.error.field).toBe('/id');
        }
      }
    }
    // Nothing moved: the paid order still invoices (committing its 2), the new one still cancels (releasing its 1).
    expect((await api('GET', '/stock?sku=ORD-RSV')).body.levels[0]).toMatchObject(held);
    expect((await api('POST', '/orders/web-rsv-paid/invoice')).body).toMatchObject({ applied: true, order: { status: 'invoiced' } });
    expect((await api('POST', '/orders/web-rsv-new/cancel')).body).toMatchObject({ applied: true, order: { status: 'cancelled' } });
    expect((await api('GET', '/stock?sku=ORD-RSV')).body.levels[0]).toMatchObject({ stock: 3, reserved: 0, available: 3 });
    // Below the routes too: the integrator's side (owner null) finds no order's reservation, and an order finds no other's.
    await server.query("INSERT INTO stock_reservations (store_id, id, order_id, status, expires_at, request_hash) VALUES ('loja1', 'rsv-of-web-x', 'web-x', 'active', NULL, 'h')");
    for (const owner of [null, 'web-y']) {
      await expect(server.db.transaction((tx) => releaseReservation(tx, 'loja1', 'rsv-of-web-x', owner))).rejects.toMatchObject({ statusCode: 404, code: 'not_found' });
    }
    expect((await server.db.transaction((tx) => releaseReservation(tx, 'loja1', 'rsv-of-web-x', 'web-x'))).applied).toBe(true);
  });

  it('API-04 an order is refused whole for a bad CPF/CNPJ, a wrong total or missing stock, naming the field', async () => {
    await load([product('ORD-2', { stock: 1 })]);
    expect((await api('POST', '/orders', order('bad-1', 'ORD-2', 1, { customer: { name: 'X', taxId: '12345678900' } }))).body.error).toMatchObject({ field: '/customer/taxId' });
    expect((await api('POST', '/orders', order('bad-2', 'ORD-2', 1, { payment: { method: 'pix', amountCents: 1 } }))).body.error).toMatchObject({ field: '/payment/amountCents' });
    expect((await api('POST', '/orders', order('bad-3', 'ORD-2', 2))).body.error).toMatchObject({ code: 'insufficient_stock', field: '/items/0/quantity' });
    expect((await api('POST', '/orders', order('bad-4', 'NOPE', 1))).body.error).toMatchObject({ field: '/items/0/sku' });
    expect((await api('POST', '/orders', order('bad-5', 'ORD-2', 1, { customer: { name: 'X', taxId: cpf(1), email: 'not-an-email' } }))).body.error).toMatchObject({ field: '/customer/email' });
    expect((await api('POST', '/orders', order('bad-6', 'ORD-2', 1, { delivery: { address: 'R', city: 'C', uf: 'XX', cep: '01001-000', shippingCents: 1500 } }))).body.error).toMatchObject({ field: '/delivery/uf' });
    for (const id of ['bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-5', 'bad-6']) expect((await api('GET', `/orders/${id}`)).status).toBe(404);
    // A CNPJ with punctuation is accepted and stored canonical.
    const cnpj = await api('POST', '/orders', order('ok-cnpj', 'ORD-2', 1, { customer: { name: 'Alfa', taxId: '11.222.333/0001-81' } }));
    expect(cnpj.body.customer.taxId).toBe('11222333000181');
  });

  it('API-04 every resource route is in the API document with a 200 response schema', async () => {
    const doc = (await call(server.url, 'GET', '/docs/json')).body;
    for (const path of ['/api/v1/products/batch', '/api/v1/products/changes', '/api/v1/stock/reservations', '/api/v1/orders/{id}/{action}', '/api/v1/sales/movements']) {
      const operations = Object.values(doc.paths[path] ?? {}) as { responses: Record<string, unknown> }[];
      expect(operations.length, path).toBeGreaterThan(0);
      for (const operation of operations) expect(Object.keys(operation.responses), path).toContain('200');
    }
  });
});
