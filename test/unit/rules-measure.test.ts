import { describe, expect, it } from 'vitest';
import type { Product, Sale } from '../../sync/schema/index.ts';
import {
  computeSaleTotals,
  formatUnitQuantity,
  lineAmountCents,
  parseScaleLabel,
  parseUnitQuantity,
  promotionDiscountCents,
  scaleLabel,
  settlePayments,
  verifySaleTotals,
  type PricingContext,
} from '../../sync/rules/index.ts';
import { parseScan, scanQuantity } from '../../renderer/core/pos/quantity.ts';
import { NOW, paymentTypes, product, promotion } from './rules-fixtures.ts';

const cheese: Product = { ...product('p-queijo', 'g-frios', 4990), unit: 'KG', stock: 5000 };
const rope: Product = { ...product('p-corda', 'g-ferragens', 350), unit: 'M' };
const products = new Map<string, Product>([cheese, rope, product('p-00001', 'g-bebidas', 1000)].map((p) => [p.id, p]));
const context: PricingContext = { products, promotions: [], at: NOW };

describe('goods sold by weight or length (POS-22)', () => {
  it('POS-22 a measured line is price per kg × grams ÷ 1000, rounded half-up to the cent; counted lines never round', () => {
    expect(lineAmountCents(1099, 333, 'KG')).toBe(366); // 365.967
    expect(lineAmountCents(5, 500, 'KG')).toBe(3); // 2.5 → 3 (half-up; half-even would give 2)
    expect(lineAmountCents(1, 499, 'KG')).toBe(0); // 0.499 → 0
    expect(lineAmountCents(4990, 350, 'KG')).toBe(1747); // 1746.5 → 1747
    expect(lineAmountCents(350, 2500, 'M')).toBe(875);
    expect(lineAmountCents(1099, 333)).toBe(1099 * 333);
    expect(() => lineAmountCents(100, 1.5, 'KG')).toThrow(RangeError);
  });

  it('POS-22 quantities are typed in the unit (comma or point, up to 3 decimals) and stored in its smallest step', () => {
    expect(parseUnitQuantity('0,350', 'KG')).toBe(350);
    expect(parseUnitQuantity('1.5', 'M')).toBe(1500);
    expect(parseUnitQuantity('2', 'L')).toBe(2000);
    expect(parseUnitQuantity('0,001', 'KG')).toBe(1);
    for (const text of ['0', '0,000', '0,0004', '-1', '1,2,3', '', 'abc', '1e3']) expect(parseUnitQuantity(text, 'KG'), text).toBeNull();
    expect(parseUnitQuantity('1,5', 'UN')).toBeNull();
    expect(parseUnitQuantity('3', 'UN')).toBe(3);
    expect(formatUnitQuantity(350, 'KG')).toBe('0,350');
    expect(formatUnitQuantity(1500, 'M', 'en')).toBe('1.500');
  });

  it('POS-22 the scan field: "0,350*" and "2*" give grams of a KG product; a bare code of one asks for the weight; decimals of a unit product are refused', () => {
    expect(scanQuantity(parseScan('0,350*p-queijo'), 'KG')).toEqual({ ok: true, quantity: 350 });
    expect(scanQuantity(parseScan('2*p-queijo'), 'KG')).toEqual({ ok: true, quantity: 2000 });
    expect(scanQuantity(parseScan('1.25x p-corda'), 'M')).toEqual({ ok: true, quantity: 1250 });
    expect(scanQuantity(parseScan('p-queijo'), 'KG')).toEqual({ ok: false, problem: 'weightNeeded' });
    expect(scanQuantity(parseScan('1,5*p-00001'), 'UN')).toEqual({ ok: false, problem: 'invalid' });
    expect(scanQuantity(parseScan('0,000*p-queijo'), 'KG')).toEqual({ ok: false, problem: 'invalid' });
    expect(scanQuantity(parseScan('1001*p-queijo'), 'KG')).toEqual({ ok: false, problem: 'invalid' }); // over 1,000 kg
    expect(scanQuantity(parseScan('3*p-00001'), 'UN')).toEqual({ ok: true, quantity: 3 });
  });

  it('POS-22 a scale label carries product code and grams, and a wrong check digit is refused', () => {
    const label = scaleLabel('123', 350);
    expect(label).toMatch(/^200123000350\d$/);
    expect(parseScaleLabel(label)).toEqual({ productCode: '00123', quantity: 350 });
    const wrong = `${label.slice(0, 12)}${(Number(label[12]) + 1) % 10}`;
    expect(parseScaleLabel(wrong)).toBeNull();
    expect(parseScaleLabel('7890010000421')).toBeNull();
    expect(parseScaleLabel(scaleLabel('123', 0).replace(/./, '2'))).toBeNull();
  });

  it('POS-22 sale totals carry the unit, and the server recomputes the same amounts', () => {
    const result = computeSaleTotals([{ productId: 'p-queijo', quantity: 350 }, { productId: 'p-corda', quantity: 2500 }, { productId: 'p-00001', quantity: 2 }], context);
    if (!result.ok) throw new Error(result.error.message);
    const totals = result.value;
    expect(totals.items.map((item) => [item.unit, item.totalCents])).toEqual([['KG', 1747], ['M', 875], [undefined, 2000]]);
    expect(totals.totalCents).toBe(1747 + 875 + 2000);
    const payments = [{ paymentTypeId: 'pt-cash', amountCents: 5000 }];
    const settled = settlePayments({ totalCents: totals.totalCents, payments, paymentTypes });
    if (!settled.ok) throw new Error(settled.error.message);
    const sale: Sale = { id: 's1', stationId: 'cx01', number: 1, userId: 'u', sellerId: 'v', createdAt: NOW, status: 'finished', ...totals, payments, changeCents: settled.value.changeCents };
    const serverContext = { products, promotions: [], masterdata: paymentTypes };
    expect(verifySaleTotals(sale, serverContext)).toEqual([]);
    // A line that claims 1 kg for the price of 350 g does not add up.
    const tampered = { ...sale, items: sale.items.map((item, index) => (index === 0 ? { ...item, quantity: 1000 } : item)) };
    expect(verifySaleTotals(tampered, serverContext).map((m) => [m.kind, m.field])).toContainEqual(['arithmetic', '/items/0/totalCents']);
    // A line of a KG product without its unit reads as whole units: the server names the difference.
    const { unit: _unit, ...unitless } = sale.items[0]!;
    const noUnit = { ...sale, items: [unitless, ...sale.items.slice(1)] };
    expect(verifySaleTotals(noUnit, serverContext).map((m) => [m.kind, m.field])).toContainEqual(['masterData', '/items/0/unit']);
  });

  it('POS-22 POS-17 promotions on measured goods: percent and amount per kg apply to the weighed amount; buy X pay Y does not apply', () => {
    expect(promotionDiscountCents({ type: 'percentOff', percentBp: 1000 }, 4990, 350, 'KG')).toBe(175); // 10 % of 1747 = 174.7
    expect(promotionDiscountCents({ type: 'amountOff', amountCents: 1000 }, 4990, 350, 'KG')).toBe(350);
    expect(promotionDiscountCents({ type: 'buyXPayY', buyQuantity: 3, payQuantity: 2 }, 4990, 3000, 'KG')).toBe(0);
    const withPromo = computeSaleTotals([{ productId: 'p-queijo', quantity: 350 }], { ...context, promotions: [promotion('promo-frios', { type: 'percentOff', percentBp: 1000, productGroupIds: ['g-frios'] })] });
    if (!withPromo.ok) throw new Error(withPromo.error.message);
    expect(withPromo.value.items[0]).toMatchObject({ unit: 'KG', discountCents: 175, totalCents: 1747 - 175, promotionId: 'promo-frios' });
  });
});
