import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateCents,
  divideRounded,
  formatBrl,
  installmentPlan,
  multiplyCents,
  percentOfCents,
  splitInstallments,
  sumCents,
} from '../../sync/rules/index.ts';

describe('money in integer cents (POS-09)', () => {
  it('POS-09 sums and multiplies exactly, and refuses what is not whole cents', () => {
    expect(sumCents([1999, 1, 350])).toBe(2350);
    expect(sumCents([])).toBe(0);
    expect(multiplyCents(1999, 3)).toBe(5997);
    expect(() => sumCents([10.5])).toThrow(RangeError);
    expect(() => multiplyCents(-1, 2)).toThrow(RangeError);
    expect(() => multiplyCents(1_000_000_000_00, 1_000_000)).toThrow(/too large/);
  });

  it('POS-09 rounds percentages half-even by default, half-up on request', () => {
    expect(percentOfCents(1999, 1000)).toBe(200); // 199.9
    expect(percentOfCents(25, 1000)).toBe(2); // 2.5 → even
    expect(percentOfCents(35, 1000)).toBe(4); // 3.5 → even
    expect(percentOfCents(25, 1000, 'halfUp')).toBe(3);
    expect(percentOfCents(1000, 10_000)).toBe(1000);
    expect(divideRounded(-5n, 2n)).toBe(-2n);
    expect(divideRounded(-5n, 2n, 'halfUp')).toBe(-3n);
    expect(divideRounded(7n, 2n)).toBe(4n);
  });

  it('formats reais for messages', () => {
    expect(formatBrl(123456789)).toBe('R$ 1.234.567,89');
    expect(formatBrl(5)).toBe('R$ 0,05');
  });
});

describe('proportional allocation (largest remainder)', () => {
  it('POS-09 gives leftover cents to the largest remainders, ties to the first part', () => {
    expect(allocateCents(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateCents(1000, [0, 5, 5])).toEqual([0, 500, 500]);
    expect(allocateCents(10, [1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
    expect(allocateCents(7, [2000, 1000])).toEqual([5, 2]); // 4.67 / 2.33
    expect(allocateCents(10, [0, 0])).toEqual([5, 5]);
    expect(allocateCents(0, [])).toEqual([]);
    expect(() => allocateCents(1, [])).toThrow(RangeError);
  });

  it('POS-09 always sums exactly, never goes negative, stays within a cent of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 50 }), (total, weights) => {
        const parts = allocateCents(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        const weightSum = weights.reduce((a, b) => a + b, 0);
        parts.forEach((part, i) => {
          expect(Number.isInteger(part) && part >= 0).toBe(true);
          if (weightSum > 0) {
            const exact = (total * weights[i]!) / weightSum;
            expect(Math.abs(part - exact)).toBeLessThan(1 + 1e-6);
            if (weights[i] === 0) expect(part).toBe(0);
          }
        });
      }),
    );
  });
});

describe('installments (POS-06)', () => {
  it('POS-06 n× without interest puts the odd cents on the first installment', () => {
    expect(splitInstallments(1000, 3)).toEqual([334, 333, 333]);
    expect(splitInstallments(29990, 6)).toEqual([5000, 4998, 4998, 4998, 4998, 4998]);
    expect(splitInstallments(5, 6)).toEqual([5, 0, 0, 0, 0, 0]);
    expect(installmentPlan(1000, 3, 0)).toEqual({ principalCents: 1000, installments: [334, 333, 333], totalCents: 1000, interestCents: 0 });
  });

  it('POS-06 6× com juros 1,99 % a.m. follows the Price table to the cent', () => {
    // R$ 1.000,00: PMT = 178,4655…; 6 × PMT = 1.070,7934… → R$ 1.070,79, split with 3 odd cents first.
    expect(installmentPlan(100000, 6, 199)).toEqual({
      principalCents: 100000,
      installments: [17849, 17846, 17846, 17846, 17846, 17846],
      totalCents: 107079,
      interestCents: 7079,
    });
    expect(installmentPlan(120000, 12, 299).totalCents).toBe(144579);
    expect(installmentPlan(100000, 1, 199).installments).toEqual([101990]);
    // Rounding can never push the total under the principal.
    expect(installmentPlan(100, 3, 1)).toMatchObject({ totalCents: 100, interestCents: 0 });
  });

  it('POS-06 installments sum to the total, total ≥ principal, interest = total − principal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 1, max: 48 }), fc.integer({ min: 0, max: 1000 }), (principal, count, bp) => {
        const plan = installmentPlan(principal, count, bp);
        expect(plan.installments).toHaveLength(count);
        expect(plan.installments.reduce((a, b) => a + b, 0)).toBe(plan.totalCents);
        expect(plan.totalCents).toBeGreaterThanOrEqual(principal);
        expect(plan.interestCents).toBe(plan.totalCents - principal);
        if (bp === 0) expect(plan.totalCents).toBe(principal);
        const [first, ...rest] = plan.installments;
        for (const installment of rest) {
          expect(installment).toBe(rest[0]);
          expect(first! - installment).toBeGreaterThanOrEqual(0);
          expect(first! - installment).toBeLessThan(count);
        }
      }),
    );
  });
});
