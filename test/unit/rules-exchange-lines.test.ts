/** What an exchange may give back of a sale and at what credit, shared by station and server (sync/rules/exchange-lines.ts). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Sale } from '../../sync/schema/index.ts';
import { lineAmountCents, returnedCreditCents, returnsLeft, returnUnitPriceCents } from '../../sync/rules/index.ts';

/** null: counted goods (a default parameter would take undefined for 'KG'). */
type Unit = 'KG' | null;

const saleOf = (quantity: number, totalCents: number, unit: Unit = 'KG'): Sale =>
  ({ id: 'orig', items: [{ productId: 'p', quantity, ...(unit ? { unit } : {}), unitPriceCents: 0, discountCents: 0, totalCents }] }) as unknown as Sale;

const exchangeOf = (id: string, item: { quantity: number; unit?: 'KG'; unitPriceCents: number }, status: Sale['status'] = 'finished', originalSaleId = 'orig'): Sale =>
  ({ id, status, exchange: { originalSaleId, creditCents: returnedCreditCents(item), returnedItems: [{ productId: 'p', ...item }] } }) as unknown as Sale;

/** An up-to-date station returning `quantities` of the sale's product, one exchange each, knowing every earlier one. */
function returnOneByOne(sale: Sale, quantities: readonly number[], unit: Unit = 'KG'): { exchanges: Sale[]; credits: number[] } {
  const exchanges: Sale[] = [];
  for (const [index, quantity] of quantities.entries()) {
    const left = returnsLeft(sale, exchanges).get('p')!;
    exchanges.push(exchangeOf(`ex-${index}`, { quantity, ...(unit ? { unit } : {}), unitPriceCents: returnUnitPriceCents(left, quantity) }));
  }
  return { exchanges, credits: exchanges.map((exchange) => exchange.exchange!.creditCents) };
}

describe('exchange lines rule', () => {
  it('POS-11 POS-21 three exchanges of 1 g of a sale of 3 g paid 119 cents credit 40 + 40 + 39, never more than was paid', () => {
    const sale = saleOf(3, 119);
    expect(returnsLeft(sale, []).get('p')).toMatchObject({ unitPriceCents: 39_666, paidCents: 119, quantityLeft: 3, creditLeftCents: 119 });
    const { exchanges, credits } = returnOneByOne(sale, [1, 1, 1]);
    expect(credits).toEqual([40, 40, 39]);
    // The last line's price is lowered only as far as the cap needs; the earlier ones keep what was paid.
    expect(exchanges.map((exchange) => exchange.exchange!.returnedItems[0]!.unitPriceCents)).toEqual([39_666, 39_666, 39_499]);
    expect(returnsLeft(sale, exchanges).get('p')).toMatchObject({ quantityLeft: 0, creditLeftCents: 0 });
  });

  it('POS-11 only finished exchanges of the sale count: a cancelled one, or one of another sale, gives nothing back', () => {
    const sale = saleOf(3, 119);
    const taken = exchangeOf('a', { quantity: 2, unit: 'KG', unitPriceCents: 39_666 });
    const others = [exchangeOf('b', { quantity: 1, unit: 'KG', unitPriceCents: 39_666 }, 'cancelled'), exchangeOf('c', { quantity: 1, unit: 'KG', unitPriceCents: 39_666 }, 'finished', 'other')];
    expect(returnsLeft(sale, [taken, ...others]).get('p')).toMatchObject({ quantityLeft: 1, creditLeftCents: 119 - 79 });
  });

  it('POS-11 counted goods never round, so their credit is never capped below the price paid per unit', () => {
    const sale = saleOf(3, 2000, null); // buy 3 pay 2: 666 per unit
    const { exchanges, credits } = returnOneByOne(sale, [1, 1, 1], null);
    expect(credits).toEqual([666, 666, 666]);
    expect(exchanges.every((exchange) => exchange.exchange!.returnedItems[0]!.unitPriceCents === 666)).toBe(true);
  });

  it('POS-11 POS-22 however a sale comes back over its exchanges, the credits add up to at most what was paid, each line as much as the cap allows', () => {
    const returns = fc
      .record({ paid: fc.integer({ min: 0, max: 500_000 }), grams: fc.integer({ min: 1, max: 5_000 }), cuts: fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 30 }) })
      .map(({ paid, grams, cuts }) => {
        // Any total paid for the grams (discounts, promotions); the sale's quantity split into returns of the sizes drawn, the rest in one last return.
        const quantities: number[] = [];
        let left = grams;
        for (const cut of cuts) {
          if (left === 0) break;
          const quantity = Math.min(cut, left);
          quantities.push(quantity);
          left -= quantity;
        }
        if (left > 0) quantities.push(left);
        return { paid, grams, quantities };
      });
    fc.assert(
      fc.property(returns, ({ paid, grams, quantities }) => {
        const sale = saleOf(grams, paid);
        const { exchanges, credits } = returnOneByOne(sale, quantities);
        expect(credits.reduce((sum, credit) => sum + credit, 0)).toBeLessThanOrEqual(paid);
        const paidPerKg = returnsLeft(sale, []).get('p')!.unitPriceCents;
        for (const [index, quantity] of quantities.entries()) {
          const left = returnsLeft(sale, exchanges.slice(0, index)).get('p')!.creditLeftCents;
          const wanted = Math.min(lineAmountCents(paidPerKg, quantity, 'KG'), left);
          // Under a kilogram every cent is reachable by price; above it, a cent of price moves the credit by more.
          expect(credits[index]).toBeLessThanOrEqual(wanted);
          expect(credits[index]).toBeGreaterThan(wanted - Math.max(1, Math.ceil(quantity / 1000)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
