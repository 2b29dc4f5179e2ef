import { describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, useStationServer } from './support/servers.ts';
import { CASH, moved, posSale, stockOf } from './support/pos-sales.ts';

/**
 * The credit of a product over all the exchanges of one sale (POS-11, POS-21): each exchange's line is
 * rounded half-up on its own, so the server caps the sum at what was paid for the product.
 */
describe.each(DATABASE_KINDS)('POS exchange credit over a sale on %s', (kind) => {
  const station = useStationServer(kind);
  const push = (rows: unknown[]) => call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: rows });
  const errorOf = async (documentId: string) => (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token })).body.find((error: { documentId: string }) => error.documentId === documentId);
  const voucherStatus = async (number: string) => (await call(station.server.url, 'GET', `/api/pos/vouchers/${number}`, { token: station.token })).status;

  const WEIGHED = 'p-00012'; // sold by KG
  const GOODS = 'p-00190'; // sold by unit

  /** 3 g at R$ 396,66/kg: 118.998 → 119 cents paid, 39,666 per kg, so one gram alone comes back as 39.666 → 40 cents. */
  function weighedSale(id: string, number: number): Record<string, unknown> {
    const item = { productId: WEIGHED, quantity: 3, unit: 'KG', unitPriceCents: 39_666, discountCents: 0, totalCents: 119 };
    return { ...posSale(id, station.stationId, [], { number }), items: [item], subtotalCents: 119, totalCents: 119, payments: [{ paymentTypeId: CASH, amountCents: 119 }] };
  }

  /** An exchange of 1 g of `originalSaleId` credited `creditCents` at `unitPriceCents` per kg, against one unit of GOODS at 10 cents; the rest is a voucher. */
  function gramBack(id: string, number: number, originalSaleId: string, unitPriceCents: number, creditCents: number): Record<string, unknown> {
    const voucher = creditCents > 10 ? { voucher: { number: `CX01-${number}`, amountCents: creditCents - 10 } } : {};
    return {
      ...posSale(id, station.stationId, [[GOODS, 1, 10]], { number, payments: [] }),
      exchange: { originalSaleId, creditCents, returnedItems: [{ productId: WEIGHED, quantity: 1, unit: 'KG', unitPriceCents }], ...voucher },
    };
  }

  it('POS-11 POS-21 three exchanges of 1 g of one sale credit at most what was paid; one that would take the credit past it is refused with no voucher and no stock', async () => {
    const ids = [WEIGHED, GOODS];
    const start = await stockOf(station.server, station.admin, ids);
    const sale = weighedSale('cr-orig', 901);
    expect((await push([{ newDocumentState: sale }, { newDocumentState: gramBack('cr-ex1', 902, 'cr-orig', 39_666, 40) }, { newDocumentState: gramBack('cr-ex2', 903, 'cr-orig', 39_666, 40) }])).body).toEqual([]);
    const afterTwo = moved(start, { [WEIGHED]: -1, [GOODS]: -2 });
    expect(await stockOf(station.server, station.admin, ids)).toEqual(afterTwo);

    // A station before the cap credits the last gram 40 cents as well: 120 for 119 paid.
    expect((await push([{ newDocumentState: gramBack('cr-ex3-old', 904, 'cr-orig', 39_666, 40) }])).body).toEqual([]);
    const refused = await errorOf('cr-ex3-old');
    expect(refused).toMatchObject({ reason: 'invalid_transition', collection: 'sales' });
    expect(refused.message).toContain('only R$ 0,39 of the R$ 1,19 paid');
    expect(await voucherStatus('CX01-904')).toBe(404);
    expect(await stockOf(station.server, station.admin, ids)).toEqual(afterTwo);

    // An up-to-date station lowers the last gram's price so the three credits add up to what was paid.
    expect((await push([{ newDocumentState: gramBack('cr-ex3', 905, 'cr-orig', 39_499, 39) }])).body).toEqual([]);
    expect(await errorOf('cr-ex3')).toBeUndefined();
    expect(await voucherStatus('CX01-905')).toBe(200);
    expect(await stockOf(station.server, station.admin, ids)).toEqual(moved(start, { [GOODS]: -3 }));
  });

  it('POS-11 POS-21 of two stations that exchanged the same sale offline, each within what it knew, the server accepts the first and refuses the second', async () => {
    const sale = weighedSale('cc-orig', 911);
    expect((await push([{ newDocumentState: sale }, { newDocumentState: gramBack('cc-ex1', 912, 'cc-orig', 39_666, 40) }])).body).toEqual([]);
    const before = await stockOf(station.server, station.admin, [WEIGHED, GOODS]);
    // Both knew only the first exchange (79 cents left), so each credited its gram 40 cents; they arrive together.
    const answers = await Promise.all([gramBack('cc-ex2a', 913, 'cc-orig', 39_666, 40), gramBack('cc-ex2b', 914, 'cc-orig', 39_666, 40)].map((exchange) => push([{ newDocumentState: exchange }])));
    expect(answers.map((answer) => answer.body)).toEqual([[], []]);
    const errors = [await errorOf('cc-ex2a'), await errorOf('cc-ex2b')];
    expect(errors.filter((error) => error === undefined)).toHaveLength(1);
    expect(errors.find((error) => error !== undefined)).toMatchObject({ reason: 'invalid_transition', message: expect.stringContaining('is left after the sale') });
    expect((await Promise.all(['CX01-913', 'CX01-914'].map(voucherStatus))).sort()).toEqual([200, 404]);
    expect(await stockOf(station.server, station.admin, [WEIGHED, GOODS])).toEqual(moved(before, { [WEIGHED]: 1, [GOODS]: -1 }));
  });
});
