import { describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, useStationServer } from './support/servers.ts';
import { cancelled, moved, posSale, stockOf } from './support/pos-sales.ts';

describe.each(DATABASE_KINDS)('POS stock effects on %s', (kind) => {
  const station = useStationServer(kind);

  const push = (collection: string, rows: unknown[]) => call(station.server.url, 'POST', `/api/sync/${collection}/push`, { token: station.token, body: rows });
  const errorOf = async (documentId: string) => (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token })).body.find((error: { documentId: string }) => error.documentId === documentId);

  it('POS-02 a sale takes its items out of stock once, however often its upload is retried', async () => {
    const before = await stockOf(station.server, station.admin, ['p-00100', 'p-00101']);
    const sale = posSale('st-sale-1', station.stationId, [['p-00100', 2, 1500], ['p-00101', 1, 990]]);
    expect((await push('sales', [{ newDocumentState: sale, assumedMasterState: null }])).body).toEqual([]);
    const after = moved(before, { 'p-00100': -2, 'p-00101': -1 });
    expect(await stockOf(station.server, station.admin, ['p-00100', 'p-00101'])).toEqual(after);

    // The answer was lost: the station sends the same batch again, twice at once, and once with the row doubled.
    const retries = await Promise.all([1, 2, 3].map(() => push('sales', [{ newDocumentState: sale, assumedMasterState: null }])));
    expect(retries.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await push('sales', [{ newDocumentState: sale }, { newDocumentState: sale }])).status).toBe(200);
    expect(await stockOf(station.server, station.admin, ['p-00100', 'p-00101'])).toEqual(after);
  });

  it('POS-02 two new sales of the same product in one batch both count', async () => {
    const before = await stockOf(station.server, station.admin, ['p-00105']);
    const rows = ['st-b1', 'st-b2'].map((id) => ({ newDocumentState: posSale(id, station.stationId, [['p-00105', 3, 100]]) }));
    expect((await push('sales', rows)).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00105'])).toEqual(moved(before, { 'p-00105': -6 }));
  });

  it('POS-10 a cancellation puts the goods back once, and devices receive the new stock through replication', async () => {
    const sale = posSale('st-sale-2', station.stationId, [['p-00110', 4, 250]]);
    const start = await stockOf(station.server, station.admin, ['p-00110']);
    expect((await push('sales', [{ newDocumentState: sale }])).body).toEqual([]);
    const checkpoint = (await call(station.server.url, 'GET', '/api/sync/products/pull?checkpoint=0&limit=10000', { token: station.token })).body.checkpoint.seq;

    const cancel = cancelled(sale);
    expect((await push('sales', [{ newDocumentState: cancel, assumedMasterState: sale }])).body).toEqual([]);
    expect((await push('sales', [{ newDocumentState: cancel, assumedMasterState: sale }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00110'])).toEqual(start);

    const pulled = await call(station.server.url, 'GET', `/api/sync/products/pull?checkpoint=${checkpoint}&limit=100`, { token: station.token });
    expect(pulled.body.documents).toEqual([expect.objectContaining({ id: 'p-00110', stock: start['p-00110'], _deleted: false })]);
  });

  it('POS-10 a sale already cancelled when it first arrives never touches stock', async () => {
    const before = await stockOf(station.server, station.admin, ['p-00111']);
    expect((await push('sales', [{ newDocumentState: cancelled(posSale('st-sale-3', station.stationId, [['p-00111', 5, 100]])) }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00111'])).toEqual(before);
  });

  it('POS-11 an exchange puts the returned goods back and takes the new ones out; cancelling it reverses both', async () => {
    const ids = ['p-00120', 'p-00121'];
    const start = await stockOf(station.server, station.admin, ids);
    const original = posSale('st-orig', station.stationId, [['p-00120', 3, 1000]]);
    const exchange = posSale('st-exch', station.stationId, [['p-00121', 1, 1800]], { number: 2, returned: { originalSaleId: 'st-orig', lines: [['p-00120', 1, 1000]] } });
    expect(exchange.payments).toEqual([{ paymentTypeId: 'loja1-paymentType-dinheiro', amountCents: 800 }]);

    // Sold and exchanged offline: both arrive in one batch, original first.
    expect((await push('sales', [{ newDocumentState: original }, { newDocumentState: exchange }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ids)).toEqual(moved(start, { 'p-00120': -2, 'p-00121': -1 }));
    expect((await push('sales', [{ newDocumentState: exchange }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ids)).toEqual(moved(start, { 'p-00120': -2, 'p-00121': -1 }));

    const undone = cancelled(exchange);
    expect((await push('sales', [{ newDocumentState: undone, assumedMasterState: exchange }])).body).toEqual([]);
    expect((await push('sales', [{ newDocumentState: undone, assumedMasterState: exchange }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ids)).toEqual(moved(start, { 'p-00120': -3 }));
  });

  it('POS-11 an exchange of a sale the server does not know is quarantined and moves no stock', async () => {
    const before = await stockOf(station.server, station.admin, ['p-00130', 'p-00131']);
    const exchange = posSale('st-exch-lost', station.stationId, [['p-00131', 1, 500]], { returned: { originalSaleId: 'nowhere', lines: [['p-00130', 1, 500]] } });
    expect((await push('sales', [{ newDocumentState: exchange }])).body).toEqual([]);
    expect(await errorOf('st-exch-lost')).toMatchObject({ reason: 'unknown_reference', collection: 'sales' });
    expect(await stockOf(station.server, station.admin, ['p-00130', 'p-00131'])).toEqual(before);
  });

  it('POS-11 goods of a cancelled sale cannot come back a second time through an exchange', async () => {
    const original = posSale('st-orig-c', station.stationId, [['p-00140', 2, 700]]);
    expect((await push('sales', [{ newDocumentState: original }])).body).toEqual([]);
    expect((await push('sales', [{ newDocumentState: cancelled(original), assumedMasterState: original }])).body).toEqual([]);
    const before = await stockOf(station.server, station.admin, ['p-00140']);
    const exchange = posSale('st-exch-c', station.stationId, [['p-00140', 1, 700]], { returned: { originalSaleId: 'st-orig-c', lines: [['p-00140', 2, 700]] } });
    expect((await push('sales', [{ newDocumentState: exchange }])).body).toEqual([]);
    expect(await errorOf('st-exch-c')).toMatchObject({ reason: 'invalid_transition' });
    expect(await stockOf(station.server, station.admin, ['p-00140'])).toEqual(before);
  });

  it('POS-11 returned goods never exceed what the original sold, over all its exchanges', async () => {
    const original = posSale('st-orig-q', station.stationId, [['p-00160', 2, 400]]);
    const first = posSale('st-exq-1', station.stationId, [['p-00161', 1, 400]], { returned: { originalSaleId: 'st-orig-q', lines: [['p-00160', 1, 400]] } });
    const second = posSale('st-exq-2', station.stationId, [['p-00161', 2, 400]], { returned: { originalSaleId: 'st-orig-q', lines: [['p-00160', 2, 400]] } });
    const stranger = posSale('st-exq-3', station.stationId, [['p-00161', 1, 400]], { returned: { originalSaleId: 'st-orig-q', lines: [['p-00162', 1, 400]] } });
    expect((await push('sales', [{ newDocumentState: original }, { newDocumentState: first }])).body).toEqual([]);
    const before = await stockOf(station.server, station.admin, ['p-00160', 'p-00161', 'p-00162']);
    expect((await push('sales', [{ newDocumentState: second }, { newDocumentState: stranger }])).body).toEqual([]);
    expect(await errorOf('st-exq-2')).toMatchObject({ reason: 'invalid_transition' });
    expect((await errorOf('st-exq-2')).message).toContain('only 1 of it');
    expect(await errorOf('st-exq-3')).toMatchObject({ reason: 'invalid_transition' });
    expect(await stockOf(station.server, station.admin, ['p-00160', 'p-00161', 'p-00162'])).toEqual(before);
  });

  it('POS-11 POS-21 an exchange credits each returned line at most what was paid for it, in the unit it was sold in, one line per product: a line priced up, sent without its unit, or split in many, is refused with no voucher and no stock', async () => {
    // Priced up: 1 unit paid 10,000 comes back at 5,000,000, and the credit left over would be a voucher.
    const original = posSale('st-orig-p', station.stationId, [['p-00180', 1, 10_000]]);
    const priced = posSale('st-exch-p', station.stationId, [['p-00181', 1, 100]], { number: 2, returned: { originalSaleId: 'st-orig-p', lines: [['p-00180', 1, 5_000_000]] } });
    priced.exchange = { ...(priced.exchange as object), voucher: { number: 'CX01-902', amountCents: 5_000_000 - 100 } };
    expect((await push('sales', [{ newDocumentState: original }])).body).toEqual([]);
    const before = await stockOf(station.server, station.admin, ['p-00180', 'p-00181']);
    expect((await push('sales', [{ newDocumentState: priced }])).body).toEqual([]);
    expect(await errorOf('st-exch-p')).toMatchObject({ reason: 'invalid_transition' });
    expect((await errorOf('st-exch-p')).message).toContain('Credit at most what was paid');
    expect((await call(station.server.url, 'GET', '/api/pos/vouchers/CX01-902', { token: station.token })).status).toBe(404);
    expect(await stockOf(station.server, station.admin, ['p-00180', 'p-00181'])).toEqual(before);

    // Without its unit: 500 g of a product sold by KG would come back as 500 kg.
    const kg = 'p-00005';
    const price = (await call(station.server.url, 'GET', `/api/v1/products/${kg}`, { token: station.admin })).body.priceCents as number;
    const amount = Math.round((price * 500) / 1000);
    const byWeight = { ...posSale('st-orig-kg', station.stationId, [], { number: 3 }), items: [{ productId: kg, quantity: 500, unit: 'KG', unitPriceCents: price, discountCents: 0, totalCents: amount }], subtotalCents: amount, totalCents: amount, payments: [{ paymentTypeId: 'loja1-paymentType-dinheiro', amountCents: amount }] };
    expect((await push('sales', [{ newDocumentState: byWeight }])).body).toEqual([]);
    const sold = await stockOf(station.server, station.admin, [kg]);
    const unitless = posSale('st-exch-kg', station.stationId, [['p-00181', 1, 100]], { number: 4, returned: { originalSaleId: 'st-orig-kg', lines: [[kg, 500, 0]] } });
    expect((await push('sales', [{ newDocumentState: unitless }])).body).toEqual([]);
    expect(await errorOf('st-exch-kg')).toMatchObject({ reason: 'invalid_transition' });
    expect((await errorOf('st-exch-kg')).message).toContain('in the unit it was sold in');
    expect(await stockOf(station.server, station.admin, [kg])).toEqual(sold);

    // Split into lines of 1 g, each credit rounded up on its own: refused, one line per product.
    const split = { ...posSale('st-exch-kg-split', station.stationId, [['p-00181', 1, 100]], { number: 6 }), exchange: { originalSaleId: 'st-orig-kg', creditCents: 0, returnedItems: [] as unknown[] } };
    const perGram = Math.floor((amount * 1000) / 500);
    split.exchange.returnedItems = Array.from({ length: 3 }, () => ({ productId: kg, quantity: 1, unit: 'KG', unitPriceCents: perGram }));
    split.exchange.creditCents = 3 * Math.round(perGram / 1000);
    expect((await push('sales', [{ newDocumentState: split }])).body).toEqual([]);
    expect((await errorOf('st-exch-kg-split')).message).toContain('more than one line');
    expect(await stockOf(station.server, station.admin, [kg])).toEqual(sold);

    // In its unit, at what was paid per kg: accepted, and the 500 g come back.
    const paidPerKg = Math.floor((amount * 1000) / 500);
    const credit = Math.round((paidPerKg * 500) / 1000);
    const proper = { ...posSale('st-exch-kg2', station.stationId, [['p-00181', 1, credit]], { number: 5 }), exchange: { originalSaleId: 'st-orig-kg', creditCents: credit, returnedItems: [{ productId: kg, quantity: 500, unit: 'KG', unitPriceCents: paidPerKg }] }, payments: [] };
    expect((await push('sales', [{ newDocumentState: proper }])).body).toEqual([]);
    expect(await errorOf('st-exch-kg2')).toBeUndefined();
    expect(await stockOf(station.server, station.admin, [kg])).toEqual(moved(sold, { [kg]: 500 }));
  });

  it('POS-11 a sale is cancelled only after its exchange, so returned goods never come back twice', async () => {
    const ids = ['p-00170', 'p-00171'];
    const start = await stockOf(station.server, station.admin, ids);
    const original = posSale('st-orig-x', station.stationId, [['p-00170', 2, 300]]);
    const exchange = posSale('st-exch-x', station.stationId, [['p-00171', 1, 300]], { returned: { originalSaleId: 'st-orig-x', lines: [['p-00170', 1, 300]] } });
    expect((await push('sales', [{ newDocumentState: original }, { newDocumentState: exchange }])).body).toEqual([]);
    // Refused: answered with the server's version, which the station takes back (issue 11).
    expect((await push('sales', [{ newDocumentState: cancelled(original), assumedMasterState: original }])).body).toMatchObject([{ id: 'st-orig-x', status: original.status }]);
    expect(await errorOf('st-orig-x')).toMatchObject({ reason: 'invalid_transition' });
    expect(await stockOf(station.server, station.admin, ids)).toEqual(moved(start, { 'p-00170': -1, 'p-00171': -1 }));

    expect((await push('sales', [{ newDocumentState: cancelled(exchange), assumedMasterState: exchange }, { newDocumentState: cancelled(original), assumedMasterState: cancelled(original) }])).body).toEqual([]);
    expect(await errorOf('st-orig-x')).toBeUndefined();
    expect(await stockOf(station.server, station.admin, ids)).toEqual(start);
  });

  it('POS-07 a quarantined sale moves stock only once it is accepted', async () => {
    const bad = { ...posSale('st-q', station.stationId, [['p-00150', 2, 300]]), totalCents: 500 };
    const before = await stockOf(station.server, station.admin, ['p-00150']);
    expect((await push('sales', [{ newDocumentState: bad }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00150'])).toEqual(before);
    const fixed = posSale('st-q', station.stationId, [['p-00150', 2, 300]]);
    expect((await push('sales', [{ newDocumentState: fixed, assumedMasterState: bad }])).body).toEqual([]);
    expect((await push('sales', [{ newDocumentState: fixed, assumedMasterState: bad }])).body).toEqual([]);
    expect(await stockOf(station.server, station.admin, ['p-00150'])).toEqual(moved(before, { 'p-00150': -2 }));
  });
});
