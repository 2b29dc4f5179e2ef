import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairResponse } from '../../sync/schema/index.ts';
import { adminToken, call, DATABASE_KINDS, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { cancelled, posSale, stockOf } from './support/pos-sales.ts';

/**
 * Issue 14, kind 6: one ownership rule (store, station, role) on every write path — replication
 * push, the integration API's PUT and DELETE, quarantine fixes — for every station-visible
 * collection. Each refusal leaves the owner's records, and what they drive (stock), untouched.
 */
describe.each(DATABASE_KINDS)('ownership of records on %s', (kind) => {
  let server: TestServer;
  let cx01: { token: string; stationId: string; pairing: PairResponse };
  let cx02: { token: string; stationId: string };
  let admin: string;
  let otherStoreAdmin: string;

  const STATION_RECORDS = {
    sales: (id: string, stationId: string) => posSale(id, stationId, [['p-00308', 2, 500]]),
    cashMovements: (id: string, stationId: string) => ({ id, stationId, userId: 'loja1-caixa', kind: 'opening', amountCents: 10_000, at: '2026-11-23T08:00:00.000Z', _deleted: false }),
    auditEvents: (id: string, stationId: string) => ({ id, stationId, userId: 'loja1-caixa', action: 'login', at: '2026-11-23T08:00:00.000Z', _deleted: false }),
  } as const;
  type StationCollection = keyof typeof STATION_RECORDS;
  const COLLECTIONS = Object.keys(STATION_RECORDS) as StationCollection[];

  const strip = ({ _deleted, ...fields }: Record<string, unknown>) => fields;
  const push = (token: string, collection: string, rows: unknown[]) => call(server.url, 'POST', `/api/sync/${collection}/push`, { token, body: rows });
  const asAdmin = (collection: string, id: string) => call(server.url, 'GET', `/api/v1/${collection}/${id}`, { token: admin });

  beforeAll(async () => {
    server = await startTestServer(kind);
    const one = await stationSession(server, 'cx01');
    const two = await stationSession(server, 'cx02');
    cx01 = { token: one.token, stationId: one.station.stationId, pairing: one.station };
    cx02 = { token: two.token, stationId: two.station.stationId };
    admin = await adminToken(server);
    otherStoreAdmin = await adminToken(server, 'loja2');
    // Each station has one record of each station-visible collection.
    for (const collection of COLLECTIONS) {
      for (const station of [cx01, cx02]) {
        const answer = await push(station.token, collection, [{ newDocumentState: STATION_RECORDS[collection](`own-${collection}-${station.stationId}`, station.stationId) }]);
        expect(answer.status, `${collection} seeded by ${station.stationId}`).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("API-04 a cashier of cx01 cannot cancel a sale of cx02 through the integration API: 403, and cx02's sale and stock stay", async () => {
    const saleId = `own-sales-${cx02.stationId}`;
    const before = (await asAdmin('sales', saleId)).body;
    const stock = await stockOf(server, admin, ['p-00308']);
    const answer = await call(server.url, 'PUT', `/api/v1/sales/${saleId}`, { token: cx01.token, body: strip(cancelled(before)) });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
    expect((await asAdmin('sales', saleId)).body).toEqual(before);
    expect(await stockOf(server, admin, ['p-00308'])).toEqual(stock);
    // Its own sale it may cancel through the same route.
    const own = (await asAdmin('sales', `own-sales-${cx01.stationId}`)).body;
    const mine = await call(server.url, 'PUT', `/api/v1/sales/${own.id}`, { token: cx01.token, body: strip(cancelled(own)) });
    expect(mine.status).toBe(200);
    expect(await stockOf(server, admin, ['p-00308'])).toEqual({ 'p-00308': stock['p-00308']! + 2 });
  });

  for (const collection of ['sales', 'cashMovements', 'auditEvents'] as const) {
    it(`a station's ${collection} cannot be changed, deleted, taken over or moved by another station, on any write path`, async () => {
      const theirs = `own-${collection}-${cx02.stationId}`;
      const before = (await asAdmin(collection, theirs)).body;
      expect(before.stationId).toBe(cx02.stationId);
      const refusals = {
        // Integration API: replace, and delete.
        put: await call(server.url, 'PUT', `/api/v1/${collection}/${theirs}`, { token: cx01.token, body: strip(before) }),
        delete: await call(server.url, 'DELETE', `/api/v1/${collection}/${theirs}`, { token: cx01.token }),
        // Replication: taking the record over by claiming it for cx01, blind or with the right master state.
        takeOver: await push(cx01.token, collection, [{ newDocumentState: { ...before, stationId: cx01.stationId }, assumedMasterState: before }]),
        takeOverBlind: await push(cx01.token, collection, [{ newDocumentState: { ...before, stationId: cx01.stationId } }]),
        // Replication: writing it in cx02's name.
        asOwner: await push(cx01.token, collection, [{ newDocumentState: { ...before, _deleted: true }, assumedMasterState: before }]),
        // Integration API: moving a record of its own to the other station.
        move: await call(server.url, 'PUT', `/api/v1/${collection}/own-${collection}-${cx01.stationId}`, {
          token: cx01.token,
          body: { ...strip((await asAdmin(collection, `own-${collection}-${cx01.stationId}`)).body), stationId: cx02.stationId },
        }),
      };
      for (const [path, answer] of Object.entries(refusals)) {
        expect(answer.status, path).toBe(403);
        expect(answer.body.error.code, path).toBe('forbidden');
      }
      // The refusal of a blind take-over does not hand the other station's record out as a conflict.
      expect(JSON.stringify(refusals.takeOverBlind.body)).not.toContain('"id":"' + theirs);
      expect((await asAdmin(collection, theirs)).body).toEqual(before);
      expect((await asAdmin(collection, `own-${collection}-${cx01.stationId}`)).body.stationId).toBe(cx01.stationId);
    });
  }

  it('an administrator may not move a record to another station, nor name a station of another store', async () => {
    const own = (await asAdmin('sales', `own-sales-${cx01.stationId}`)).body;
    const moved = await call(server.url, 'PUT', `/api/v1/sales/${own.id}`, { token: admin, body: { ...strip(own), stationId: cx02.stationId } });
    expect(moved.status).toBe(403);
    expect(moved.body.error.message).toMatch(/cannot be moved/);
    const foreignStation = await call(server.url, 'PUT', '/api/v1/auditEvents/admin-foreign', { token: admin, body: strip(STATION_RECORDS.auditEvents('admin-foreign', 'loja2-cx01')) });
    expect(foreignStation.status).toBe(403);
    expect(foreignStation.body.error.message).toMatch(/not a station of this store/);
    expect((await asAdmin('auditEvents', 'admin-foreign')).status).toBe(404);
    // A record of one of its own stations, the admin may write.
    const written = await call(server.url, 'PUT', '/api/v1/auditEvents/admin-own', { token: admin, body: strip(STATION_RECORDS.auditEvents('admin-own', cx02.stationId)) });
    expect(written.status).toBe(200);
  });

  it("API-05 another store's administrator writing to this store's ids changes only its own store", async () => {
    const saleId = `own-sales-${cx01.stationId}`;
    const before = (await asAdmin('sales', saleId)).body;
    const customer = (await call(server.url, 'GET', '/api/v1/customers/loja1-cli-1', { token: admin })).body;
    // loja2 has no such records: a PUT creates loja2's own document (or is refused), never loja1's.
    const sale = await call(server.url, 'PUT', `/api/v1/sales/${saleId}`, { token: otherStoreAdmin, body: strip(cancelled(before)) });
    expect(sale.status).toBe(403); // its stationId names a station of loja1
    const renamed = await call(server.url, 'PUT', '/api/v1/customers/loja1-cli-1', { token: otherStoreAdmin, body: { ...strip(customer), name: 'Tomado' } });
    expect(renamed.status).toBe(200);
    // Customers are never deleted (BO-01): the DELETE is refused, in loja2's own store.
    expect((await call(server.url, 'DELETE', '/api/v1/customers/loja1-cli-1', { token: otherStoreAdmin })).status).toBe(422);
    expect((await asAdmin('sales', saleId)).body).toEqual(before);
    expect((await call(server.url, 'GET', '/api/v1/customers/loja1-cli-1', { token: admin })).body).toEqual(customer);
    expect((await call(server.url, 'GET', '/api/v1/customers/loja1-cli-1', { token: otherStoreAdmin })).body).toMatchObject({ name: 'Tomado', _deleted: false });
  });

  it('a session without a paired station writes no station records, and roles decide every collection on every path', async () => {
    const cashier = (await login(server, 'caixa', 'caixa123')).token;
    const stationless = await call(server.url, 'PUT', '/api/v1/auditEvents/no-station', { token: cashier, body: strip(STATION_RECORDS.auditEvents('no-station', cx01.stationId)) });
    expect(stationless.status).toBe(403);
    expect((await push(cashier, 'auditEvents', [{ newDocumentState: STATION_RECORDS.auditEvents('no-station', cx01.stationId) }])).status).toBe(403);

    const designer = (await login(server, 'projetista', 'projetista123')).token;
    const sale = STATION_RECORDS.sales('designer-sale', cx01.stationId);
    expect((await push(designer, 'sales', [{ newDocumentState: sale }])).status).toBe(403);
    expect((await call(server.url, 'PUT', '/api/v1/sales/designer-sale', { token: designer, body: strip(sale) })).status).toBe(403);
    expect((await call(server.url, 'DELETE', `/api/v1/sales/own-sales-${cx01.stationId}`, { token: designer })).status).toBe(403);
    // Central data: only an admin, through the API; a device push is refused even for an admin.
    const product = strip((await asAdmin('products', 'p-00301')).body);
    expect((await call(server.url, 'PUT', '/api/v1/products/p-00301', { token: cx01.token, body: { ...product, priceCents: 1 } })).status).toBe(403);
    expect((await call(server.url, 'DELETE', '/api/v1/products/p-00301', { token: cx01.token })).status).toBe(403);
    expect((await push(admin, 'products', [{ newDocumentState: { ...product, priceCents: 1, _deleted: false } }])).status).toBe(403);
    expect((await asAdmin('products', 'p-00301')).body.priceCents).toBe(product.priceCents);
  });

  it('admin-only actions refuse every other role: station groups, stations, pairing codes, design settings, the trails', async () => {
    const attempts: [string, string, unknown?][] = [
      ['PUT', `/api/stations/${cx01.stationId}/group`, { groupId: 'loja1-stationGroup-centro' }],
      ['POST', '/api/stations', { code: 'cx09', name: 'Caixa 09' }],
      ['POST', `/api/stations/${cx02.stationId}/pairing-code`, {}],
      ['DELETE', `/api/stations/${cx02.stationId}/pairing-code`],
      ['DELETE', `/api/stations/${cx02.stationId}/pairing`],
      ['GET', '/api/stations'],
      ['GET', '/api/admin/events'],
      ['PUT', '/api/design/settings', { markupBp: 1, discountBp: 1 }],
      ['PUT', '/api/design/portal-account', { storeTaxId: '11222333000181', accountId: 'x', portalUrl: 'http://127.0.0.1:1' }],
      ['GET', '/api/design/portal-account'],
    ];
    for (const token of [cx01.token, (await login(server, 'retaguarda', 'retaguarda123')).token]) {
      for (const [method, path, body] of attempts) {
        const answer = await call(server.url, method, path, { token, body });
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.body.error.code, `${method} ${path}`).toBe('forbidden');
      }
    }
    // Nothing changed: cx02 still paired and signed in.
    expect((await call(server.url, 'GET', '/api/auth/me', { token: cx02.token })).status).toBe(200);
  });

  it("API-03 another caller's Idempotency-Key replays nothing: the ownership rule is not skipped by a replay", async () => {
    const headers = { 'idempotency-key': 'admin-delete-1' };
    // A product: customers are never deleted (BO-01); an admin may delete catalogue records through the API.
    const deleted = await call(server.url, 'DELETE', '/api/v1/products/p-01999', { token: admin, headers });
    expect(deleted.status).toBe(200);
    expect(deleted.body.document.name).toBeDefined();
    const replayed = await call(server.url, 'DELETE', '/api/v1/products/p-01999', { token: cx01.token, headers });
    // The cashier may not change the catalogue: refused by the rule, not answered from the admin's stored reply.
    expect(replayed.status).toBe(403);
    expect(replayed.headers.get('idempotent-replay')).toBeNull();
    expect(JSON.stringify(replayed.body)).not.toContain(deleted.body.document.name);
  });

  it("DES-13 a design request naming another user as its author needs the sender's role too: a designer cannot release a contract as the back office", async () => {
    // Signed in on a paired station, where another user's offline requests may be uploaded: the sender's role still counts.
    const designer = (await login(server, 'projetista', 'projetista123', 'loja1', cx01.pairing)).token;
    const forged = { id: 'forged-release', kind: 'releaseContract', userId: 'loja1-retaguarda', requestedAt: '2026-11-23T10:00:00.000Z', projectId: 'any-project', _deleted: false };
    expect((await push(designer, 'designActions', [{ newDocumentState: forged }])).status).toBe(200);
    const errors = (await call(server.url, 'GET', '/api/sync/errors', { token: admin })).body;
    expect(errors.find((error: { documentId: string }) => error.documentId === 'forged-release')).toMatchObject({ reason: 'not_permitted', message: expect.stringMatching(/Only back-office users or administrators may releaseContract/) });
    expect((await asAdmin('designActions', 'forged-release')).status).toBe(404);
  });

  it("a quarantine fix is written under the fixer's ownership: another station's refused record cannot be retried by it", async () => {
    // A withdrawal without a financial reason is kept in quarantine, visible to its station and the admin.
    const refused = { id: 'own-refused-cx02', stationId: cx02.stationId, userId: 'loja1-caixa', kind: 'withdrawal', amountCents: 100, at: '2026-11-23T09:00:00.000Z', _deleted: false };
    expect((await push(cx02.token, 'cashMovements', [{ newDocumentState: refused }])).status).toBe(200);
    const entry = (await call(server.url, 'GET', '/api/sync/errors', { token: admin })).body.find((error: { documentId: string }) => error.documentId === 'own-refused-cx02');
    expect(entry).toBeDefined();
    const byOther = await call(server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: cx01.token });
    expect(byOther.status).toBe(404);
    const byOwner = await call(server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: cx02.token });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.resolvedAt).toBeNull();
  });
});
