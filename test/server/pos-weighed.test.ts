import { describe, expect, it } from 'vitest';
import { lineAmountCents } from '../../sync/rules/index.ts';
import { call, DATABASE_KINDS, useStationServer } from './support/servers.ts';
import { CASH, cancelled, moved, posSale, stockOf } from './support/pos-sales.ts';

/**
 * Goods sold by weight or length (POS-22) on the server: a line of a KG product carries `unit: 'KG'`,
 * its quantity in grams and its price per kg; the server recomputes the amount with the same rounding
 * (half-up to the cent) and takes the grams out of stock, which is kept in grams too.
 */
describe.each(DATABASE_KINDS)('weighed goods on %s', (kind) => {
  const station = useStationServer(kind);
  const push = (rows: unknown[]) => call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: rows });
  const errorOf = async (documentId: string) => (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token })).body.find((error: { documentId: string }) => error.documentId === documentId);

  /** p-00005 is sold by KG and p-00004 by M in the demo catalogue (sync/server/seed/catalogue.ts). */
  async function measured(id: string, unit: 'KG' | 'M'): Promise<number> {
    const product = await call(station.server.url, 'GET', `/api/v1/products/${id}`, { token: station.admin });
    expect(product.body.unit).toBe(unit);
    return Number(product.body.priceCents);
  }

  function weighedSale(id: string, lines: [productId: string, quantity: number, unit: 'KG' | 'M', priceCents: number][], totalOverride?: number) {
    const sale = posSale(id, station.stationId, []);
    const items = lines.map(([productId, quantity, unit, unitPriceCents]) => {
      const totalCents = lineAmountCents(unitPriceCents, quantity, unit);
      return { productId, quantity, unit, unitPriceCents, discountCents: 0, totalCents: totalOverride ?? totalCents };
    });
    const total = items.reduce((sum, item) => sum + item.totalCents, 0);
    return { ...sale, items, subtotalCents: total, totalCents: total, payments: [{ paymentTypeId: CASH, amountCents: total }] };
  }

  it('POS-22 a weighed sale (350 g at a price per kg, 2,5 m at a price per m) is accepted and takes grams and millimetres out of stock once', async () => {
    const kg = await measured('p-00005', 'KG');
    const metre = await measured('p-00004', 'M');
    const before = await stockOf(station.server, station.admin, ['p-00005', 'p-00004']);
    const sale = weighedSale('wg-1', [['p-00005', 350, 'KG', kg], ['p-00004', 2500, 'M', metre]]);
    expect((await push([{ newDocumentState: sale }])).body).toEqual([]);
    expect(await errorOf('wg-1')).toBeUndefined();
    expect(await stockOf(station.server, station.admin, ['p-00005', 'p-00004'])).toEqual(moved(before, { 'p-00005': -350, 'p-00004': -2500 }));
    expect((await push([{ newDocumentState: sale }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00005', 'p-00004'])).toEqual(moved(before, { 'p-00005': -350, 'p-00004': -2500 }));

    // Cancelling puts the same grams back (POS-10).
    expect((await push([{ newDocumentState: cancelled(sale), assumedMasterState: sale }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00005', 'p-00004'])).toEqual(before);
  });

  it('POS-22 a weighed line whose amount is not price per kg × grams ÷ 1000 half-up is quarantined and moves no stock', async () => {
    const kg = await measured('p-00005', 'KG');
    const before = await stockOf(station.server, station.admin, ['p-00005']);
    // 333 g: the right amount is the half-up of price × 0.333; one cent off is refused.
    const right = lineAmountCents(kg, 333, 'KG');
    const sale = weighedSale('wg-2', [['p-00005', 333, 'KG', kg]], right - 1);
    expect((await push([{ newDocumentState: sale }])).body).toEqual([]);
    expect(await errorOf('wg-2')).toMatchObject({ reason: 'totals_mismatch', collection: 'sales' });
    expect(await stockOf(station.server, station.admin, ['p-00005'])).toEqual(before);
  });

  it('POS-22 a fractional quantity is refused by the schema, not rounded: the sale is kept aside with the field named', async () => {
    const kg = await measured('p-00005', 'KG');
    const sale = weighedSale('wg-3', [['p-00005', 350, 'KG', kg]]);
    const answer = await push([{ newDocumentState: { ...sale, items: [{ ...sale.items[0], quantity: 0.35 }] } }]);
    expect(answer.status).toBe(200);
    expect(await errorOf('wg-3')).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('field items/0/quantity'), document: expect.objectContaining({ id: 'wg-3' }) });
  });
});
