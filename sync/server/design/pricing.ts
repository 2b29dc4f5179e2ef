import type { DesignBudgetItem } from '../../schema/index.ts';
import { priceDesignItems, type DesignItemInput } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadProductsBySku } from '../db/documents.ts';
import { designSettings } from './accounts.ts';

/** Prices a design save with the store's current rules: its products by sku, markup and discount (DES-06). */
export async function priceSave(tx: Queryable, storeId: string, items: readonly DesignItemInput[]): Promise<{ items: DesignBudgetItem[]; markupBp: number }> {
  const settings = await designSettings(tx, storeId);
  const products = await loadProductsBySku(tx, storeId, items.map((item) => item.code));
  const productsBySku = new Map<string, { id: string; priceCents: number }>();
  for (const product of products) {
    if (product.deleted || product.data.active === false) continue;
    productsBySku.set(String(product.data.sku), { id: product.id, priceCents: Number(product.data.priceCents) });
  }
  return { items: priceDesignItems(items, { productsBySku, markupBp: settings.markupBp, discountBp: settings.discountBp }), markupBp: settings.markupBp };
}
