import { describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, useStationServer } from './support/servers.ts';
import { cancelled, posSale, stockOf } from './support/pos-sales.ts';

/**
 * Sales written before `unit` existed (sales version 0, POS-22): a line of a product sold by KG
 * without `unit` counted whole kilograms. Stock is kept in grams, so such a line moves 1000 g per kg —
 * when it is uploaded late, cancelled or exchanged — never 1 g (sync/rules/measure.ts stockStepsOf).
 */
describe.each(DATABASE_KINDS)('old sales of goods sold by KG on %s', (kind) => {
  const station = useStationServer(kind);
  const push = (rows: unknown[]) => call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: rows });
  const errorOf = async (documentId: string) => (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token })).body.find((error: { documentId: string }) => error.documentId === documentId);
  /** p-00005 is sold by KG in the demo catalogue; p-00001 by unit. */
  const KG = 'p-00005';

  it('POS-22 a version-0 line of 2 (kg, no unit) takes 2000 g out of stock; cancelling and exchanging give back whole kilograms', async () => {
    const before = await stockOf(station.server, station.token, [KG, 'p-00001']);
    const old = posSale('old-kg-1', station.stationId, [[KG, 2, 1_599], ['p-00001', 3, 100]], { number: 1 });
    expect((await push([{ newDocumentState: old }])).body).toEqual([]);
    expect(await errorOf('old-kg-1')).toBeUndefined();
    expect(await stockOf(station.server, station.token, [KG, 'p-00001'])).toEqual({ [KG]: before[KG]! - 2_000, 'p-00001': before['p-00001']! - 3 });

    // One kilogram comes back as the old sale counted it (a whole unit, no `unit`), for something by the unit.
    const exchange = posSale('old-kg-ex', station.stationId, [['p-00001', 1, 1_599]], { number: 2, returned: { originalSaleId: 'old-kg-1', lines: [[KG, 1, 1_599]] } });
    expect((await push([{ newDocumentState: exchange }])).body).toEqual([]);
    expect(await errorOf('old-kg-ex')).toBeUndefined();
    expect(await stockOf(station.server, station.token, [KG, 'p-00001'])).toEqual({ [KG]: before[KG]! - 1_000, 'p-00001': before['p-00001']! - 4 });

    // Cancelling the exchange, then the sale, puts everything back exactly.
    expect((await push([{ newDocumentState: cancelled(exchange), assumedMasterState: exchange }])).body).toEqual([]);
    expect((await push([{ newDocumentState: cancelled(old), assumedMasterState: old }])).body).toEqual([]);
    expect(await stockOf(station.server, station.token, [KG, 'p-00001'])).toEqual(before);
  });
});
