import { describe, expect, it } from 'vitest';
import { PUSH_POSITION_HEADER } from '../../sync/schema/index.ts';
import { call, DATABASE_KINDS, useStationServer } from './support/servers.ts';
import { moved, posSale, stockOf } from './support/pos-sales.ts';

/**
 * Issue 16: a sales upload is set-based — the stock of a product moves once per batch, with the sum of
 * what the batch's sales took, instead of once per sale (sync/server/rules/stock-effects.ts).
 */
describe.each(DATABASE_KINDS)('sales batch stock effects on %s', (kind) => {
  const station = useStationServer(kind);

  it('POS-02 a batch of 30 sales writes each product it moves once, with the sum of its sales', async () => {
    const ids = ['p-00140', 'p-00141', 'p-00142'];
    const before = await stockOf(station.server, station.admin, ids);
    const start = (await call(station.server.url, 'GET', '/api/sync/products/pull?checkpoint=0&limit=10000', { token: station.token })).body.checkpoint.seq as number;
    // Where the store's history stands: the push answer's position (the last sequence number the push wrote).
    const warmUp = await call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: [{ newDocumentState: posSale('batch-fx-pre', station.stationId, [['p-00143', 1, 700]]), assumedMasterState: null }] });
    const position = (response: { headers: Headers }) => Number(response.headers.get(PUSH_POSITION_HEADER));
    const rows = Array.from({ length: 30 }, (_v, n) => ({ newDocumentState: posSale(`batch-fx-${n}`, station.stationId, [[ids[n % 3]!, 1 + (n % 2), 700]], { number: n + 1 }), assumedMasterState: null }));
    const answer = await call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: rows });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
    // The batch's sales took 30 sequence numbers; what it wrote after them (its stock effects) shows from the next push,
    // whose one sale comes after: 3 product writes, one per product, not one per sale (which would be 30).
    expect(position(answer) - position(warmUp)).toBe(1 + 30);
    const next = await call(station.server.url, 'POST', '/api/sync/sales/push', { token: station.token, body: [{ newDocumentState: posSale('batch-fx-post', station.stationId, [['p-00143', 1, 700]], { number: 31 }), assumedMasterState: null }] });
    expect(position(next) - position(answer)).toBe(3 + 1);
    // Per product: 10 sales, five of 1 unit and five of 2.
    expect(await stockOf(station.server, station.admin, ids)).toEqual(moved(before, { 'p-00140': -15, 'p-00141': -15, 'p-00142': -15 }));
    const changed = (await call(station.server.url, 'GET', `/api/sync/products/pull?checkpoint=${start}&limit=100`, { token: station.token })).body.documents as { id: string }[];
    expect(changed.map((doc) => doc.id).sort()).toEqual([...ids, 'p-00143'].sort());
    const sales = (await call(station.server.url, 'GET', '/api/sync/sales/pull?checkpoint=0&limit=10000', { token: station.token })).body.documents as { id: string }[];
    expect(sales.filter((sale) => /^batch-fx-\d+$/.test(sale.id))).toHaveLength(30);
  });
});
