import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MasterRecord, Sale, SalePayment } from '../../sync/schema/index.ts';
import {
  computeSaleTotals,
  paymentWithCondition,
  priceTableOf,
  settlePayments,
  verifySaleTotals,
  type CartLine,
  type PricingContext,
  type SaleVerificationContext,
} from '../../sync/rules/index.ts';
import { NOW, paymentTypes, products, promotion } from './rules-fixtures.ts';

const promotions = [
  promotion('promo-a', { type: 'percentOff', percentBp: 1000, productGroupIds: ['g-bebidas'] }),
  promotion('promo-b', { type: 'buyXPayY', buyQuantity: 3, payQuantity: 2, productIds: ['p-00002'] }),
];
const context: PricingContext = { products, promotions, at: NOW };
const cart: CartLine[] = [
  { productId: 'p-00001', quantity: 2 },
  { productId: 'p-00002', quantity: 3 },
  { productId: 'p-00003', quantity: 1, manualDiscountCents: 50 },
  { productId: 'p-00004', quantity: 1 },
];
const serverContext: SaleVerificationContext = { products, promotions, masterdata: paymentTypes };

function totalsOrThrow(lines: CartLine[], ctx: PricingContext = context, saleDiscount = 0) {
  const result = computeSaleTotals(lines, ctx, saleDiscount);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function saleOf(lines: CartLine[], payments: SalePayment[], saleDiscount = 0, exchangeCredit = 0): Sale {
  const totals = totalsOrThrow(lines, context, saleDiscount);
  const settled = settlePayments({ totalCents: totals.totalCents, exchangeCreditCents: exchangeCredit, payments, paymentTypes });
  if (!settled.ok) throw new Error(settled.error.message);
  return {
    id: 'sale-1', stationId: 'cx01', number: 1, userId: 'caixa', sellerId: 'seller-1', createdAt: NOW, status: 'finished',
    ...totals, payments, changeCents: settled.value.changeCents,
    ...(exchangeCredit > 0
      ? { exchange: { originalSaleId: 'sale-0', creditCents: exchangeCredit, returnedItems: [{ productId: 'p-00004', quantity: exchangeCredit / 100, unitPriceCents: 100 }] } }
      : {}),
  };
}

describe('sale totals (POS-09)', () => {
  it('POS-09 POS-17 promotions, a line discount and a whole-sale discount add up to the cent', () => {
    const totals = totalsOrThrow(cart, context, 100);
    expect(totals.items).toEqual([
      // manualDiscountCents: the cashier's part (the line's 50 and each line's share of the sale's 100), POS-20.
      { productId: 'p-00001', quantity: 2, unitPriceCents: 1000, discountCents: 240, totalCents: 1760, promotionId: 'promo-a', manualDiscountCents: 40 },
      { productId: 'p-00002', quantity: 3, unitPriceCents: 350, discountCents: 365, totalCents: 685, promotionId: 'promo-b', manualDiscountCents: 15 },
      { productId: 'p-00003', quantity: 1, unitPriceCents: 1999, discountCents: 288, totalCents: 1711, promotionId: 'promo-a', manualDiscountCents: 88 },
      { productId: 'p-00004', quantity: 1, unitPriceCents: 300, discountCents: 7, totalCents: 293, manualDiscountCents: 7 },
    ]);
    expect(totals).toMatchObject({ subtotalCents: 5349, discountCents: 900, totalCents: 4449 });
  });

  it('POS-08 uses the station group price table, and a typed price skips promotions', () => {
    const group: MasterRecord = { id: 'sg-centro', kind: 'stationGroup', code: 'GC', name: 'Grupo Centro', active: true, priceTable: [{ productId: 'p-00001', priceCents: 899 }] };
    const totals = totalsOrThrow([{ productId: 'p-00001', quantity: 1 }, { productId: 'p-00003', quantity: 1, priceOverrideCents: 1500 }], { ...context, priceTable: priceTableOf(group) });
    expect(totals.items).toEqual([
      { productId: 'p-00001', quantity: 1, unitPriceCents: 899, discountCents: 90, totalCents: 809, promotionId: 'promo-a' },
      { productId: 'p-00003', quantity: 1, unitPriceCents: 1500, discountCents: 0, totalCents: 1500, priceOverride: true, listPriceCents: 1999 },
    ]);
  });

  it('POS-09 refuses unknown products and discounts larger than the line or the sale', () => {
    const unknown = computeSaleTotals([{ productId: 'p-99999', quantity: 1 }], context);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_product', params: { line: 1 } } });
    const tooMuch = computeSaleTotals([{ productId: 'p-00004', quantity: 1, manualDiscountCents: 301 }], context);
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'line_discount_too_large' } });
    expect(!tooMuch.ok && tooMuch.error.message).toMatch(/R\$ 3,01 is more than the line's R\$ 3,00\. Lower the discount/);
    expect(computeSaleTotals([{ productId: 'p-00004', quantity: 1 }], context, 301)).toMatchObject({ ok: false, error: { code: 'sale_discount_too_large' } });
    expect(computeSaleTotals([{ productId: 'p-00004', quantity: 0 }], context)).toMatchObject({ ok: false, error: { code: 'invalid_line' } });
  });
});

describe('payments (POS-06) and exchange credit (POS-11)', () => {
  const pay = (paymentTypeId: string, amountCents: number): SalePayment => ({ paymentTypeId, amountCents });

  it('POS-06 change only comes from cash', () => {
    expect(settlePayments({ totalCents: 4449, payments: [pay('pt-cash', 5000)], paymentTypes })).toMatchObject({ ok: true, value: { dueCents: 4449, changeCents: 551 } });
    expect(settlePayments({ totalCents: 4449, payments: [pay('pt-debit', 2449), pay('pt-cash', 2100)], paymentTypes })).toMatchObject({ ok: true, value: { changeCents: 100, cashCents: 2100 } });
    expect(settlePayments({ totalCents: 4449, payments: [pay('pt-debit', 5000)], paymentTypes })).toMatchObject({ ok: false, error: { code: 'non_cash_overpayment' } });
    expect(settlePayments({ totalCents: 4449, payments: [pay('pt-pix', 2000), pay('pt-cash', 2000)], paymentTypes })).toMatchObject({ ok: false, error: { code: 'insufficient_payment', params: { missingCents: 449 } } });
    expect(settlePayments({ totalCents: 100, payments: [pay('pt-gift', 100)], paymentTypes })).toMatchObject({ ok: false, error: { code: 'unknown_payment_type' } });
  });

  it('POS-06 an installment condition with interest charges the interest on top, the principal pays the sale', () => {
    const { payment, installmentAmounts } = paymentWithCondition(4449, 'pt-credit', paymentTypes.get('pc-6x'));
    expect(payment).toEqual({ paymentTypeId: 'pt-credit', paymentConditionId: 'pc-6x', installments: 6, amountCents: 4764, interestCents: 315 });
    expect(installmentAmounts).toEqual([794, 794, 794, 794, 794, 794]);
    expect(settlePayments({ totalCents: 4449, payments: [payment], paymentTypes })).toMatchObject({ ok: true, value: { paidCents: 4449, interestCents: 315, changeCents: 0 } });
    expect(paymentWithCondition(1000, 'pt-credit', paymentTypes.get('pc-3x')).installmentAmounts).toEqual([334, 333, 333]);
  });

  it('POS-11 exchange credit reduces what is due; credit beyond the total is left over, not change', () => {
    expect(settlePayments({ totalCents: 4449, exchangeCreditCents: 1000, payments: [pay('pt-cash', 3500)], paymentTypes })).toMatchObject({ ok: true, value: { dueCents: 3449, changeCents: 51, creditLeftCents: 0 } });
    expect(settlePayments({ totalCents: 4449, exchangeCreditCents: 5000, payments: [], paymentTypes })).toMatchObject({ ok: true, value: { dueCents: 0, changeCents: 0, creditLeftCents: 551 } });
    expect(settlePayments({ totalCents: 4449, exchangeCreditCents: 5000, payments: [pay('pt-debit', 1)], paymentTypes })).toMatchObject({ ok: false, error: { code: 'non_cash_overpayment' } });
  });
});

describe('server recomputation: verifySaleTotals (POS-09, POS-17)', () => {
  const honest = () => saleOf(cart, [pay6x(), { paymentTypeId: 'pt-cash', amountCents: 1000 }], 100, 0);
  function pay6x(): SalePayment {
    return paymentWithCondition(3449, 'pt-credit', paymentTypes.get('pc-6x')).payment;
  }

  it('POS-09 a sale the station computed checks out on the server', () => {
    expect(verifySaleTotals(honest(), serverContext)).toEqual([]);
    expect(verifySaleTotals(saleOf(cart, [{ paymentTypeId: 'pt-cash', amountCents: 3500 }], 0, 1200), serverContext)).toEqual([]);
  });

  it('POS-09 reports arithmetic that does not add up', () => {
    const sale = honest();
    sale.items[0] = { ...sale.items[0]!, totalCents: sale.items[0]!.totalCents - 1 };
    sale.changeCents += 5;
    const fields = verifySaleTotals(sale, serverContext).map((m) => [m.kind, m.field]);
    expect(fields).toEqual([
      ['arithmetic', '/items/0/totalCents'],
      ['arithmetic', '/totalCents'],
      ['arithmetic', '/changeCents'],
    ]);
  });

  it('POS-17 POS-08 reports prices and promotions that differ from the server master data', () => {
    const moved = new Map(products);
    moved.set('p-00004', { ...products.get('p-00004')!, priceCents: 320 });
    const mismatches = verifySaleTotals(honest(), { ...serverContext, products: moved, promotions: [promotions[0]!] });
    expect(mismatches.map((m) => [m.kind, m.field, m.expected, m.actual])).toEqual([
      ['masterData', '/items/1/promotionId', null, 'promo-b'],
      ['masterData', '/items/3/unitPriceCents', 320, 300],
    ]);
  });

  it('POS-06 POS-11 reports payments and interest that do not settle the sale', () => {
    const short = honest();
    short.payments = [{ paymentTypeId: 'pt-cash', amountCents: 100 }];
    short.changeCents = 0;
    expect(verifySaleTotals(short, serverContext)).toMatchObject([{ kind: 'payment', field: '/payments' }]);
    const cheapInterest = honest();
    cheapInterest.payments[0] = { ...cheapInterest.payments[0]!, interestCents: 1, amountCents: 3450 };
    expect(verifySaleTotals(cheapInterest, serverContext)).toMatchObject([{ kind: 'arithmetic', field: '/payments/0/interestCents' }]);
    const credit = saleOf(cart, [{ paymentTypeId: 'pt-cash', amountCents: 3500 }], 0, 1200);
    credit.exchange!.creditCents = 5000;
    expect(verifySaleTotals(credit, serverContext).map((m) => m.field)).toContain('/exchange/creditCents');
  });
});

const lineArb: fc.Arbitrary<CartLine> = fc.record(
  {
    productId: fc.constantFrom(...products.keys()),
    quantity: fc.integer({ min: 1, max: 50 }),
    // Every fixture price is ≥ R$ 3,00 and no fixture promotion is 100 %, so these lines are all valid.
    priceOverrideCents: fc.integer({ min: 300, max: 100_000 }),
    manualDiscountCents: fc.integer({ min: 0, max: 200 }),
  },
  { requiredKeys: ['productId', 'quantity'] },
);

describe('sale total properties (POS-09)', () => {
  it('POS-09 totals are the sum of the lines, no line is negative, and the server agrees', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), fc.subarray(promotions), fc.double({ min: 0, max: 1, noNaN: true }), (lines, promos, share) => {
        const ctx = { ...context, promotions: promos };
        const plain = computeSaleTotals(lines, ctx);
        if (!plain.ok) throw new Error(plain.error.message);
        const saleDiscount = Math.floor(plain.value.totalCents * share);
        const result = computeSaleTotals(lines, ctx, saleDiscount);
        if (!result.ok) throw new Error(result.error.message);
        const { items, subtotalCents, discountCents, totalCents } = result.value;
        const sum = (pick: (i: (typeof items)[number]) => number) => items.reduce((acc, i) => acc + pick(i), 0);
        expect(subtotalCents).toBe(sum((i) => i.unitPriceCents * i.quantity));
        expect(discountCents).toBe(sum((i) => i.discountCents));
        expect(totalCents).toBe(sum((i) => i.totalCents));
        expect(totalCents).toBe(subtotalCents - discountCents);
        expect(totalCents).toBe(plain.value.totalCents - saleDiscount);
        for (const item of items) expect(item.totalCents).toBeGreaterThanOrEqual(0);

        const sale: Sale = {
          id: 's', stationId: 'cx01', number: 1, userId: 'caixa', sellerId: 'v', createdAt: NOW, status: 'finished',
          ...result.value, payments: [{ paymentTypeId: 'pt-cash', amountCents: totalCents + 37 }], changeCents: 37,
        };
        expect(verifySaleTotals(sale, { ...serverContext, promotions: promos })).toEqual([]);
      }),
    );
  });
});
