import { describe, expect, it } from 'vitest';
import { budgetTotals, designUnitPrice, diffDesignItems, hasPendingSave, manualItem, mergeDesignItems, priceDesignItems, type DesignPricing } from '../../sync/rules/index.ts';

const pricing: DesignPricing = { productsBySku: new Map([['P000010', { id: 'p-00010', priceCents: 1_234 }]]), markupBp: 3_000, discountBp: 0 };

describe('design budget pricing (DES-06, DES-09)', () => {
  it('DES-06 a code the store sells takes the store price; other items take list price plus the markup', () => {
    expect(designUnitPrice({ code: 'P000010', description: 'x', quantity: 1, listPriceCents: 5_000 }, pricing)).toEqual({ unitPriceCents: 1_234, productId: 'p-00010' });
    expect(designUnitPrice({ code: 'MOD-1', description: 'x', quantity: 1, listPriceCents: 10_001 }, pricing)).toEqual({ unitPriceCents: 13_001 });
    // Half-even rounding of 1.3 × 5 = 6.5 → 6.
    expect(designUnitPrice({ code: 'MOD-2', description: 'x', quantity: 1, listPriceCents: 5 }, pricing).unitPriceCents).toBe(6);
  });

  it('DES-06 the default discount applies per line, and totals add up exactly', () => {
    const items = priceDesignItems(
      [
        { code: 'A', description: 'Balcão', quantity: 3, listPriceCents: 999, supplier: 'S1' },
        { code: 'A', description: 'Balcão (2)', quantity: 1, listPriceCents: 100 },
        { code: 'P000010', description: 'Loja', quantity: 2, listPriceCents: 1 },
      ],
      { ...pricing, discountBp: 1_000 },
    );
    expect(items.map((item) => item.id)).toEqual(['d-A', 'd-A-2', 'd-P000010']);
    expect(items[0]).toMatchObject({ origin: 'design', unitPriceCents: 1_299, quantity: 3, discountCents: 390, totalCents: 3_897 - 390, supplier: 'S1' });
    const totals = budgetTotals(items);
    expect(totals.totalCents).toBe(items.reduce((sum, item) => sum + item.totalCents, 0));
    expect(totals.subtotalCents - totals.discountCents).toBe(totals.totalCents);
  });

  it('DES-09 an update replaces design lines and keeps hand-added ones; the diff shows the changes line by line', () => {
    const v1 = priceDesignItems([{ code: 'A', description: 'A', quantity: 1, listPriceCents: 100 }, { code: 'B', description: 'B', quantity: 1, listPriceCents: 100 }], pricing);
    const hand = manualItem('h1', { description: 'Instalação', quantity: 2, unitPriceCents: 500 });
    expect(hand).toMatchObject({ origin: 'manual', totalCents: 1_000, discountCents: 0 });
    const current = [...v1, hand];
    const v2 = priceDesignItems([{ code: 'A', description: 'A', quantity: 2, listPriceCents: 100 }, { code: 'C', description: 'C', quantity: 1, listPriceCents: 100 }], pricing);
    const merged = mergeDesignItems(current, v2);
    expect(merged.map((item) => item.id)).toEqual(['d-A', 'd-C', 'h1']);
    const diff = diffDesignItems(current, v2);
    expect(diff.added.map((item) => item.id)).toEqual(['d-C']);
    expect(diff.removed.map((item) => item.id)).toEqual(['d-B']);
    expect(diff.changed.map(({ before, after }) => [before.quantity, after.quantity])).toEqual([[1, 2]]);
    expect(diffDesignItems(merged, v2)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('DES-07 an environment has a pending save when the design software announced a revision not imported yet', () => {
    expect(hasPendingSave({ latestDesignRevision: 0, versions: [] })).toBe(false);
    expect(hasPendingSave({ latestDesignRevision: 1, versions: [] })).toBe(true);
    const version = { id: 'v1', number: 1, optionName: 'A', importedAt: '2026-11-23T10:00:00Z', designId: 'd1', designRevision: 1 };
    expect(hasPendingSave({ latestDesignRevision: 1, versions: [version] })).toBe(false);
    expect(hasPendingSave({ latestDesignRevision: 2, versions: [version] })).toBe(true);
  });
});
