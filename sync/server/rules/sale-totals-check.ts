import type { MasterRecord, Product, Sale } from '../../schema/index.ts';
import { STORE_SETTINGS_ID, storeSettingsOf, verifySaleTotals } from '../../rules/index.ts';
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
  const masterdata = liveData<MasterRecord>(references, 'masterdata');
  const all = verifySaleTotals(sale, {
    products: liveData<Product>(references, 'products'),
    promotions: [],
    masterdata,
    settings: storeSettingsOf(masterdata.get(STORE_SETTINGS_ID)),
  }).filter((mismatch) => mismatch.kind !== 'masterData');
  // A manual discount or price override without a supervisor, or beyond the store's bound (POS-20).
  const unauthorised = all.filter((mismatch) => mismatch.kind === 'authorization');
  if (unauthorised.length > 0) {
    return {
      reason: 'not_permitted',
      message: `Sale ${sale.id} needs a supervisor: ${unauthorised.slice(0, 3).map((mismatch) => `${mismatch.field}: ${mismatch.message}`).join('; ')} Cancel it at the station and record it again with a supervisor's authorisation within the store's discount limit.`,
    };
  }
  const mismatches = all;
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
