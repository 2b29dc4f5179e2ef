/**
 * POS operations on the station's database (RxDB memory storage), as the sale screens call them:
 * sales with promotions and payment conditions, cancellation, exchange, cash movements, audit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent, CashMovement, MasterRecord, Product, Sale } from '../../sync/schema/index.ts';
import { verifySaleTotals } from '../../sync/rules/index.ts';
import { PosError } from '../../renderer/core/pos/errors.ts';
import { posPtBR } from '../../renderer/i18n/pos.pt-BR.ts';
import { ids, masterRecords, posFixture, products, STATION, GROUP, SUPERVISOR_CODE, SUPERVISOR_ID, type PosFixture } from './pos-fixtures.ts';

let fixture: PosFixture | null = null;
afterEach(async () => {
  fixture?.pos.dispose();
  await fixture?.db.close();
  fixture = null;
});

async function setup(options?: { tillOpen?: boolean }): Promise<PosFixture> {
  fixture = await posFixture(options);
  return fixture;
}

async function docs<T>(f: PosFixture, name: 'sales' | 'auditEvents' | 'cashMovements'): Promise<T[]> {
  return (await f.db.collections[name]!.find().exec()).map((d) => d.toJSON() as T);
}

function serverContext() {
  const masters = masterRecords();
  return {
    products: new Map<string, Product>(products().map((p) => [p.id, p])),
    promotions: masters.filter((m) => m.kind === 'promotion'),
    masterdata: new Map<string, MasterRecord>(masters.map((m) => [m.id, m])),
    priceTable: new Map([['p-00004', 900]]),
    stationGroupId: GROUP,
  };
}

async function expectPosError(promise: Promise<unknown>, code: string): Promise<PosError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PosError);
  expect((error as PosError).code).toBe(code);
  return error as PosError;
}

describe('POS sale', () => {
  it('POS-09 POS-17 records a sale with promotions, the group price and exact totals that the server recomputes identically', async () => {
    const f = await setup();
    const { sale, settlement } = await f.pos.recordSale({
      lines: [
        { productId: 'p-00001', quantity: 3 }, // buy 3 pay 2: 3000 − 1000
        { productId: 'p-00002', quantity: 2 }, // 5 off each: 7980 − 1000
        { productId: 'p-00003', quantity: 1 }, // 10 % of 8999 = 900 (half-even)
        { productId: 'p-00004', quantity: 1 }, // group price 900 instead of 1500
      ],
      sellerId: ids.seller,
      customerTaxId: '529.982.247-25',
      payments: [{ paymentTypeId: ids.cash, principalCents: 20_000 }],
    });
    expect(sale.items.map((i) => [i.unitPriceCents, i.discountCents, i.totalCents, i.promotionId ?? null])).toEqual([
      [1000, 1000, 2000, 'promo-l3p2'],
      [3990, 1000, 6980, 'promo-5off'],
      [8999, 900, 8099, 'promo-pintura'],
      [900, 0, 900, null],
    ]);
    expect(sale.subtotalCents).toBe(3000 + 7980 + 8999 + 900);
    expect(sale.discountCents).toBe(2900);
    expect(sale.totalCents).toBe(17_979);
    expect(sale.changeCents).toBe(20_000 - 17_979);
    expect(settlement.changeCents).toBe(2021);
    expect(sale.customerTaxId).toBe('52998224725');
    expect(sale.stationId).toBe(STATION);
    expect(sale.number).toBe(1);
    expect(verifySaleTotals(sale, serverContext())).toEqual([]);
    const stored = await docs<Sale>(f, 'sales');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual(sale);
  });

  it('POS-06 prices installments with and without interest; the interest is part of the card amount', async () => {
    const f = await setup();
    const noInterest = await f.pos.recordSale({
      lines: [{ productId: 'p-00005', quantity: 10 }],
      sellerId: ids.seller,
      payments: [{ paymentTypeId: ids.credit, paymentConditionId: ids.x3, principalCents: 12_340 }],
    });
    expect(noInterest.sale.payments).toEqual([{ paymentTypeId: ids.credit, paymentConditionId: ids.x3, installments: 3, amountCents: 12_340, interestCents: 0 }]);
    expect(noInterest.installmentAmounts[0]).toEqual([4114, 4113, 4113]);
    const withInterest = await f.pos.recordSale({
      lines: [{ productId: 'p-00005', quantity: 10 }],
      sellerId: ids.seller,
      payments: [
        { paymentTypeId: ids.pix, principalCents: 2_340 },
        { paymentTypeId: ids.credit, paymentConditionId: ids.x6, principalCents: 10_000 },
      ],
    });
    const card = withInterest.sale.payments[1]!;
    expect(card.installments).toBe(6);
    expect(card.interestCents).toBeGreaterThan(0);
    expect(card.amountCents).toBe(10_000 + card.interestCents!);
    expect(withInterest.installmentAmounts[1]!.reduce((a, b) => a + b, 0)).toBe(card.amountCents);
    expect(withInterest.sale.changeCents).toBe(0);
    expect(verifySaleTotals(withInterest.sale, serverContext())).toEqual([]);
    expect(withInterest.sale.number).toBe(2);
  });

  it('POS-06 refuses short payments and change from a card, and writes nothing', async () => {
    const f = await setup();
    const short = await expectPosError(
      f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 1000 }] }),
      'rule',
    );
    expect(short.rule?.code).toBe('insufficient_payment');
    const card = await expectPosError(
      f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.debit, principalCents: 2000 }] }),
      'rule',
    );
    expect(card.rule?.code).toBe('non_cash_overpayment');
    expect(await docs(f, 'sales')).toEqual([]);
  });

  it('POS-09 refuses an invalid CPF/CNPJ, an inactive seller and an empty cart', async () => {
    const f = await setup();
    const pay = [{ paymentTypeId: ids.cash, principalCents: 5000 }];
    await expectPosError(f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, customerTaxId: '529.982.247-24', payments: pay }), 'invalid_customer_tax_id');
    await expectPosError(f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: 'loja1-seller-old', payments: pay }), 'unknown_seller');
    await expectPosError(f.pos.recordSale({ lines: [], sellerId: ids.seller, payments: pay }), 'empty_cart');
    const cnpj = await f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, customerTaxId: '11.222.333/0001-81', payments: pay });
    expect(cnpj.sale.customerTaxId).toBe('11222333000181');
  });

  it('POS-01 keeps a station-local running number across a reopened core (reload) and concurrent calls', async () => {
    const f = await setup();
    const draft = { lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 1234 }] };
    const [a, b, c] = await Promise.all([f.pos.recordSale(draft), f.pos.recordSale(draft), f.pos.recordSale(draft)]);
    expect([a.sale.number, b.sale.number, c.sale.number]).toEqual([1, 2, 3]);
    f.pos.dispose();
    const reopened = f.reopen();
    await reopened.ready();
    fixture = { ...f, pos: reopened };
    expect((await reopened.recordSale(draft)).sale.number).toBe(4);
    expect(new Set((await docs<Sale>(f, 'sales')).map((s) => s.id)).size).toBe(4);
  });

  it('POS-01 a sale written through the API with this station\'s id and number 900001 does not move the station\'s counter', async () => {
    const f = await setup();
    const draft = { lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 1234 }] };
    expect((await f.pos.recordSale(draft)).sale.number).toBe(1);
    // What the pull brings down after an integrator posted a sale for this station.
    const first = (await docs<Sale>(f, 'sales'))[0]!;
    await f.db.collections.sales!.insert({ ...first, id: 'api-sale-900001', number: 900_001 });
    expect((await f.pos.recordSale(draft)).sale.number).toBe(2);
    // Also after a reload (the counter is kept, not recomputed from the sales).
    f.pos.dispose();
    const reopened = f.reopen();
    await reopened.ready();
    fixture = { ...f, pos: reopened };
    expect((await reopened.recordSale(draft)).sale.number).toBe(3);
  });

  it('POS-01 a fresh installation of a station continues after the numbers its own audit trail names, not after API records', async () => {
    const f = await setup();
    const draft = { lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 1234 }] };
    for (let i = 0; i < 3; i++) await f.pos.recordSale(draft);
    const first = (await docs<Sale>(f, 'sales'))[0]!;
    await f.db.collections.sales!.insert({ ...first, id: 'api-sale-900001', number: 900_001 });
    // A re-paired device: the sales and audit events come back from the server, the local counter does not.
    await (await f.db.getLocal(`pos-sale-counter-${STATION}`))!.remove();
    f.pos.dispose();
    const reopened = f.reopen();
    await reopened.ready();
    fixture = { ...f, pos: reopened };
    expect((await reopened.recordSale(draft)).sale.number).toBe(4);
  });
});

describe('POS cancellation and exchange', () => {
  async function sold(f: PosFixture) {
    return (
      await f.pos.recordSale({
        lines: [
          { productId: 'p-00001', quantity: 3 },
          { productId: 'p-00005', quantity: 2 },
        ],
        sellerId: ids.seller,
        payments: [{ paymentTypeId: ids.cash, principalCents: 5000 }],
      })
    ).sale;
  }

  it('POS-10 cancels with a financial reason, changing only status and cancellation; a second cancel is refused', async () => {
    const f = await setup();
    const sale = await sold(f);
    const supervisor = await f.pos.authorize(SUPERVISOR_CODE, 'cancel');
    await expectPosError(f.pos.cancelSale(sale.id, ids.cancel), 'needs_supervisor');
    await expectPosError(f.pos.cancelSale(sale.id, '', undefined, supervisor), 'reason_required');
    await expectPosError(f.pos.cancelSale(sale.id, ids.supply, undefined, supervisor), 'invalid_reason');
    const cancelled = await f.pos.cancelSale(sale.id, ids.cancel, 'cliente desistiu', supervisor);
    const { status, cancellation, ...rest } = cancelled;
    const { status: _s, ...before } = sale;
    expect(rest).toEqual(before);
    expect(status).toBe('cancelled');
    expect(cancellation).toMatchObject({ reasonId: ids.cancel, userId: 'u-caixa', note: 'cliente desistiu', supervisorId: SUPERVISOR_ID });
    await expectPosError(f.pos.cancelSale(sale.id, ids.cancel, undefined, supervisor), 'not_finished');
  });

  it('POS-11 an exchange credits what was paid per unit, pays the new sale first, and cannot return more than was sold', async () => {
    const f = await setup();
    const original = await sold(f); // 3 × p-00001 for 2000 (buy 3 pay 2), 2 × p-00005 for 2468
    const returnable = await f.pos.returnable(original.id);
    expect(returnable).toEqual([
      { productId: 'p-00001', soldQuantity: 3, quantity: 3, unitPriceCents: 666, creditLeftCents: 2000 },
      { productId: 'p-00005', soldQuantity: 2, quantity: 2, unitPriceCents: 1234, creditLeftCents: 2468 },
    ]);
    await expectPosError(
      f.pos.recordExchange({ lines: [{ productId: 'p-00004', quantity: 1 }], sellerId: ids.seller, payments: [], exchange: { originalSaleId: original.id, returnedItems: [{ productId: 'p-00005', quantity: 3, unitPriceCents: 1234 }] } }),
      'return_exceeds_sold',
    );
    // The credit is the price paid, whatever unit price the caller sends.
    const { sale } = await f.pos.recordExchange({
      lines: [{ productId: 'p-00003', quantity: 1 }],
      sellerId: ids.seller,
      payments: [{ paymentTypeId: ids.pix, principalCents: 8099 - 1234 }],
      exchange: { originalSaleId: original.id, returnedItems: [{ productId: 'p-00005', quantity: 1, unitPriceCents: 99_999 }] },
    });
    expect(sale.exchange).toEqual({ originalSaleId: original.id, creditCents: 1234, returnedItems: [{ productId: 'p-00005', quantity: 1, unitPriceCents: 1234 }] });
    expect(sale.totalCents).toBe(8099);
    expect(verifySaleTotals(sale, serverContext())).toEqual([]);
    expect((await f.pos.returnable(original.id)).find((l) => l.productId === 'p-00005')?.quantity).toBe(1);
    // An exchange is cancelled as an exchange, with its own reason; afterwards its goods are returnable again.
    const supervisor = await f.pos.authorize(SUPERVISOR_CODE, 'cancel');
    await expectPosError(f.pos.cancelSale(sale.id, ids.cancel, undefined, supervisor), 'is_exchange');
    await expectPosError(f.pos.cancelExchange(original.id, ids.exchange, undefined, supervisor), 'not_exchange');
    const cancelled = await f.pos.cancelExchange(sale.id, ids.exchange, undefined, supervisor);
    expect(cancelled.status).toBe('cancelled');
    expect((await f.pos.returnable(original.id)).find((l) => l.productId === 'p-00005')?.quantity).toBe(2);
  });

  it('POS-11 exchange credit larger than the new sale leaves nothing to pay', async () => {
    const f = await setup();
    const original = await sold(f);
    const { sale, settlement } = await f.pos.recordExchange({
      lines: [{ productId: 'p-00004', quantity: 1 }],
      sellerId: ids.seller,
      payments: [],
      exchange: { originalSaleId: original.id, returnedItems: [{ productId: 'p-00005', quantity: 2, unitPriceCents: 0 }] },
    });
    expect(sale.totalCents).toBe(900);
    expect(settlement.creditLeftCents).toBe(2468 - 900);
    expect(sale.payments).toEqual([]);
  });
});

describe('POS cash and audit', () => {
  it('POS-05 POS-19 cash movements: opening, supply and withdrawal with reasons, closing; order enforced', async () => {
    const f = await setup({ tillOpen: false });
    await expectPosError(f.pos.recordCash('supply', 1000, ids.supply), 'cash_not_open');
    await f.pos.recordCash('opening', 10_000);
    await expectPosError(f.pos.recordCash('opening', 10_000), 'cash_already_open');
    await expectPosError(f.pos.recordCash('supply', 5000), 'reason_required');
    await expectPosError(f.pos.recordCash('withdrawal', 5000, ids.supply), 'invalid_reason');
    await expectPosError(f.pos.recordCash('withdrawal', 0, ids.withdrawal), 'invalid_amount');
    await f.pos.recordCash('supply', 5000, ids.supply);
    await f.pos.recordCash('withdrawal', 3000, ids.withdrawal, 'depósito');
    await f.pos.recordCash('closing', 12_000);
    expect(await f.pos.cashOpen()).toBe(false);
    const movements = await docs<CashMovement>(f, 'cashMovements');
    expect(movements.map((m) => [m.kind, m.amountCents, m.reasonId ?? null]).sort()).toEqual(
      [
        ['opening', 10_000, null],
        ['supply', 5000, ids.supply],
        ['withdrawal', 3000, ids.withdrawal],
        ['closing', 12_000, null],
      ].sort(),
    );
  });

  it('POS-16 writes an audit event for each sale, price override, cancel, exchange, exchange cancel and cash movement', async () => {
    const f = await setup();
    const pay = (cents: number) => [{ paymentTypeId: ids.cash, principalCents: cents }];
    const override = await f.pos.authorize(SUPERVISOR_CODE, 'priceOverride');
    const a = await f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1, priceOverrideCents: 1200 }], sellerId: ids.seller, payments: pay(1200), authorizations: [{ action: 'priceOverride', supervisorId: override.supervisorId, at: override.at }] });
    const b = await f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: pay(1234) });
    const supervisor = await f.pos.authorize(SUPERVISOR_CODE, 'cancel');
    await f.pos.cancelSale(b.sale.id, ids.cancel, undefined, supervisor);
    const ex = await f.pos.recordExchange({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: pay(34), exchange: { originalSaleId: a.sale.id, returnedItems: [{ productId: 'p-00005', quantity: 1, unitPriceCents: 0 }] } });
    await f.pos.cancelExchange(ex.sale.id, ids.exchange, undefined, supervisor);
    await f.pos.recordCash('supply', 100, ids.supply);
    const events = await docs<AuditEvent>(f, 'auditEvents');
    expect(events.map((e) => e.action).sort()).toEqual(['cancel', 'cashOpen', 'cashSupply', 'exchange', 'exchangeCancel', 'priceOverride', 'sale', 'sale'].sort());
    // POS-20: the trail names both users: the cashier who asked and the supervisor who authorised.
    for (const action of ['priceOverride', 'cancel', 'exchangeCancel']) expect(events.find((e) => e.action === action)?.supervisorId, action).toBe(SUPERVISOR_ID);
    for (const event of events) {
      expect(event).toMatchObject({ userId: 'u-caixa', stationId: STATION });
      expect(Date.parse(event.at)).not.toBeNaN();
    }
    expect(events.find((e) => e.action === 'cancel')?.subjectId).toBe(b.sale.id);
    expect(a.sale.items[0]).toMatchObject({ unitPriceCents: 1200, priceOverride: true, listPriceCents: 1234, discountCents: 0 });
  });
});

describe('POS local write failures', () => {
  it.each([
    ['a full disk (QuotaExceededError)', new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'storage_full', /Libere espaço em disco/],
    ['any other write error', new Error('IndexedDB: the connection is closing'), 'storage_failed', /avise o suporte/],
  ])('POS-01 a sale that cannot be written because of %s says so, and only a full disk asks to free space', async (_what, cause, code, text) => {
    const f = await setup();
    const sales = f.db.collections.sales!;
    Object.assign(sales, { insert: () => Promise.reject(cause) });
    await expectPosError(f.pos.recordSale({ lines: [{ productId: 'p-00005', quantity: 1 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 1234 }] }), code);
    expect((posPtBR.errorCodes as Record<string, string>)[code]).toMatch(text);
    expect(await sales.count().exec()).toBe(0);
  });
});
