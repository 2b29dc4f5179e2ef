/**
 * Exchange vouchers at the station (POS-21), on its real database (RxDB memory storage): an exchange
 * with credit left issues a voucher, a later sale spends it offline up to the balance the station
 * knows, and online the server's answer decides before anything is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filter, firstValueFrom } from 'rxjs';
import type { MasterRecord, Sale } from '../../sync/schema/index.ts';
import { verifySaleTotals } from '../../sync/rules/index.ts';
import { createPos } from '../../renderer/core/pos/pos.ts';
import { PosError } from '../../renderer/core/pos/errors.ts';
import type { VoucherConfirmation } from '../../renderer/core/pos/vouchers.ts';
import { ids, masterRecords, posFixture, products, SUPERVISOR_CODE, STATION, type PosFixture } from './pos-fixtures.ts';

const VALE = 'loja1-paymentType-vale';
let fixture: PosFixture | null = null;
afterEach(async () => {
  fixture?.pos.dispose();
  await fixture?.db.close();
  fixture = null;
});

async function refusal(promise: Promise<unknown>): Promise<PosError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PosError);
  return error as PosError;
}

/** A station with a voucher payment type; `confirm` plays the server's online answer. */
async function station(confirm?: (sale: Sale) => Promise<VoucherConfirmation>) {
  fixture = await posFixture();
  await fixture.db.collections.masterdata!.insert({ id: VALE, kind: 'paymentType', code: 'vale', name: 'Vale-troca', active: true, method: 'voucher' });
  const f = fixture;
  const index = new Map(products().map((p) => [p.id, p]));
  f.pos.dispose();
  f.pos = createPos({ db: f.db, stationId: STATION, userId: 'u-caixa', stationCode: 'cx01', product: (id) => index.get(id), ...(confirm ? { confirmVoucherSale: confirm } : {}) });
  await f.pos.ready();
  return f;
}

/** Sells 2 × p-00005 (R$ 12,34 each) and exchanges both for one p-00004 (R$ 9,00): R$ 15,68 left as a voucher. */
async function issue(f: PosFixture) {
  const original = (await f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 2 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 2468 }] })).sale;
  return f.pos.recordExchange({ lines: [{ productId: 'p-00004', quantity: 1 }], sellerId: ids.seller, payments: [], exchange: { originalSaleId: original.id, returnedItems: [{ productId: 'p-00005', quantity: 2, unitPriceCents: 1234 }] } });
}

const spend = (f: PosFixture, voucherNumber: string, cents: number) =>
  f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: VALE, principalCents: cents, voucherNumber }, ...(cents < 1234 ? [{ paymentTypeId: ids.cash, principalCents: 1234 - cents }] : [])] });

describe('POS exchange vouchers', () => {
  it('POS-21 an exchange turns its unused credit into a numbered voucher that the server recomputes identically', async () => {
    const f = await station();
    const { sale, settlement } = await issue(f);
    expect(settlement.creditLeftCents).toBe(2468 - 900);
    expect(sale.exchange?.voucher).toEqual({ number: `CX01-${sale.number}`, amountCents: 1568 });
    const masters = [...masterRecords(), { id: VALE, kind: 'paymentType', code: 'vale', name: 'Vale-troca', active: true, method: 'voucher' } as MasterRecord];
    expect(verifySaleTotals(sale, { products: new Map(products().map((p) => [p.id, p])), promotions: [], masterdata: new Map(masters.map((m) => [m.id, m])), priceTable: new Map([['p-00004', 900]]) })).toEqual([]);
    expect(await f.pos.voucher(` cx01-${sale.number} `)).toEqual({ number: `CX01-${sale.number}`, issuedCents: 1568, balanceCents: 1568 });
  });

  it('POS-21 offline, a sale spends up to the balance the station knows and a second spend beyond it is refused', async () => {
    const f = await station();
    const number = (await issue(f)).sale.exchange!.voucher!.number;
    const first = await spend(f, number, 1000);
    expect(first.sale.payments[0]).toMatchObject({ paymentTypeId: VALE, amountCents: 1000, voucherNumber: number });
    expect((await f.pos.voucher(number)).balanceCents).toBe(568);
    const over = await refusal(spend(f, number, 569));
    expect(over.rule).toMatchObject({ code: 'voucher_overspent', params: { balanceCents: 568 } });
    expect((await refusal(spend(f, 'CX09-1', 100))).rule?.code).toBe('voucher_unknown');
    // The exchange cannot be cancelled while its voucher stands spent; cancelling the spend first frees it.
    const supervisor = await f.pos.authorize(SUPERVISOR_CODE, 'cancel');
    const exchange = (await f.db.collections.sales!.findOne({ selector: { 'exchange.voucher.number': number } }).exec())!.toJSON() as Sale;
    expect((await refusal(f.pos.cancelExchange(exchange.id, ids.exchange, undefined, supervisor))).code).toBe('voucher_spent');
    await f.pos.cancelSale(first.sale.id, ids.cancel, undefined, supervisor);
    expect((await f.pos.voucher(number)).balanceCents).toBe(1568);
    await f.pos.cancelExchange(exchange.id, ids.exchange, undefined, supervisor);
    expect((await refusal(spend(f, number, 100))).rule?.code).toBe('voucher_void');
  });

  it('POS-21 a voucher issued at another station is known from the store record, and online the server answer decides', async () => {
    const answers: VoucherConfirmation[] = [{ kind: 'refused', detail: 'Voucher CX02-5 has R$ 0,00 left (reason: invalid_transition)' }, { kind: 'confirmed' }, { kind: 'unreachable' }];
    const asked: Sale[] = [];
    const f = await station(async (sale) => {
      asked.push(sale);
      return answers.shift()!;
    });
    await f.db.collections.masterdata!.insert({ id: 'voucher-CX02-5', kind: 'voucher', code: 'CX02-5', name: 'CX02-5', active: true, issuedCents: 5000, saleId: 'elsewhere', redemptions: [{ saleId: 'other', amountCents: 1000 }] });
    await firstValueFrom(f.pos.catalog$.pipe(filter((catalog) => catalog.byId.has('voucher-CX02-5'))));
    expect((await f.pos.voucher('CX02-5')).balanceCents).toBe(4000);
    const before = await f.db.collections.sales!.count().exec();
    const refused = await refusal(spend(f, 'CX02-5', 1234));
    expect(refused).toMatchObject({ code: 'voucher_refused', params: { detail: expect.stringContaining('R$ 0,00') } });
    expect(await f.db.collections.sales!.count().exec()).toBe(before);
    // The refused sale's number is given back: the next sale takes it.
    const confirmed = await spend(f, 'CX02-5', 1234);
    expect(confirmed.sale.number).toBe(asked[0]!.number);
    const offline = await spend(f, 'CX02-5', 1234);
    expect(asked.map((sale) => sale.id)).toEqual([asked[0]!.id, confirmed.sale.id, offline.sale.id]);
    expect((await f.pos.voucher('CX02-5')).balanceCents).toBe(4000 - 2 * 1234);
  });

  it.each(['confirmed', 'unreachable'] as const)('POS-21 a voucher sale the server stored and the station pulled back before the answer (%s) came is recorded once, for its receipt', async (kind) => {
    // The server stores the sale it confirms, and the station's pull (the change stream) can write that
    // copy here before the answer reaches the station, or before a timeout that lost the answer. The
    // cashier saw "could not write to the local database" and no receipt, though the sale was kept (CI).
    let pulled: Sale | null = null;
    const f = await station(async (sale) => {
      pulled = sale;
      await f.db.collections.sales!.insert(structuredClone(sale));
      return { kind };
    });
    await f.db.collections.masterdata!.insert({ id: 'voucher-CX02-5', kind: 'voucher', code: 'CX02-5', name: 'CX02-5', active: true, issuedCents: 5000, saleId: 'elsewhere', redemptions: [] });
    await firstValueFrom(f.pos.catalog$.pipe(filter((catalog) => catalog.byId.has('voucher-CX02-5'))));
    const recorded = await spend(f, 'CX02-5', 1234);
    expect(recorded.sale.id).toBe(pulled!.id);
    const stored = await f.db.collections.sales!.find({ selector: { 'payments.voucherNumber': 'CX02-5' } }).exec();
    expect(stored.map((doc) => doc.id)).toEqual([recorded.sale.id]);
    // The sale is audited like any other, and the next sale takes the next number.
    const events = await f.db.collections.auditEvents!.find({ selector: { action: 'sale', subjectId: recorded.sale.id } }).exec();
    expect(events).toHaveLength(1);
    const next = await f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 1234 }] });
    expect(next.sale.number).toBe(recorded.sale.number + 1);
  });
});
