import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { RxStorage } from 'rxdb';
import { createDatabase } from '../../../renderer/data/database.ts';
import type { PullResponse } from '../../../sync/schema/index.ts';
import type { DeviceSession, PrototypePullFigures } from '../types.ts';
import { round } from './stats.ts';

type Row = Record<string, unknown>;

async function fetchPage(session: DeviceSession, checkpoint: number, limit: number): Promise<PullResponse> {
  const response = await fetch(`${session.serverUrl}/api/sync/products/pull?checkpoint=${checkpoint}&limit=${limit}`, {
    headers: { authorization: `Bearer ${session.deviceToken}` },
  });
  if (!response.ok) throw new Error(`prototype pull: HTTP ${response.status}`);
  return (await response.json()) as PullResponse;
}

/**
 * Not the app's path: what a pull-only loop for read-only collections (no replication protocol, no
 * meta instance) reaches on the same RxDB + Dexie storage, fetching the next page while the current
 * one is written. Measured so the proposal for sync/client comes with a number.
 */
export async function prototypePull(session: DeviceSession, expected: number, batchSize: number): Promise<PrototypePullFigures> {
  const db = await createDatabase(`bench_prototype_${Date.now()}`, ['cashier'], getRxStorageDexie() as RxStorage<unknown, unknown>);
  try {
    const products = db.collections.products!;
    const started = performance.now();
    let next = fetchPage(session, 0, batchSize);
    let pages = 0;
    for (;;) {
      const page = await next;
      pages++;
      const full = page.documents.length === batchSize && page.checkpoint !== null;
      if (full) next = fetchPage(session, page.checkpoint!.seq, batchSize);
      const docs = page.documents.map(({ _deleted: _ignored, ...doc }) => doc as Row);
      const result = await products.bulkUpsert(docs);
      if (result.error.length > 0) throw new Error(`prototype pull: ${result.error.length} writes failed`);
      if (!full) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const docs = await products.count().exec();
    if (docs !== expected) throw new Error(`prototype pull stored ${docs} products, expected ${expected}`);
    return { docs, seconds: round(seconds, 3), docsPerSecond: Math.round(docs / seconds), pages };
  } finally {
    await db.remove();
  }
}
