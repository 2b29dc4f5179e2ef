import { createDatabase, balcaoStorage } from '../../../renderer/data/database.ts';
import { catalogueOf } from '../../../renderer/data/memory-mapped-storage.ts';
import { createPos } from '../../../renderer/core/pos/pos.ts';
import type { SessionUser } from '../../../sync/schema/index.ts';
import type { DeviceSession, ReopenFigures } from '../types.ts';
import { lookupFigures, saleFigures } from './sale-screen.ts';
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

async function cashierId(session: DeviceSession): Promise<string> {
  const response = await fetch(`${session.serverUrl}/api/auth/me`, { headers: { authorization: `Bearer ${session.deviceToken}` } });
  if (!response.ok) throw new Error(`GET /api/auth/me answered HTTP ${response.status}`);
  return ((await response.json()) as { user: SessionUser }).user.id;
}

/**
 * Phase 5: what a cashier waits for at login once the catalogue is on the device — open the database
 * (its catalogue storage loads the compact catalogue: one snapshot read) and the POS core (payment
 * types, promotions): then the sale screen can scan and sell. Then, on that open device: the heap it
 * retains, barcode lookups, search per keystroke and recording sales (offline, as a till does).
 */
export async function reopen(name: string, expected: number, session: DeviceSession, lookups: number, sales: number): Promise<ReopenFigures> {
  const userId = await cashierId(session);
  const heapBefore = retainedHeapBytes();
  const started = performance.now();
  const db = await createDatabase(name, ['cashier'], balcaoStorage());
  const opened = performance.now();
  try {
    const catalogue = catalogueOf(name);
    if (!catalogue) throw new Error('the device database kept no catalogue (products are not in the catalogue storage)');
    if (catalogue.size !== expected) throw new Error(`reopened device holds ${catalogue.size} products, expected ${expected}`);
    const pos = createPos({ db, stationId: session.stationId, userId, product: (id) => catalogue.get(id) });
    await pos.ready();
    const usable = performance.now();
    const heap = retainedHeapBytes();
    const lookup = lookupFigures(catalogue, expected, lookups);
    const sale = await saleFigures(pos, catalogue, expected, sales);
    return {
      docs: catalogue.size,
      openMs: round(opened - started, 1),
      readMs: 0,
      indexMs: round(usable - opened, 1),
      totalMs: round(usable - started, 1),
      heapMb: heap === null || heapBefore === null ? null : round((heap - heapBefore) / 2 ** 20, 1),
      heapTotalMb: heap === null ? null : round(heap / 2 ** 20, 1),
      pendingIndex: catalogue.pendingCount,
      lookups: lookup,
      sales: sale,
    };
  } finally {
    await db.remove();
  }
}
