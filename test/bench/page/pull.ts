import { MEMORY_MAPPED_COLLECTIONS } from '../../../renderer/data/database.ts';
import type { DeviceSession, PullFigures } from '../types.ts';
import type { Device } from './device.ts';
import { newTally } from './timed-fetch.ts';
import { round } from './stats.ts';

/** Phase 1: a fresh device pulls the whole catalogue through startSync. */
export async function initialPull(device: Device, session: DeviceSession, expected: number): Promise<PullFigures> {
  const products = device.db.collections.products;
  if (!products) throw new Error('the device database has no products collection');
  const existing = await products.count().exec();
  if (existing !== 0) throw new Error(`device is not fresh: it already holds ${existing} products`);
  device.measure.fetch = newTally();
  device.measure.storage = {};
  const started = performance.now();
  const engine = device.start(session);
  await engine.awaitInSync();
  const seconds = (performance.now() - started) / 1000;
  const fetchTally = device.measure.fetch;
  const storage = device.measure.storage;
  device.measure.fetch = null;
  device.measure.storage = null;
  const docs = await products.count().exec();
  if (docs !== expected) throw new Error(`initial pull stored ${docs} products, expected ${expected}`);
  return {
    docs,
    seconds: round(seconds, 3),
    docsPerSecond: Math.round(docs / seconds),
    requests: fetchTally.requests,
    fetchMs: Math.round(fetchTally.fetchMs),
    jsonMs: Math.round(fetchTally.jsonMs),
    storage,
    productStorage: MEMORY_MAPPED_COLLECTIONS.has('products') ? 'memory-mapped' : 'Dexie',
  };
}
