import { describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, useStationServer } from './support/servers.ts';
import { CASH, posSale } from './support/pos-sales.ts';

/**
 * The server's side of supervisor authorisation (POS-20) and the store settings (issue 15): a sale with
 * a manual discount is accepted only with an authorisation by one of the store's supervisors and within
 * the store's bound; the admin edits the settings and supervisor codes, and each change is in the trail.
 */
describe.each(DATABASE_KINDS)('supervisor authorisation on %s', (kind) => {
  const station = useStationServer(kind);
  const push = (rows: unknown[]) => call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: rows });
  const errorOf = async (documentId: string) => (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token })).body.find((error: { documentId: string }) => error.documentId === documentId);

  /** One line of R$ 100,00 with `discount` cents off by hand, authorised by `supervisorId` (none when null). */
  function discounted(id: string, discount: number, supervisorId: string | null) {
    const sale = posSale(id, station.stationId, [['p-00100', 1, 10_000]]);
    const total = 10_000 - discount;
    return {
      ...sale,
      items: [{ productId: 'p-00100', quantity: 1, unitPriceCents: 10_000, discountCents: discount, manualDiscountCents: discount, totalCents: total }],
      discountCents: discount,
      totalCents: total,
      payments: [{ paymentTypeId: CASH, amountCents: total }],
      ...(supervisorId ? { authorizations: [{ action: 'discount', supervisorId, at: '2026-11-23T13:00:00.000Z' }] } : {}),
    };
  }

  it('POS-20 a manual discount is accepted with the seeded supervisor, and refused without one, by a non-supervisor or beyond the bound', async () => {
    expect((await push([{ newDocumentState: discounted('sv-ok', 1000, 'loja1-admin') }])).body).toEqual([]);
    expect(await errorOf('sv-ok')).toBeUndefined();
    for (const [id, discount, supervisor] of [['sv-none', 500, null], ['sv-cashier', 500, 'loja1-caixa'], ['sv-too-much', 1001, 'loja1-admin']] as const) {
      expect((await push([{ newDocumentState: discounted(id, discount, supervisor) }])).body).toEqual([]);
      expect(await errorOf(id), id).toMatchObject({ reason: 'not_permitted', collection: 'sales' });
    }
  });

  it('POS-20 the admin changes the bound and gives and revokes supervisor codes; stations receive them and the trail records each change', async () => {
    const put = (path: string, body: unknown, token = station.admin) => call(station.server.url, 'PUT', path, { token, body });
    expect((await put('/api/store/settings', { stockPolicy: 'block', sellerPolicy: 'remember', maxManualDiscountBp: 2000 })).status).toBe(200);
    expect((await call(station.server.url, 'GET', '/api/store/settings', { token: station.token })).body).toEqual({ stockPolicy: 'block', sellerPolicy: 'remember', maxManualDiscountBp: 2000 });
    expect((await push([{ newDocumentState: discounted('sv-20', 2000, 'loja1-admin') }])).body).toEqual([]);
    expect(await errorOf('sv-20')).toBeUndefined();

    // Only an admin; a code is 6 to 12 digits.
    expect((await put('/api/store/settings', { stockPolicy: 'warn', sellerPolicy: 'ask', maxManualDiscountBp: 10_000 }, station.token)).status).toBe(403);
    expect((await put('/api/users/loja1-caixa/supervisor-code', { code: '12ab' })).status).toBe(400);
    expect((await put('/api/users/loja1-caixa/supervisor-code', { code: '13579' + '1' })).status).toBe(200);
    const pulled = await call(station.server.url, 'GET', '/api/sync/masterdata/pull?checkpoint=0&limit=10000', { token: station.token });
    const record = pulled.body.documents.find((doc: { id: string }) => doc.id === 'supervisor-loja1-caixa');
    expect(record).toMatchObject({ kind: 'supervisor', userId: 'loja1-caixa', active: true });
    expect(JSON.stringify(record)).not.toContain('135791');
    expect(pulled.body.documents.find((doc: { id: string }) => doc.id === 'store-settings')).toMatchObject({ kind: 'storeSettings', stockPolicy: 'block' });
    expect((await push([{ newDocumentState: discounted('sv-caixa', 100, 'loja1-caixa') }])).body).toEqual([]);
    expect(await errorOf('sv-caixa')).toBeUndefined();

    expect((await call(station.server.url, 'DELETE', '/api/users/loja1-caixa/supervisor-code', { token: station.admin })).status).toBe(200);
    expect((await push([{ newDocumentState: discounted('sv-revoked', 100, 'loja1-caixa') }])).body).toEqual([]);
    expect(await errorOf('sv-revoked')).toMatchObject({ reason: 'not_permitted' });

    const events = (await call(station.server.url, 'GET', '/api/admin/events', { token: station.admin })).body as { action: string }[];
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(['store_settings_changed', 'supervisor_code_set', 'supervisor_code_revoked']));
  });
});
