import type { DesignBudgetItem, DesignEnvironmentDoc } from '../schema/index.ts';
import { BASIS_POINTS, divideRounded, multiplyCents, percentOfCents, sumCents } from './money.ts';

/**
 * The store's commercial rules applied to what the design software delivers (DES-06), shared by the
 * server (which produces the budget) and the UI (which shows what an update would change, DES-09).
 */
export interface DesignItemInput {
  code: string;
  description: string;
  quantity: number;
  listPriceCents: number;
  supplier?: string;
}

export interface DesignPricing {
  /** The store's products by sku: a design code that matches one takes the store's price (price table). */
  productsBySku: ReadonlyMap<string, { id: string; priceCents: number }>;
  /** Markup on the design catalogue's list price for items the store does not sell itself. */
  markupBp: number;
  /** The store's default discount on design items. */
  discountBp: number;
}

/** Unit price of one design line: the store's own price when it sells the item, else list price plus markup. */
export function designUnitPrice(item: DesignItemInput, pricing: DesignPricing): { unitPriceCents: number; productId?: string } {
  const product = pricing.productsBySku.get(item.code);
  if (product) return { unitPriceCents: product.priceCents, productId: product.id };
  const marked = divideRounded(BigInt(item.listPriceCents) * BigInt(BASIS_POINTS + pricing.markupBp), BigInt(BASIS_POINTS));
  return { unitPriceCents: Number(marked) };
}

/** Budget lines of a design save; ids follow the design codes, so the same code keeps its id across versions. */
export function priceDesignItems(items: readonly DesignItemInput[], pricing: DesignPricing): DesignBudgetItem[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const count = (seen.get(item.code) ?? 0) + 1;
    seen.set(item.code, count);
    const { unitPriceCents, productId } = designUnitPrice(item, pricing);
    const grossCents = multiplyCents(unitPriceCents, item.quantity);
    const discountCents = percentOfCents(grossCents, pricing.discountBp);
    return {
      id: count === 1 ? `d-${item.code}` : `d-${item.code}-${count}`,
      origin: 'design' as const,
      code: item.code,
      ...(productId ? { productId } : {}),
      description: item.description,
      quantity: item.quantity,
      unitPriceCents,
      discountCents,
      totalCents: grossCents - discountCents,
      ...(item.supplier ? { supplier: item.supplier } : {}),
    };
  });
}

/** A hand-added line (DES-09): the price the designer typed, no discount. */
export function manualItem(id: string, item: { productId?: string; description: string; quantity: number; unitPriceCents: number }): DesignBudgetItem {
  const totalCents = multiplyCents(item.unitPriceCents, item.quantity);
  return {
    id,
    origin: 'manual',
    ...(item.productId ? { productId: item.productId } : {}),
    description: item.description,
    quantity: item.quantity,
    unitPriceCents: item.unitPriceCents,
    discountCents: 0,
    totalCents,
  };
}

/** An update replaces the design lines and keeps the hand-added ones (DES-09). */
export function mergeDesignItems(current: readonly DesignBudgetItem[], designItems: readonly DesignBudgetItem[]): DesignBudgetItem[] {
  return [...designItems, ...current.filter((item) => item.origin === 'manual')];
}

export function budgetTotals(items: readonly DesignBudgetItem[]): { subtotalCents: number; discountCents: number; totalCents: number } {
  const subtotalCents = sumCents(items.map((item) => multiplyCents(item.unitPriceCents, item.quantity)));
  const discountCents = sumCents(items.map((item) => item.discountCents));
  return { subtotalCents, discountCents, totalCents: subtotalCents - discountCents };
}

export interface DesignItemDiff {
  added: DesignBudgetItem[];
  removed: DesignBudgetItem[];
  changed: { before: DesignBudgetItem; after: DesignBudgetItem }[];
}

/** What an update would change, line by line: the environment's design lines against the latest save's. */
export function diffDesignItems(current: readonly DesignBudgetItem[], incoming: readonly DesignBudgetItem[]): DesignItemDiff {
  const before = new Map(current.filter((item) => item.origin === 'design').map((item) => [item.id, item]));
  const diff: DesignItemDiff = { added: [], removed: [], changed: [] };
  for (const after of incoming) {
    const previous = before.get(after.id);
    before.delete(after.id);
    if (!previous) diff.added.push(after);
    else if (previous.quantity !== after.quantity || previous.unitPriceCents !== after.unitPriceCents || previous.description !== after.description || previous.totalCents !== after.totalCents) {
      diff.changed.push({ before: previous, after });
    }
  }
  diff.removed.push(...before.values());
  return diff;
}

/** Whether the environment has a save not yet imported as a version (DES-07, the yellow mark). */
export function hasPendingSave(env: Pick<DesignEnvironmentDoc, 'latestDesignRevision' | 'versions'>): boolean {
  const newest = env.versions.reduce((max, version) => Math.max(max, version.designRevision), -1);
  return env.versions.length === 0 ? env.latestDesignRevision > 0 : newest < env.latestDesignRevision;
}
