import type { MasterRecord, Product, Sale } from '../../schema/index.ts';
import { verifySaleTotals } from '../../rules/index.ts';
import type { References, Refusal } from './rule.ts';

function liveData<T>(references: References, collection: 'products' | 'masterdata'): Map<string, T> {
  const found = new Map<string, T>();
  for (const [id, stored] of references.get(collection) ?? []) if (!stored.deleted) found.set(id, stored.data as unknown as T);
  return found;
}

/**
 * A sale must add up by itself: lines, totals, exchange credit, interest, payments and change, as
 * sync/rules computes them. Prices and promotions are what the station charged: a station that sold
 * offline before a price change reached it did nothing wrong, so `masterData` differences are not
 * refused here (they stay visible in the sale itself).
 */
export function checkSaleTotals(sale: Sale, references: References): Refusal | null {
  const mismatches = verifySaleTotals(sale, {
    products: liveData<Product>(references, 'products'),
    promotions: [],
    masterdata: liveData<MasterRecord>(references, 'masterdata'),
  }).filter((mismatch) => mismatch.kind !== 'masterData');
  if (mismatches.length === 0) return null;
  const detail = mismatches
    .slice(0, 3)
    .map((mismatch) => `${mismatch.field}: ${mismatch.message}${mismatch.expected !== undefined ? ` (expected ${String(mismatch.expected)}, got ${String(mismatch.actual)})` : ''}`)
    .join('; ');
  return {
    reason: 'totals_mismatch',
    message: `Sale ${sale.id} does not add up: ${detail}. The station computed it wrongly: cancel it at the station (it is kept as cancelled) and record the sale again, or correct the document and retry.`,
  };
}
