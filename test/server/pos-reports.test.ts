import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentWithCondition } from '../../sync/rules/index.ts';
import type { MasterRecord, PosSaleEntry } from '../../sync/schema/index.ts';
import { call, DATABASE_KINDS, login, pullAll, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { CASH, cancelled, CREDIT, DEBIT, PIX, posSale } from './support/pos-sales.ts';

const CX01 = 'loja1-cx01';
const CX02 = 'loja1-cx02';
const V01 = 'loja1-seller-v01';
const V02 = 'loja1-seller-v02';
const V03 = 'loja1-seller-v03';

describe.each(DATABASE_KINDS)('POS reports on %s', (kind) => {
  let server: TestServer;
  let cx01: string;
  let cx02: string;
  let admin: string;
  /** Interest of the 6x sale, computed by sync/rules as the station does. */
  let interest: number;

  const push = (token: string, collection: string, docs: Record<string, unknown>[]) =>
    call(server.url, 'POST', `/api/sync/${collection}/push`, { token, body: docs.map((doc) => ({ newDocumentState: doc })) });
  const get = (token: string, path: string) => call(server.url, 'GET', path, { token });

  beforeAll(async () => {
    server = await startTestServer(kind);
    cx01 = (await stationSession(server, 'cx01')).token;
    cx02 = (await stationSession(server, 'cx02')).token;
    admin = (await login(server, 'admin', 'admin123')).token;

    const condition = (await pullAll(server, admin, 'masterdata')).find((doc) => doc.id === 'loja1-paymentCondition-6x') as unknown as MasterRecord;
    const sixTimes = paymentWithCondition(30_000, CREDIT, condition).payment;
    interest = sixTimes.interestCents!;

    // São Paulo is UTC−3: R3 at 02:30 UTC on the 21st is still the 20th in the store.
    const r1 = posSale('R1', CX01, [['p-00301', 2, 1000]], { sellerId: V01, createdAt: '2026-11-20T13:00:00.000Z', payments: [{ paymentTypeId: CASH, amountCents: 2500 }], changeCents: 500 });
    const r2 = posSale('R2', CX01, [['p-00302', 1, 30_000]], { sellerId: V02, createdAt: '2026-11-20T14:00:00.000Z', payments: [sixTimes] });
    const r5 = posSale('R5', CX01, [['p-00304', 1, 1800]], {
      sellerId: V01, createdAt: '2026-11-21T16:00:00.000Z', payments: [{ paymentTypeId: DEBIT, amountCents: 800 }], returned: { originalSaleId: 'R1', lines: [['p-00301', 1, 1000]] },
    });
    const r7 = { ...posSale('R7', CX01, [['p-00306', 1, 700]], { createdAt: '2026-11-21T18:00:00.000Z', payments: [{ paymentTypeId: CASH, amountCents: 600 }] }), totalCents: 600 };
    const r8 = posSale('R8', CX01, [['p-00307', 1, 4000]], { createdAt: '2026-11-25T12:00:00.000Z' });
    const r3 = posSale('R3', CX02, [['p-00303', 1, 1500]], { sellerId: V01, createdAt: '2026-11-21T02:30:00.000Z', payments: [{ paymentTypeId: PIX, amountCents: 1500 }] });
    const r4 = cancelled(posSale('R4', CX02, [['p-00305', 1, 1000]], { sellerId: V03, createdAt: '2026-11-21T15:00:00.000Z' }));
    const r6 = posSale('R6', CX02, [['p-00305', 1, 1100]], {
      sellerId: V02, createdAt: '2026-11-21T17:00:00.000Z', payments: [{ paymentTypeId: CASH, amountCents: 500 }, { paymentTypeId: DEBIT, amountCents: 700 }], changeCents: 100,
    });
    expect((await push(cx01, 'sales', [r1, r2, r5, r7, r8])).body).toEqual([]);
    expect((await push(cx02, 'sales', [r3, r4, r6])).body).toEqual([]);
    expect((await get(cx01, '/api/sync/errors')).body.map((error: { documentId: string }) => error.documentId)).toEqual(['R7']);
    expect((await call(server.url, 'POST', '/api/stations/heartbeat', { token: cx01, body: { pendingUploads: 3, appVersion: '1.0.0' } })).status).toBe(204);

    const event = (id: string, stationId: string, at: string, action: string, userId = 'loja1-caixa') => ({ id, stationId, userId, at, action, subjectId: 'R1', _deleted: false });
    expect((await push(cx01, 'auditEvents', [event('a1', CX01, '2026-11-20T10:00:00.000Z', 'login'), event('a2', CX01, '2026-11-20T10:05:00.000Z', 'sale'), event('a3', CX01, '2026-11-20T10:10:00.000Z', 'cancel')])).body).toEqual([]);
    expect((await push(cx02, 'auditEvents', [event('b1', CX02, '2026-11-20T10:01:00.000Z', 'login')])).body).toEqual([]);
    expect((await push(admin, 'auditEvents', [event('b2', CX02, '2026-11-20T10:20:00.000Z', 'priceOverride', 'loja1-admin')])).body).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('POS-15 the summary totals per payment type, seller and day to the cent (cancelled out, exchange by what was paid, change off cash)', async () => {
    const answer = await get(admin, '/api/pos/summary?from=2026-11-20&to=2026-11-21');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      from: '2026-11-20',
      to: '2026-11-21',
      stationId: null,
      timeZone: 'America/Sao_Paulo',
      salesCount: 5,
      paidCents: 35_400 + interest,
      cancelledCount: 1,
      byPaymentType: [
        { paymentTypeId: CREDIT, name: 'Cartão de crédito', salesCount: 1, amountCents: 30_000 + interest, interestCents: interest },
        { paymentTypeId: DEBIT, name: 'Cartão de débito', salesCount: 2, amountCents: 1500, interestCents: 0 },
        { paymentTypeId: CASH, name: 'Dinheiro', salesCount: 2, amountCents: 2400, interestCents: 0 },
        { paymentTypeId: PIX, name: 'PIX', salesCount: 1, amountCents: 1500, interestCents: 0 },
      ],
      bySeller: [
        { sellerId: V01, name: 'Vera Vendedora', salesCount: 3, paidCents: 4300 },
        { sellerId: V02, name: 'Vitor Vendedor', salesCount: 2, paidCents: 31_100 + interest },
      ],
      byDay: [
        { day: '2026-11-20', salesCount: 3, paidCents: 33_500 + interest },
        { day: '2026-11-21', salesCount: 2, paidCents: 1900 },
      ],
      waiting: { quarantinedSales: 1, quarantinedCents: 600, pendingUploads: 3 },
    });
  });

  it('POS-15 the summary follows the station filter and the store: one station, its own cashier, another store', async () => {
    const second = (await get(admin, `/api/pos/summary?from=2026-11-20&to=2026-11-21&stationId=${CX02}`)).body;
    expect(second).toMatchObject({ stationId: CX02, salesCount: 2, paidCents: 2600, cancelledCount: 1, waiting: { quarantinedSales: 0, quarantinedCents: 0, pendingUploads: 0 } });
    const own = (await get(cx01, '/api/pos/summary?from=2026-11-20&to=2026-11-21')).body;
    expect(own).toMatchObject({ stationId: CX01, salesCount: 3, paidCents: 32_800 + interest, cancelledCount: 0 });
    expect((await get(cx01, `/api/pos/summary?stationId=${CX02}`)).status).toBe(403);

    const other = (await login(server, 'admin', 'admin123', 'loja2')).token;
    expect((await get(other, '/api/pos/summary')).body).toMatchObject({ salesCount: 0, paidCents: 0, byPaymentType: [], bySeller: [], byDay: [] });
  });

  it('POS-12 the station query lists a period of sales by createdAt with their state, quarantined ones included', async () => {
    const own = (await get(cx01, '/api/pos/sales?from=2026-11-20&to=2026-11-21')).body as PosSaleEntry[];
    expect(own.map((entry) => [entry.sale.id, entry.syncState, entry.quarantine?.reason ?? null])).toEqual([
      ['R1', 'accepted', null],
      ['R2', 'accepted', null],
      ['R5', 'accepted', null],
      ['R7', 'quarantined', 'totals_mismatch'],
    ]);
    expect(own[0]!.sale).not.toHaveProperty('_deleted');

    const second = (await get(admin, `/api/pos/sales?from=2026-11-20&to=2026-11-21&stationId=${CX02}`)).body as PosSaleEntry[];
    expect(second.map((entry) => [entry.sale.id, entry.sale.status])).toEqual([['R3', 'finished'], ['R4', 'cancelled'], ['R6', 'finished']]);
    const everything = (await get(admin, '/api/pos/sales')).body as PosSaleEntry[];
    expect(everything.map((entry) => entry.sale.id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
    const instants = (await get(admin, '/api/pos/sales?from=2026-11-21T02:00:00Z&to=2026-11-21T03:00:00Z')).body as PosSaleEntry[];
    expect(instants.map((entry) => entry.sale.id)).toEqual(['R3']);
  });

  it('POS-12 a cashier only queries their own station, and a bad period is a 400 that names the field', async () => {
    expect((await get(cx01, `/api/pos/sales?stationId=${CX02}`)).status).toBe(403);
    const bad = await get(admin, '/api/pos/sales?from=2026-13-45');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', field: '/from' });
    expect((await get(admin, '/api/pos/sales?timeZone=Mars/Olympus')).body.error.field).toBe('/timeZone');
    const designer = (await login(server, 'projetista', 'projetista123')).token;
    expect((await get(designer, '/api/pos/sales')).status).toBe(403);
  });

  it('POS-16 the audit trail is newest first, with user names, filtered by station, user and period, scoped to the station', async () => {
    const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id);
    const own = (await get(cx01, '/api/pos/audit')).body;
    expect(ids(own)).toEqual(['a3', 'a2', 'a1']);
    expect(own[0]).toEqual({ id: 'a3', at: '2026-11-20T10:10:00.000Z', userId: 'loja1-caixa', userName: 'Carla Caixa', supervisorId: null, supervisorName: null, stationId: CX01, action: 'cancel', subjectId: 'R1', detail: null });
    expect(ids((await get(admin, '/api/pos/audit')).body)).toEqual(['b2', 'a3', 'a2', 'b1', 'a1']);
    expect(ids((await get(admin, '/api/pos/audit?userId=loja1-admin')).body)).toEqual(['b2']);
    expect(ids((await get(admin, `/api/pos/audit?stationId=${CX02}`)).body)).toEqual(['b2', 'b1']);
    expect(ids((await get(admin, '/api/pos/audit?from=2026-11-20T10:01:00Z&to=2026-11-20T10:10:00Z')).body)).toEqual(['a2', 'b1']);
    expect((await get(cx01, `/api/pos/audit?stationId=${CX02}`)).status).toBe(403);
    const other = (await login(server, 'admin', 'admin123', 'loja2')).token;
    expect((await get(other, '/api/pos/audit')).body).toEqual([]);
  });

  it('BO-06 the POS endpoints are documented in the API document', async () => {
    const doc = (await call(server.url, 'GET', '/docs/json')).body;
    for (const path of ['/api/pos/sales', '/api/pos/summary', '/api/pos/audit', '/api/stations/{id}/group']) expect(doc.paths).toHaveProperty([path]);
  });
});
