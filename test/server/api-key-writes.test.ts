import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '../../sync/schema/index.ts';
import { adminToken, call, DATABASE_KINDS, stationSession, startTestServer, type Call, type TestServer } from './support/servers.ts';
import { createKey } from './support/api-keys.ts';
import { backofficeClient, requestDoc, rows, serviceDoc } from './support/backoffice.ts';
import { cpf } from './support/documents.ts';
import { cancelled, posSale } from './support/pos-sales.ts';

/**
 * Issue 12, what an integrator's key may write: a key has every write scope here, and still the
 * stations' records (sales and exchanges, till movements, audit trail), the design records, the store
 * administrator's master records and requests in a person's name are refused (403), on every path a
 * key reaches; and a key never reaches another store's records.
 */
describe.each(DATABASE_KINDS)('what an API key may write on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  let key: { id: string; secret: string };
  let cx01: { token: string; stationId: string };

  const strip = ({ _deleted, ...fields }: Record<string, unknown>) => fields;
  const asAdmin = async (path: string) => (await call(server.url, 'GET', `/api/v1/${path}`, { token: admin })).body;
  const byKey = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/${path}`, { token: key.secret, body });

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
    key = await createKey(server, [...API_SCOPES], { name: 'ERP com todos os escopos' });
    const session = await stationSession(server, 'cx01');
    cx01 = { token: session.token, stationId: session.station.stationId };
    const push = (collection: string, doc: Record<string, unknown>) => call(server.url, 'POST', `/api/sync/${collection}/push`, { token: cx01.token, body: [{ newDocumentState: doc }] });
    for (const [collection, doc] of Object.entries(STATION_RECORDS)) expect((await push(collection, doc(`st-${collection}`, cx01.stationId))).status, collection).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  const STATION_RECORDS: Record<string, (id: string, stationId: string) => Record<string, unknown>> = {
    sales: (id, stationId) => posSale(id, stationId, [['p-00301', 1, 500]]),
    cashMovements: (id, stationId) => ({ id, stationId, userId: 'loja1-caixa', kind: 'opening', amountCents: 10_000, at: '2026-11-23T08:00:00.000Z', _deleted: false }),
    auditEvents: (id, stationId) => ({ id, stationId, userId: 'loja1-caixa', action: 'login', at: '2026-11-23T08:00:00.000Z', _deleted: false }),
  };

  // Each sibling: the station's record changed, deleted, and a new one made in the station's name.
  const STATION_CASES: { what: string; collection: string; change: (stored: Record<string, unknown>) => Record<string, unknown>; fresh: (stationId: string) => Record<string, unknown> }[] = [
    { what: 'sale (cancelled by the key)', collection: 'sales', change: (sale) => cancelled(sale), fresh: (station) => posSale('key-sale', station, [['p-00301', 1, 500]]) },
    {
      what: 'exchange (a sale with exchange credit)',
      collection: 'sales',
      change: (sale) => ({ ...sale, totalCents: 1 }),
      fresh: (station) => posSale('key-exchange', station, [['p-00302', 1, 700]], { returned: { originalSaleId: 'st-sales', lines: [['p-00301', 1, 500]] } }),
    },
    { what: 'till cash movement', collection: 'cashMovements', change: (movement) => ({ ...movement, amountCents: 1 }), fresh: (station) => STATION_RECORDS.cashMovements!('key-cash', station) },
    { what: 'audit event', collection: 'auditEvents', change: (event) => ({ ...event, action: 'logout' }), fresh: (station) => STATION_RECORDS.auditEvents!('key-audit', station) },
  ];

  for (const { what, collection, change, fresh } of STATION_CASES) {
    it(`API-04 API-08 a key with ${collection.replace(/s$/, '')} write scopes cannot write a station's ${what}: 403 on PUT, DELETE and a new record, nothing changes`, async () => {
      const id = `st-${collection}`;
      const before = await asAdmin(`${collection}/${id}`);
      const answers = {
        change: await byKey('PUT', `${collection}/${id}`, strip(change(before))),
        delete: await byKey('DELETE', `${collection}/${id}`),
        fresh: await byKey('PUT', `${collection}/${String(fresh(cx01.stationId).id)}`, strip(fresh(cx01.stationId))),
      };
      for (const [path, answer] of Object.entries(answers)) {
        expect(answer.status, path).toBe(403);
        expect(answer.headers.get('content-type'), path).toMatch(/application\/problem\+json/);
        // Audit events are not open to keys at all (no apiResource): refused before the rule.
        expect(answer.body.error, path).toMatchObject({ code: 'forbidden', message: expect.stringMatching(collection === 'auditEvents' ? /API keys may only call/ : /read-only for integrators/) });
      }
      if (collection !== 'auditEvents') {
        const inPortuguese = await call(server.url, 'DELETE', `/api/v1/${collection}/${id}`, { token: key.secret, headers: { 'accept-language': 'pt-BR' } });
        expect(inPortuguese.body.detail).toMatch(/somente leitura para integradores/);
      }
      expect(await asAdmin(`${collection}/${id}`)).toEqual(before);
      expect((await call(server.url, 'GET', `/api/v1/${collection}/${String(fresh(cx01.stationId).id)}`, { token: admin })).status).toBe(404);
      // Reading them stays open to the key (sales:read).
      expect((await byKey('GET', `${collection}/${id}`)).status).toBe(collection === 'auditEvents' ? 403 : 200);
    });
  }

  it('API-04 the sales movements stay readable by the key; a human admin session keeps the ownership rules (may write its stations\' records)', async () => {
    const movements = await byKey('GET', 'sales/movements?limit=50');
    expect(movements.status).toBe(200);
    expect(movements.body.sales.map((sale: { id: string }) => sale.id)).toContain('st-sales');
    const audit = STATION_RECORDS.auditEvents!('admin-audit', cx01.stationId);
    expect((await call(server.url, 'PUT', '/api/v1/auditEvents/admin-audit', { token: admin, body: strip(audit) })).status).toBe(200);
  });

  it('API-08 design records are never a key\'s to write, on the generic API (403)', async () => {
    for (const collection of ['designProjects', 'designEnvironments', 'designActions', 'purchaseOrders']) {
      const answer = await byKey('PUT', `${collection}/key-x`, { id: 'key-x' });
      expect(answer.status, collection).toBe(403);
      expect(answer.body.error.code, collection).toBe('forbidden');
    }
  });

  /** Writes of every master kind the server keeps, through the generic API, by `send` (a key or a person): each must be refused. */
  const serverKindWrites = async (send: (method: string, path: string, body?: unknown) => Promise<Call>, station: Record<string, unknown>, who: string) => ({
    renameStation: await send('PUT', `masterdata/${cx01.stationId}`, { ...strip(station), name: `Caixa renomeado (${who})` }),
    stationAsSeller: await send('PUT', `masterdata/${cx01.stationId}`, { ...strip(station), kind: 'seller' }),
    deleteStation: await send('DELETE', `masterdata/${cx01.stationId}`),
    newStation: await send('PUT', `masterdata/${who}-station`, { id: `${who}-station`, kind: 'station', code: `cx9${who.length}`, name: 'Caixa sem cadastro', active: true }),
    settings: await send('PUT', 'masterdata/store-settings', { id: 'store-settings', kind: 'storeSettings', code: 'settings', name: 'Regras', active: true }),
    supervisor: await send('PUT', `masterdata/${who}-supervisor`, { id: `${who}-supervisor`, kind: 'supervisor', code: 'caixa', name: 'Caixa', active: true, userId: 'loja1-caixa', codeHash: { iterations: 100_000, salt: 's'.repeat(32), hash: 'h'.repeat(64) } }),
    voucher: await send('PUT', `masterdata/voucher-CX01-99${who.length}`, { id: `voucher-CX01-99${who.length}`, kind: 'voucher', code: `CX01-99${who.length}`, name: 'Vale', active: true, issuedCents: 1_000_000, saleId: 'none', redemptions: [] }),
  });

  it("API-01 API-08 a key writes the ERP's master kinds but not the server's: stations, counter rules, supervisor codes, vouchers (403), nor turns one into a seller", async () => {
    const station = await asAdmin(`masterdata/${cx01.stationId}`);
    expect(station.kind).toBe('station');
    const refused = await serverKindWrites(byKey, station, 'key');
    for (const [path, answer] of Object.entries(refused)) {
      expect(answer.status, path).toBe(403);
      expect(answer.body.error.message, path).toMatch(/An API key may not write master record/);
    }
    expect(await asAdmin(`masterdata/${cx01.stationId}`)).toEqual(station);
    expect((await byKey('PUT', 'masterdata/key-seller', { id: 'key-seller', kind: 'seller', code: 'KS', name: 'Vendedor do ERP', active: true })).status).toBe(200);
    // In a batch, an id naming the station is that item's error; the other items are written.
    const batch = await byKey('POST', 'masterdata/batch', { items: [{ id: cx01.stationId, kind: 'seller', code: 'KS2', name: 'Tomado' }, { kind: 'seller', code: 'KS3', name: 'Vendedor 3' }] });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual(['error', 'created']);
    expect(batch.body.results[0].errors[0].pointer).toBe('/items/0/id');
    expect(await asAdmin(`masterdata/${cx01.stationId}`)).toEqual(station);
  });

  it("API-01 POS-20 POS-21 an admin's own session writes the server's master kinds through their routes only: a station, counter rules, a supervisor or a voucher through the generic API is 403", async () => {
    const asAdminWrite = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/${path}`, { token: admin, body });
    const station = await asAdmin(`masterdata/${cx01.stationId}`);
    const refused = await serverKindWrites(asAdminWrite, station, 'admin');
    for (const [path, answer] of Object.entries(refused)) {
      expect(answer.status, path).toBe(403);
      expect(answer.body.error.message, path).toMatch(/which the server keeps/);
    }
    expect(await asAdmin(`masterdata/${cx01.stationId}`)).toEqual(station);
    expect((await call(server.url, 'GET', '/api/v1/masterdata/voucher-CX01-995', { token: admin })).status).toBe(404);
    expect((await asAdminWrite('PUT', 'masterdata/admin-seller', { id: 'admin-seller', kind: 'seller', code: 'AS', name: 'Vendedor do admin', active: true })).status).toBe(200);
    // The routes that keep those kinds still write them.
    expect((await call(server.url, 'PUT', `/api/stations/${cx01.stationId}/group`, { token: admin, body: { groupId: String(station.groupId ?? 'loja1-stationGroup-centro') } })).status).toBe(200);
  });

  it("API-01 POS-20 POS-21 the ids of the server's own master records (store settings, supervisor-*, voucher-*) take no record of an open kind, by a key or an admin, nor do a station's", async () => {
    const asAdminWrite = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/${path}`, { token: admin, body });
    for (const [who, send] of [['key', byKey], ['admin', asAdminWrite]] as const) {
      for (const id of ['store-settings', 'supervisor-loja1-caixa', 'voucher-CX01-000777']) {
        const answer = await send('PUT', `masterdata/${id}`, { id, kind: 'seller', code: `SQ-${who}-${id.length}`, name: 'Vendedor posseiro', active: true });
        expect(answer.status, `${who} ${id}`).toBe(403);
        expect(answer.body.error.message, `${who} ${id}`).toMatch(/kept for the server's own records/);
      }
    }
    const batch = await byKey('POST', 'masterdata/batch', { items: [{ id: 'supervisor-loja1-gerente', kind: 'seller', code: 'SQ-B', name: 'Posseiro' }, { kind: 'seller', code: 'SQ-OK', name: 'Vendedor 9' }] });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual(['error', 'created']);
    // A station registered later never replaces an ERP's record that holds its id.
    expect((await byKey('PUT', 'masterdata/loja1-cx77', { id: 'loja1-cx77', kind: 'seller', code: 'CX77', name: 'Vendedor com id de caixa', active: true })).status).toBe(200);
    const registered = await call(server.url, 'POST', '/api/stations', { token: admin, body: { code: 'cx77', name: 'Caixa 77' } });
    expect(registered.status, JSON.stringify(registered.body)).toBe(409);
    expect(await asAdmin('masterdata/loja1-cx77')).toMatchObject({ kind: 'seller', code: 'CX77' });
  });

  it('BO-03 API-08 a key makes contract requests only in its own name: a request signed by a person is refused, the transition route signs as the key', async () => {
    const bo = await backofficeClient(server);
    expect((await bo.push('backoffice', rows(serviceDoc('svc-key')))).body).toEqual([]);
    const customer = await byKey('POST', 'billing/customers', { id: 'cust-key', name: 'Cliente do ERP', taxId: cpf(5151) });
    expect(customer.status).toBe(201);
    const contract = await byKey('POST', 'billing/contracts', { id: 'ct-key', code: 'CT-KEY', customerId: 'cust-key', startDate: '2026-10-01', billingDay: 5, lines: [{ serviceId: 'svc-key', quantity: 1 }] });
    expect(contract.status).toBe(201);
    const forged = await byKey('PUT', 'backofficeActions/forged-1', strip(requestDoc('forged-1', 'ct-key', 'activate')));
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toMatch(/in the name of loja1-retaguarda/);
    expect((await asAdmin('billing/contracts/ct-key')).state).toBe('draft');
    const activated = await byKey('POST', 'billing/contracts/ct-key/activate');
    expect(activated.status).toBe(200);
    expect(activated.body.history.map((entry: { action: string; userId: string }) => [entry.action, entry.userId])).toEqual([['activate', `api-key:${key.id}`]]);
  });

  it("API-08 a key of store A never reaches store B's sales, products or orders, reading or writing", async () => {
    const adminB = await adminToken(server, 'loja2');
    const keyB = await createKey(server, ['products:write', 'orders:write', 'orders:read', 'masterdata:write'], { storeCode: 'loja2' });
    const inB = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/${path}`, { token: keyB.secret, body });
    expect((await inB('POST', 'products/batch', { items: [{ sku: 'ONLY-B', name: 'Só na loja 2', unit: 'UN', priceCents: 999, groupId: 'loja2-grp-hidraulica', stock: 5 }] })).body.summary.error).toBe(0);
    const productB = (await call(server.url, 'GET', '/api/v1/products/sku/ONLY-B', { token: adminB })).body;
    const master = await inB('POST', 'masterdata/batch', { items: [{ id: 'b-seller', kind: 'seller', code: 'SB', name: 'Vendedor B' }, { id: 'b-cash', kind: 'paymentType', code: 'DB', name: 'Dinheiro', method: 'cash' }] });
    expect(master.body.summary.error, JSON.stringify(master.body)).toBe(0);
    const saleB = { ...posSale('sale-only-in-b', 'loja2-cx01', [[String(productB.id), 1, 999]], { sellerId: 'b-seller', payments: [{ paymentTypeId: 'b-cash', amountCents: 999 }] }), userId: 'loja2-admin' };
    const putB = await call(server.url, 'PUT', '/api/v1/sales/sale-only-in-b', { token: adminB, body: strip(saleB) });
    expect(putB.status, JSON.stringify(putB.body)).toBe(200);
    const orderB = await inB('POST', 'orders', {
      id: 'order-only-in-b',
      customer: { name: 'Cliente B', taxId: cpf(6262) },
      delivery: { address: 'Rua B, 1', city: 'Curitiba', uf: 'PR', cep: '80000-000', shippingCents: 0 },
      payment: { method: 'pix', installments: 1, amountCents: 999 },
      items: [{ sku: 'ONLY-B', quantity: 1, unitPriceCents: 999 }],
    });
    expect(orderB.status).toBe(201);

    // Reads by A's key: 404 for one record, absent from lists and searches.
    expect((await byKey('GET', 'sales/sale-only-in-b')).status).toBe(404);
    expect((await byKey('GET', 'sales/movements?limit=500')).body.sales.map((sale: { id: string }) => sale.id)).not.toContain('sale-only-in-b');
    expect((await byKey('GET', `products/${String(productB.id)}`)).status).toBe(404);
    expect((await byKey('GET', 'products/sku/ONLY-B')).status).toBe(404);
    expect((await byKey('GET', 'products/search?sku=ONLY-B')).body.products).toEqual([]);
    expect((await byKey('GET', 'orders/order-only-in-b')).status).toBe(404);
    expect((await byKey('GET', 'orders?limit=200')).body.orders.map((order: { id: string }) => order.id)).not.toContain('order-only-in-b');

    // Writes by A's key with B's ids: refused or written in A, never in B.
    expect((await byKey('DELETE', 'sales/sale-only-in-b')).status).toBe(403);
    expect((await byKey('DELETE', `products/${String(productB.id)}`)).status).toBe(404);
    expect((await byKey('POST', 'orders/order-only-in-b/cancel', {})).status).toBe(404);
    const productBNow = (await call(server.url, 'GET', `/api/v1/products/${String(productB.id)}`, { token: adminB })).body;
    const written = await byKey('PUT', `products/${String(productB.id)}`, { ...strip(productB), name: 'Escrito pela chave da loja 1', groupId: 'loja1-grp-hidraulica' });
    expect(written.status).toBe(200);
    expect((await call(server.url, 'GET', `/api/v1/products/${String(productB.id)}`, { token: adminB })).body).toEqual(productBNow);
    expect((await byKey('GET', `products/${String(productB.id)}`)).body.name).toBe('Escrito pela chave da loja 1');
    expect((await call(server.url, 'GET', '/api/v1/sales/sale-only-in-b', { token: adminB })).body).toMatchObject({ id: 'sale-only-in-b', status: 'finished' });
    expect((await inB('GET', 'orders/order-only-in-b')).body.status).toBe('new');
  });
});
