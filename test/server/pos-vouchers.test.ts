import { beforeAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, pullAll, stationSession, useStationServer } from './support/servers.ts';
import { cancelled, CASH, moved, posSale, stockOf } from './support/pos-sales.ts';

const VOUCHER = 'loja1-paymentType-vale';

/**
 * Exchange vouchers on the server (POS-21): the exchange issues a voucher that reaches every station
 * of the store, sales spend it in order under the store's lock, a spend beyond the balance is refused
 * and kept (integration errors), and the online route lets only one of two simultaneous spends through.
 */
describe.each(DATABASE_KINDS)('exchange vouchers on %s', (kind) => {
  const station = useStationServer(kind);
  let other: { token: string; stationId: string };
  beforeAll(async () => {
    const session = await stationSession(station.server, 'cx02');
    other = { token: session.token, stationId: session.station.stationId };
  });
  const push = (token: string, rows: unknown[]) => call(station.server.url, 'POST', '/api/sync/sales/push', { token, body: rows.map((doc) => ({ newDocumentState: doc })) });
  /** Uploads the cancellation of a stored sale, as a station does (it assumes the stored state). */
  const cancel = (token: string, sale: Record<string, unknown>) =>
    call(station.server.url, 'POST', '/api/sync/sales/push', { token, body: [{ newDocumentState: cancelled(sale), assumedMasterState: { ...sale, _deleted: false } }] });
  const errorOf = async (documentId: string) => (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.admin })).body.find((error: { documentId: string }) => error.documentId === documentId);
  const balance = async (number: string) => (await call(station.server.url, 'GET', `/api/pos/vouchers/${number}`, { token: other.token })).body;

  /** Sells 2 × R$ 100,00 and exchanges both for one R$ 100,00 item: a voucher of R$ 100,00. */
  async function issue(prefix: string, number: number): Promise<string> {
    const voucher = `CX01-${number}`;
    const original = posSale(`${prefix}-orig`, station.stationId, [['p-00100', 2, 10_000]], { number: number - 1 });
    const exchange: Record<string, unknown> = {
      ...posSale(`${prefix}-ex`, station.stationId, [['p-00100', 1, 10_000]], { number, returned: { originalSaleId: `${prefix}-orig`, lines: [['p-00100', 2, 10_000]] } }),
      payments: [],
    };
    const withVoucher = { ...exchange, exchange: { ...(exchange.exchange as object), voucher: { number: voucher, amountCents: 10_000 } } };
    expect((await push(station.token, [original, withVoucher])).body).toEqual([]);
    expect(await errorOf(`${prefix}-ex`)).toBeUndefined();
    return voucher;
  }

  /** A sale of R$ `cents` at `stationId` paid entirely with `voucher`. */
  const spending = (id: string, stationId: string, voucher: string, cents: number, number = 100) =>
    posSale(id, stationId, [['p-00101', 1, cents]], { number, payments: [{ paymentTypeId: VOUCHER, amountCents: cents, voucherNumber: voucher } as never] });

  it('POS-21 an exchange issues its voucher to every station; spends apply in order and one beyond the balance is refused and kept', async () => {
    const voucher = await issue('v1', 2);
    const records = await pullAll(station.server, other.token, 'masterdata');
    expect(records.find((record) => record.id === `voucher-${voucher}`)).toMatchObject({ kind: 'voucher', code: voucher, issuedCents: 10_000, saleId: 'v1-ex', active: true, redemptions: [] });

    // Station 2 spends R$ 60,00; station 1, offline with the old balance, then tries R$ 50,00.
    expect((await push(other.token, [spending('v1-r1', other.stationId, voucher, 6_000)])).body).toEqual([]);
    expect(await errorOf('v1-r1')).toBeUndefined();
    expect(await balance(voucher)).toEqual({ number: voucher, issuedCents: 10_000, balanceCents: 4_000, active: true });
    expect((await push(station.token, [spending('v1-r2', station.stationId, voucher, 5_000, 101)])).body).toEqual([]);
    const refused = await errorOf('v1-r2');
    expect(refused).toMatchObject({ reason: 'invalid_transition', collection: 'sales' });
    expect(refused.message).toContain('R$ 40,00');
    expect(await balance(voucher)).toMatchObject({ balanceCents: 4_000 });

    // In one batch the first spend wins: R$ 40,00 then R$ 0,01.
    expect((await push(station.token, [spending('v1-r3', station.stationId, voucher, 4_000, 102), spending('v1-r4', station.stationId, voucher, 1, 103)])).body).toEqual([]);
    expect(await errorOf('v1-r3')).toBeUndefined();
    expect(await errorOf('v1-r4')).toMatchObject({ reason: 'invalid_transition' });
    expect(await balance(voucher)).toMatchObject({ balanceCents: 0 });

    // A retried batch spends nothing twice; cancelling a spend gives it back.
    expect((await push(other.token, [spending('v1-r1', other.stationId, voucher, 6_000)])).body).toEqual([]);
    expect(await balance(voucher)).toMatchObject({ balanceCents: 0 });
    expect((await cancel(other.token, spending('v1-r1', other.stationId, voucher, 6_000))).body).toEqual([]);
    expect(await balance(voucher)).toMatchObject({ balanceCents: 6_000 });
  });

  it('POS-21 an exchange whose voucher was spent cannot be cancelled; unspent, cancelling voids it; a number is issued once', async () => {
    const voucher = await issue('v2', 12);
    expect((await push(other.token, [spending('v2-r1', other.stationId, voucher, 1_000, 200)])).body).toEqual([]);
    const exchange = (await pullAll(station.server, station.token, 'sales')).find((sale) => sale.id === 'v2-ex')!;
    // Refused: answered with the server's version, which the station takes back (issue 11).
    expect((await cancel(station.token, exchange)).body).toMatchObject([{ id: 'v2-ex', status: exchange.status }]);
    expect(await errorOf('v2-ex')).toMatchObject({ reason: 'invalid_transition' });
    expect((await errorOf('v2-ex')).message).toContain('v2-r1');

    const unspent = await issue('v3', 22);
    const third = (await pullAll(station.server, station.token, 'sales')).find((sale) => sale.id === 'v3-ex')!;
    expect((await cancel(station.token, third)).body).toEqual([]);
    expect(await errorOf('v3-ex')).toBeUndefined();
    expect(await balance(unspent)).toMatchObject({ active: false, balanceCents: 0 });
    expect((await push(other.token, [spending('v3-r1', other.stationId, unspent, 100, 201)])).body).toEqual([]);
    expect(await errorOf('v3-r1')).toMatchObject({ reason: 'invalid_transition' });

    // Another exchange claiming number CX01-12 (a restored station reusing its numbers) is refused.
    const original = posSale('v4-orig', station.stationId, [['p-00100', 1, 10_000]], { number: 30 });
    const duplicate: Record<string, unknown> = { ...posSale('v4-ex', station.stationId, [['p-00100', 1, 5_000]], { number: 31, returned: { originalSaleId: 'v4-orig', lines: [['p-00100', 1, 10_000]] } }), payments: [] };
    const claimed = { ...duplicate, exchange: { ...(duplicate.exchange as object), voucher: { number: voucher, amountCents: 5_000 } } };
    expect((await push(station.token, [original, claimed])).body).toEqual([]);
    expect(await errorOf('v4-ex')).toMatchObject({ reason: 'duplicate_key' });
  });

  it('POS-10 POS-21 a sale is never deleted, on any write path: a cancellation sent as deleted is refused and kept, and stock and voucher stay as they were', async () => {
    const voucher = await issue('vdel', 40);
    const spend = spending('vdel-r1', other.stationId, voucher, 6_000, 140);
    expect((await push(other.token, [spend])).body).toEqual([]);
    const stockOf = async () => (await call(station.server.url, 'GET', '/api/v1/products/p-00101', { token: station.admin })).body.stock;
    const stock = await stockOf();
    // The spend's cancellation, and the exchange's, flagged as deleted (no shipped device does this; any sender may).
    const asDeleted = (token: string, sale: Record<string, unknown>) =>
      call(station.server.url, 'POST', '/api/sync/sales/push', { token, body: [{ newDocumentState: { ...cancelled(sale), _deleted: true }, assumedMasterState: { ...sale, _deleted: false } }] });
    expect((await asDeleted(other.token, spend)).status).toBe(200);
    expect(await errorOf('vdel-r1')).toMatchObject({ reason: 'immutable_document', collection: 'sales', message: expect.stringContaining('cannot be deleted') });
    expect((await asDeleted(station.token, { ...(await call(station.server.url, 'GET', '/api/v1/sales/vdel-ex', { token: station.admin })).body })).status).toBe(200);
    expect(await errorOf('vdel-ex')).toMatchObject({ reason: 'immutable_document' });
    const deleted = await call(station.server.url, 'DELETE', '/api/v1/sales/vdel-orig', { token: station.admin });
    expect(deleted.status).toBe(422);
    expect(await errorOf('vdel-orig')).toMatchObject({ reason: 'immutable_document' });
    expect(await stockOf()).toBe(stock);
    expect(await balance(voucher)).toEqual({ number: voucher, issuedCents: 10_000, balanceCents: 4_000, active: true });
    for (const id of ['vdel-r1', 'vdel-ex', 'vdel-orig']) expect((await call(station.server.url, 'GET', `/api/v1/sales/${id}`, { token: station.admin })).body).toMatchObject({ id, status: 'finished' });
    // The cancellation as a station sends it still gives the spend back.
    expect((await cancel(other.token, spend)).body).toEqual([]);
    expect(await balance(voucher)).toMatchObject({ balanceCents: 10_000, active: true });
  });

  it('POS-21 a voucher payment must name its voucher and an issued voucher must be the unused credit', async () => {
    const unnamed = posSale('v5-r1', other.stationId, [['p-00101', 1, 500]], { number: 300, payments: [{ paymentTypeId: VOUCHER, amountCents: 500 }] });
    expect((await push(other.token, [unnamed])).body).toEqual([]);
    expect(await errorOf('v5-r1')).toMatchObject({ reason: 'totals_mismatch' });
    const unknown = spending('v5-r2', other.stationId, 'CX09-1', 500, 301);
    expect((await push(other.token, [unknown])).body).toEqual([]);
    expect(await errorOf('v5-r2')).toMatchObject({ reason: 'unknown_reference' });

    const original = posSale('v6-orig', station.stationId, [['p-00100', 1, 10_000]], { number: 40 });
    const exchange: Record<string, unknown> = { ...posSale('v6-ex', station.stationId, [['p-00100', 1, 4_000]], { number: 41, returned: { originalSaleId: 'v6-orig', lines: [['p-00100', 1, 10_000]] } }), payments: [] };
    const inflated = { ...exchange, exchange: { ...(exchange.exchange as object), voucher: { number: 'CX01-41', amountCents: 9_000 } } };
    expect((await push(station.token, [original, inflated])).body).toEqual([]);
    expect(await errorOf('v6-ex')).toMatchObject({ reason: 'totals_mismatch' });
  });

  it('POS-21 two stations spending the same voucher online at the same time: only the balance is spent', async () => {
    const voucher = await issue('v7', 52);
    const online = (token: string, sale: Record<string, unknown>) => {
      const { _deleted: _ignored, ...doc } = sale;
      return call(station.server.url, 'POST', '/api/pos/voucher-sales', { token, body: doc });
    };
    const first = spending('v7-a', station.stationId, voucher, 7_000, 500);
    const second = spending('v7-b', other.stationId, voucher, 7_000, 500);
    const answers = await Promise.all([online(station.token, first), online(other.token, second)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.findIndex((answer) => answer.status === 200);
    expect(answers[winner]!.body).toEqual({ saleId: winner === 0 ? 'v7-a' : 'v7-b', vouchers: [{ number: voucher, issuedCents: 10_000, balanceCents: 3_000, active: true }] });
    expect(answers[1 - winner]!.body.detail).toContain('R$ 30,00');
    expect(await balance(voucher)).toMatchObject({ balanceCents: 3_000 });
    // The refused sale was not kept: the cashier chose another payment; the accepted one sent again changes nothing.
    expect(await errorOf(winner === 0 ? 'v7-b' : 'v7-a')).toBeUndefined();
    expect((await online(winner === 0 ? station.token : other.token, winner === 0 ? first : second)).status).toBe(200);
    expect(await balance(voucher)).toMatchObject({ balanceCents: 3_000 });
    // A sale that spends no voucher belongs to replication, and an unknown voucher is a 404.
    expect((await online(station.token, posSale('v7-c', station.stationId, [['p-00101', 1, 100]], { number: 501, payments: [{ paymentTypeId: CASH, amountCents: 100 }] }))).status).toBe(400);
    expect((await call(station.server.url, 'GET', '/api/pos/vouchers/CX09-999', { token: other.token })).status).toBe(404);
  });

  it('POS-21 POS-11 POS-07 a sale refused for its overspent voucher and its exchange in one upload: both refused and kept, stock unchanged; the fixed sale then lets the exchange through once', async () => {
    const voucher = await issue('v8', 62);
    expect((await push(station.token, [spending('v8-r1', station.stationId, voucher, 10_000, 600)])).body).toEqual([]);
    const products = ['p-00101', 'p-00102'];
    const before = await stockOf(station.server, station.admin, products);

    // Station 2, offline with the full balance, sells p-00101 with the voucher; the customer exchanges it at once for p-00102.
    const sale = spending('v8-s', other.stationId, voucher, 10_000, 610);
    const exchange = posSale('v8-sx', other.stationId, [['p-00102', 1, 10_000]], { number: 611, returned: { originalSaleId: 'v8-s', lines: [['p-00101', 1, 10_000]] } });
    expect((await push(other.token, [sale, exchange])).body).toEqual([]);
    expect(await errorOf('v8-s')).toMatchObject({ reason: 'invalid_transition' });
    // The exchange is refused as one of a sale the server does not have, not accepted against the refused sale.
    const refusedExchange = await errorOf('v8-sx');
    expect(refusedExchange).toMatchObject({ reason: 'unknown_reference', document: { id: 'v8-sx' } });
    expect(refusedExchange.message).toContain('Upload the original sale first');
    expect((await call(station.server.url, 'GET', '/api/v1/sales/v8-sx', { token: station.admin })).status).toBe(404);
    expect(await stockOf(station.server, station.admin, products)).toEqual(before);
    expect(await balance(voucher)).toMatchObject({ balanceCents: 0 });

    // The sale fixed (paid in cash), then the exchange tried again: each counts once.
    expect((await push(other.token, [{ ...sale, payments: [{ paymentTypeId: CASH, amountCents: 10_000 }] }])).body).toEqual([]);
    expect(await errorOf('v8-s')).toBeUndefined();
    const retried = await call(station.server.url, 'POST', `/api/sync/errors/${refusedExchange.id}/retry`, { token: station.admin });
    expect(retried.body.resolvedAt).not.toBeNull();
    expect((await push(other.token, [exchange])).body).toEqual([]);
    // p-00102 is sold by the metre: its stock is in millimetres (POS-22).
    expect(await stockOf(station.server, station.admin, products)).toEqual(moved(before, { 'p-00102': -1_000 }));
    // Its goods came back once: another exchange of the same item is refused.
    expect((await push(other.token, [posSale('v8-sx2', other.stationId, [['p-00102', 1, 10_000]], { number: 612, returned: { originalSaleId: 'v8-s', lines: [['p-00101', 1, 10_000]] } })])).body).toEqual([]);
    expect(await errorOf('v8-sx2')).toMatchObject({ reason: 'invalid_transition' });
    expect(await stockOf(station.server, station.admin, products)).toEqual(moved(before, { 'p-00102': -1_000 }));
  });
});
