import type { MasterRecord, Product, Sale } from '../../schema/index.ts';
import { verifySaleTotals } from '../../rules/index.ts';
import type { References, Refusal } from './rule.ts';
import type { StoredDocument } from '../db/documents.ts';

const EMPTY: ReadonlyMap<string, StoredDocument> = new Map();
/**
 * The live view of a batch's referenced products or master records, built once per batch: the
 * references of a sales batch never change while it runs, and a push may hold 5,000 sales.
 */
const liveByReferences = new WeakMap<ReadonlyMap<string, StoredDocument>, Map<string, unknown>>();

function liveData<T>(references: References, collection: 'products' | 'masterdata'): Map<string, T> {
  const stored = references.get(collection) ?? EMPTY;
  let found = liveByReferences.get(stored);
  if (!found) {
    found = new Map();
    for (const [id, doc] of stored) if (!doc.deleted) found.set(id, doc.data);
    liveByReferences.set(stored, found);
  }
  return found as Map<string, T>;
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
