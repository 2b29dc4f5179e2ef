import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MasterRecord, Promotion, SaleItem } from '../../sync/schema/index.ts';
import { applyPromotions, priceTableOf, promotionDiscountCents, promotionPicker, unitPriceOf } from '../../sync/rules/index.ts';
import { NOW, product, products, promotion } from './rules-fixtures.ts';

const item = (productId: string, quantity: number, unitPriceCents: number, extra: Partial<SaleItem> = {}): SaleItem => ({
  productId,
  quantity,
  unitPriceCents,
  discountCents: 0,
  totalCents: unitPriceCents * quantity,
  ...extra,
});

const tenPercentDrinks = promotion('promo-a', { type: 'percentOff', percentBp: 1000, productGroupIds: ['g-bebidas'] });
const leve3pague2 = promotion('promo-b', { type: 'buyXPayY', buyQuantity: 3, payQuantity: 2, productIds: ['p-00002'] });
const fiveOffCleaning = promotion('promo-c', { type: 'amountOff', amountCents: 500, productGroupIds: ['g-limpeza'] });

describe('promotions (POS-17)', () => {
  it('POS-17 percent off a group, buy 3 pay 2, amount off never below zero', () => {
    const out = applyPromotions(
      [item('p-00001', 2, 1000), item('p-00002', 7, 350), item('p-00004', 2, 300)],
      products,
      [tenPercentDrinks, leve3pague2, fiveOffCleaning],
      { at: NOW },
    );
    expect(out).toEqual([
      item('p-00001', 2, 1000, { discountCents: 200, totalCents: 1800, promotionId: 'promo-a' }),
      item('p-00002', 7, 350, { discountCents: 700, totalCents: 1750, promotionId: 'promo-b' }),
      item('p-00004', 2, 300, { discountCents: 600, totalCents: 0, promotionId: 'promo-c' }),
    ]);
  });

  it('POS-17 buy X pay Y only counts full groups of X units on the line', () => {
    const promo: Promotion = { type: 'buyXPayY', buyQuantity: 3, payQuantity: 2 };
    expect(promotionDiscountCents(promo, 350, 2)).toBe(0);
    expect(promotionDiscountCents(promo, 350, 3)).toBe(350);
    expect(promotionDiscountCents(promo, 350, 6)).toBe(700);
    expect(promotionDiscountCents({ type: 'buyXPayY', buyQuantity: 2, payQuantity: 2 }, 350, 6)).toBe(0);
  });

  it('POS-17 picks the best promotion for the customer; a tie goes to the smallest id', () => {
    const fifteenOff = promotion('promo-z', { type: 'amountOff', amountCents: 150, productIds: ['p-00001'] });
    const pick = promotionPicker([tenPercentDrinks, fifteenOff], { at: NOW });
    expect(pick(products.get('p-00001')!, 1000, 1)).toEqual({ promotionId: 'promo-z', discountCents: 150 });
    const sameAsTen = promotion('promo-0', { type: 'amountOff', amountCents: 100, productIds: ['p-00001'] });
    expect(promotionPicker([tenPercentDrinks, sameAsTen], { at: NOW })(products.get('p-00001')!, 1000, 1)).toEqual({ promotionId: 'promo-0', discountCents: 100 });
    expect(promotionPicker([sameAsTen, tenPercentDrinks], { at: NOW })(products.get('p-00001')!, 1000, 1)?.promotionId).toBe('promo-0');
  });

  it('POS-17 respects the period [startsAt, endsAt), active flag and record kind', () => {
    const november = promotion('promo-nov', { type: 'percentOff', percentBp: 2000, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' });
    const pick = (at: string, promos: MasterRecord[] = [november]) => promotionPicker(promos, { at })(products.get('p-00003')!, 1999, 1);
    expect(pick('2026-11-01T00:00:00.000Z')?.promotionId).toBe('promo-nov');
    expect(pick('2026-11-30T23:59:59.999Z')?.promotionId).toBe('promo-nov');
    expect(pick('2026-12-01T00:00:00.000Z')).toBeUndefined();
    expect(pick('2026-10-31T23:59:59.999Z')).toBeUndefined();
    // Offsets are compared as instants, not as strings.
    expect(pick('2026-11-30T22:00:00-03:00')).toBeUndefined();
    expect(pick(NOW, [{ ...november, active: false }])).toBeUndefined();
    expect(pick(NOW, [{ ...november, kind: 'seller' }])).toBeUndefined();
    expect(() => pick('yesterday')).toThrow(RangeError);
  });

  it('POS-08 POS-17 promotions limited to station groups only run on their stations', () => {
    const centro = promotion('promo-centro', { type: 'percentOff', percentBp: 5000, stationGroupIds: ['sg-centro'] });
    const at = (stationGroupId?: string) => promotionPicker([centro], { at: NOW, stationGroupId })(products.get('p-00001')!, 1000, 1);
    expect(at('sg-centro')?.discountCents).toBe(500);
    expect(at('sg-norte')).toBeUndefined();
    expect(at(undefined)).toBeUndefined();
  });

  it('POS-17 a hand-typed price gets no promotion', () => {
    const [line] = applyPromotions([item('p-00001', 1, 900, { priceOverride: true })], products, [tenPercentDrinks], { at: NOW });
    expect(line).toEqual(item('p-00001', 1, 900, { priceOverride: true }));
  });

  it('POS-08 the station group price table overrides the catalogue price', () => {
    const group: MasterRecord = { id: 'sg-centro', kind: 'stationGroup', code: 'GC', name: 'Grupo Centro', active: true, priceTable: [{ productId: 'p-00001', priceCents: 899 }] };
    const table = priceTableOf(group);
    expect(unitPriceOf(products.get('p-00001')!, table)).toBe(899);
    expect(unitPriceOf(products.get('p-00002')!, table)).toBe(350);
    expect(unitPriceOf(products.get('p-00001')!)).toBe(1000);
    expect(unitPriceOf(products.get('p-00001')!, priceTableOf({ ...group, active: false }))).toBe(1000);
    expect(unitPriceOf(products.get('p-00001')!, priceTableOf(undefined))).toBe(1000);
  });
});

const productIds = [...products.keys()];
const groupIds = ['g-bebidas', 'g-mercearia', 'g-limpeza'];
const instants = ['2026-11-01T00:00:00Z', '2026-11-23T12:00:00Z', '2026-12-01T00:00:00Z'];
const promotionArb: fc.Arbitrary<Promotion> = fc.record(
  {
    type: fc.constantFrom('percentOff', 'amountOff', 'buyXPayY'),
    // Round values make equal discounts (ties) common, which is what order independence is about.
    percentBp: fc.oneof(fc.constantFrom(0, 1000, 2500, 5000, 10_000), fc.integer({ min: 0, max: 10_000 })),
    amountCents: fc.oneof(fc.constantFrom(0, 100, 250, 500, 5000), fc.integer({ min: 0, max: 5000 })),
    buyQuantity: fc.integer({ min: 1, max: 6 }),
    payQuantity: fc.integer({ min: 0, max: 6 }),
    productIds: fc.subarray(productIds),
    productGroupIds: fc.subarray(groupIds),
    stationGroupIds: fc.subarray(['sg-centro', 'sg-norte']),
    startsAt: fc.constantFrom(...instants),
    endsAt: fc.constantFrom(...instants),
  },
  { requiredKeys: ['type'] },
);
/** Store-wide promotions with round values: many apply to the same line with equal discounts. */
const unscopedPromotionArb: fc.Arbitrary<Promotion> = fc.record({
  type: fc.constantFrom('percentOff', 'amountOff', 'buyXPayY'),
  percentBp: fc.constantFrom(1000, 5000, 10_000),
  amountCents: fc.constantFrom(100, 500, 5000),
  buyQuantity: fc.constantFrom(2, 3),
  payQuantity: fc.constantFrom(1, 2),
});
const promotionsArb = fc
  .array(fc.tuple(fc.oneof(promotionArb, unscopedPromotionArb), fc.boolean()), { maxLength: 8 })
  .map((list) => list.map(([promo, active], index) => promotion(`promo-${index}`, promo, active)));
const itemsArb = fc.array(
  fc.record({ productId: fc.constantFrom(...productIds), quantity: fc.integer({ min: 1, max: 20 }), unitPriceCents: fc.oneof(fc.constantFrom(0, 1000, 2500, 5000), fc.integer({ min: 0, max: 100_000 })) }),
  { minLength: 1, maxLength: 10 },
);
const stationGroupArb = fc.constantFrom(undefined, 'sg-centro', 'sg-norte');

describe('promotion properties (POS-17)', () => {
  it('POS-17 a promotion never makes a line negative or more expensive', () => {
    fc.assert(
      fc.property(promotionArb, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), (promo, unit, quantity) => {
        const discount = promotionDiscountCents(promo, unit, quantity);
        expect(Number.isInteger(discount)).toBe(true);
        expect(discount).toBeGreaterThanOrEqual(0);
        expect(discount).toBeLessThanOrEqual(unit * quantity);
      }),
    );
    fc.assert(
      fc.property(itemsArb, promotionsArb, stationGroupArb, (lines, promos, stationGroupId) => {
        const out = applyPromotions(lines.map((l) => item(l.productId, l.quantity, l.unitPriceCents)), products, promos, { at: NOW, stationGroupId });
        out.forEach((line, i) => {
          const gross = lines[i]!.unitPriceCents * lines[i]!.quantity;
          expect(line.totalCents).toBeGreaterThanOrEqual(0);
          expect(line.totalCents).toBeLessThanOrEqual(gross);
          expect(line.totalCents + line.discountCents).toBe(gross);
        });
      }),
    );
  });

  it('POS-17 applying promotions does not depend on their order', () => {
    fc.assert(
      fc.property(
        itemsArb,
        promotionsArb.chain((promos) => fc.tuple(fc.constant(promos), fc.shuffledSubarray(promos, { minLength: promos.length, maxLength: promos.length }))),
        stationGroupArb,
        (lines, [promos, shuffled], stationGroupId) => {
          const items = lines.map((l) => item(l.productId, l.quantity, l.unitPriceCents));
          const scope = { at: NOW, stationGroupId };
          expect(applyPromotions(items, products, shuffled, scope)).toEqual(applyPromotions(items, products, promos, scope));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('POS-17 the chosen promotion is at least as good as every applicable one', () => {
    fc.assert(
      fc.property(promotionsArb, fc.integer({ min: 1, max: 20 }), (promos, quantity) => {
        const p = product('p-x', 'g-bebidas', 777);
        const chosen = promotionPicker(promos, { at: NOW })(p, 777, quantity);
        for (const promo of promos) {
          const alone = promotionPicker([promo], { at: NOW })(p, 777, quantity);
          expect(chosen?.discountCents ?? 0).toBeGreaterThanOrEqual(alone?.discountCents ?? 0);
        }
      }),
    );
  });
});
