import type { RxCollection } from 'rxdb';
import { balcaoStorage, createDatabase } from '../../../renderer/data/database.ts';
import { ProductIndex } from '../../../renderer/core/product-index.ts';
import type { Product } from '../../../sync/schema/index.ts';
import type { ReopenFigures } from '../types.ts';
import { round } from './stats.ts';

/**
 * The heap still in use after a full collection (Chromium's non-standard gauge, with `gc` exposed by
 * the bench's launch flags); without the collection the figure says more about GC timing than about
 * what the catalogue keeps.
 */
function retainedHeapBytes(): number | null {
  (globalThis as { gc?: () => void }).gc?.();
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
}

/**
 * Phase 5: what a cashier waits for at login once the catalogue is on the device: open the database
 * (the catalogue is read into memory here), read every product and build the product index, as
 * renderer/core/core.ts does.
 */
export async function reopen(name: string, expected: number): Promise<ReopenFigures> {
  const heapBefore = retainedHeapBytes();
  const started = performance.now();
  const db = await createDatabase(name, ['cashier'], balcaoStorage());
  const opened = performance.now();
  try {
    const docs = await (db.collections.products as RxCollection<Product>).find().exec();
    const read = performance.now();
    const index = new ProductIndex();
    for (const doc of docs) index.upsert(doc.toJSON() as Product);
    const indexed = performance.now();
    if (index.size !== expected) throw new Error(`reopened device holds ${index.size} products, expected ${expected}`);
    const heap = retainedHeapBytes();
    return {
      docs: index.size,
      openMs: round(opened - started, 1),
      readMs: round(read - opened, 1),
      indexMs: round(indexed - read, 1),
      totalMs: round(indexed - started, 1),
      heapMb: heap === null || heapBefore === null ? null : round((heap - heapBefore) / 2 ** 20, 1),
    };
  } finally {
    await db.remove();
  }
}
