import { productSchema, type Sale } from '../../schema/index.ts';
import { stockStepsOf } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments, writeDocuments, type DocumentWrite, type StoredDocument } from '../db/documents.ts';

/**
 * Stock follows sales (POS-10, POS-11). The effect hangs on the state transition, not on the request:
 * what a sale state holds out of stock is computed for the stored state and for the new one, and only
 * the difference is applied. A retried upload finds the same state already stored and changes nothing;
 * a cancellation gives back exactly what the finished sale took; an exchange puts its returned goods
 * back and takes its new goods out, and cancelling it reverses both.
 *
 * Stock is kept in the product's steps (grams for KG, measure.ts). A line without `unit` counts whole
 * units, so an old line of a product sold by KG (written before POS-22) moves 1000 g per kg, not 1 g
 * (stockStepsOf): the product's unit is what converts it.
 */
type SaleState = { data: Record<string, unknown>; deleted: boolean } | undefined;

/** The unit a product is sold by (UN when the server does not know it). */
export type UnitOf = (productId: string) => string | undefined;

/** Stock steps a sale state holds out of stock, by product (negative: it put goods back). */
function heldOutOfStock(state: SaleState, unitOf: UnitOf): Map<string, number> {
  const held = new Map<string, number>();
  if (!state || state.deleted) return held;
  const sale = state.data as unknown as Sale;
  if (sale.status !== 'finished') return held;
  const add = (productId: string, quantity: number) => held.set(productId, (held.get(productId) ?? 0) + quantity);
  for (const item of sale.items) add(item.productId, stockStepsOf(item, unitOf(item.productId)));
  for (const item of sale.exchange?.returnedItems ?? []) add(item.productId, -stockStepsOf(item, unitOf(item.productId)));
  return held;
}

/** Stock change per product caused by moving every sale from its stored state to its new one. */
export function stockChanges(transitions: readonly { previous: SaleState; next: SaleState }[], unitOf: UnitOf = () => undefined): Map<string, number> {
  const changes = new Map<string, number>();
  for (const { previous, next } of transitions) {
    for (const [productId, units] of heldOutOfStock(previous, unitOf)) changes.set(productId, (changes.get(productId) ?? 0) + units);
    for (const [productId, units] of heldOutOfStock(next, unitOf)) changes.set(productId, (changes.get(productId) ?? 0) - units);
  }
  for (const [productId, units] of changes) if (units === 0) changes.delete(productId);
  return changes;
}

const STOCK_MIN = productSchema.properties.stock.minimum;
const STOCK_MAX = productSchema.properties.stock.maximum;

/**
 * Stock after a change, kept within what the product schema allows. Sales made in contingency are
 * never refused for stock: the schema lets stock go negative down to its minimum, and a stock already
 * at a bound stays there (saturates) instead of leaving the range every device validates against.
 */
export function stockAfter(stock: number, change: number): number {
  return Math.min(STOCK_MAX, Math.max(STOCK_MIN, stock + change));
}

/**
 * Applies the stock effect of accepted sale writes inside the write transaction (which holds the
 * store's sequence lock, so no other writer reads a stock in between). Changed products are written
 * in one statement through writeDocuments, so they get new sequence numbers and reach every device:
 * one stock update per product per batch, whatever the number of sales. `known`: products already
 * read in this transaction under the lock (the sale rule's references), not read a second time.
 */
export async function applyStockEffects(
  tx: Queryable,
  storeId: string,
  accepted: readonly DocumentWrite[],
  previous: ReadonlyMap<string, StoredDocument>,
  known?: ReadonlyMap<string, StoredDocument>,
): Promise<void> {
  const transitions = accepted.map((write) => ({ previous: previous.get(write.id), next: write }));
  const touched = new Set<string>();
  for (const { previous: before, next } of transitions) {
    for (const state of [before, next]) {
      const sale = state?.data as Sale | undefined;
      for (const item of [...(sale?.items ?? []), ...(sale?.exchange?.returnedItems ?? [])]) touched.add(item.productId);
    }
  }
  if (touched.size === 0) return;
  // The sale rule read most of these products under the same lock (known): only the others are read here.
  const products = new Map([...touched].flatMap((id) => (known?.has(id) ? [[id, known.get(id)!] as const] : [])));
  for (const [id, product] of await loadDocuments(tx, storeId, 'products', [...touched].filter((id) => !products.has(id)))) products.set(id, product);
  const changes = stockChanges(transitions, (productId) => products.get(productId)?.data.unit as string | undefined);
  if (changes.size === 0) return;
  const writes: DocumentWrite[] = [];
  // A product unknown to the server has no stock to keep (the sale rule refuses such sales anyway).
  for (const [productId, product] of products) {
    if (!changes.has(productId)) continue;
    const stock = stockAfter(Number(product.data.stock ?? 0), changes.get(productId) ?? 0);
    writes.push({ id: productId, stationId: product.stationId, data: { ...product.data, stock }, deleted: product.deleted });
  }
  // Every product written was read above: all are stored, so they go in with a plain UPDATE.
  await writeDocuments(tx, storeId, 'products', writes, { stored: new Set(writes.map((write) => write.id)) });
}
