/**
 * A whole-sale discount of exactly the store's bound (POS-20, issue 15): spread over the lines, each
 * line's rounded share must stay within that line's own bound, so the sale is accepted and the
 * discount given is exactly what the cashier typed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Product } from '../../sync/schema/index.ts';
import { authorizationIssues, computeSaleTotals, percentOfCents, spreadWithinCaps, sumCents } from '../../sync/rules/index.ts';
import { NOW, product } from './rules-fixtures.ts';

const AUTHORIZED = [{ action: 'discount' as const, supervisorId: 'sup', at: NOW }];

describe('sale discount at the store bound', () => {
  it('POS-20 two lines of R$ 0,15 and a 10 % bound: the R$ 0,03 maximum is accepted (rounding each line alone refused it)', () => {
    const products = new Map<string, Product>([product('a', 'g', 15), product('b', 'g', 15)].map((p) => [p.id, p]));
    const lines = [{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 1 }];
    const max = percentOfCents(30, 1000);
    expect(max).toBe(3);
    const totals = computeSaleTotals(lines, { products, promotions: [], at: NOW }, max, 1000);
    expect(totals.ok && totals.value.discountCents).toBe(3);
    expect(totals.ok && authorizationIssues({ items: totals.value.items, authorizations: AUTHORIZED }, { stockPolicy: 'warn', sellerPolicy: 'ask', maxManualDiscountBp: 1000 })).toEqual([]);
  });

  it('POS-20 any lines, any bound: a sale discount of exactly the bound is spread to the cent and no line passes its own bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 10_000 }),
        (lines, bound) => {
          const products = new Map<string, Product>(lines.map(([price], index) => [`p${index}`, product(`p${index}`, 'g', price)]));
          const cart = lines.map(([, quantity], index) => ({ productId: `p${index}`, quantity }));
          const gross = sumCents(lines.map(([price, quantity]) => price * quantity));
          const max = percentOfCents(gross, bound);
          const totals = computeSaleTotals(cart, { products, promotions: [], at: NOW }, max, bound);
          expect(totals.ok).toBe(true);
          if (!totals.ok) return;
          expect(totals.value.discountCents).toBe(max);
          expect(totals.value.totalCents).toBe(gross - max);
          const authorizations = max > 0 ? AUTHORIZED : [];
          expect(authorizationIssues({ items: totals.value.items, authorizations }, { stockPolicy: 'warn', sellerPolicy: 'ask', maxManualDiscountBp: bound })).toEqual([]);
        },
      ),
    );
  });

  it('POS-20 a spread never passes a cap and always sums to the total when the caps can hold it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 100_000 }), (parts, total) => {
        const weights = parts.map(([weight]) => weight);
        const caps = parts.map(([, cap]) => cap);
        const shares = spreadWithinCaps(total, weights, caps);
        if (sumCents(caps) < total) {
          expect(shares).toBeNull();
          return;
        }
        expect(sumCents(shares!)).toBe(total);
        shares!.forEach((share, index) => expect(share).toBeLessThanOrEqual(caps[index]!));
      }),
    );
  });
});
