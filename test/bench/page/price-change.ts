import type { Product } from '../../../sync/schema/index.ts';
import type { DeviceSession, PriceChangeFigures } from '../types.ts';
import type { Device } from './device.ts';
import { round } from './stats.ts';

const BATCH = 1_000;

/**
 * While the device syncs (SSE → pull), the page itself changes the price of `count` products on the
 * server through the integration API's batch upsert (as an ERP would) and waits until the last of them
 * has arrived in the local collection: one clock for both ends.
 */
export async function priceChange(device: Device, session: DeviceSession, count: number, timeoutMs: number): Promise<PriceChangeFigures> {
  const products = device.db.collections.products;
  if (!products || !device.engine) throw new Error('the device must be syncing before the price change');
  await device.engine.awaitInSync();
  const total = await products.count().exec();
  const stride = Math.max(1, Math.floor(total / count));
  const ids = Array.from({ length: Math.min(count, total) }, (_, i) => `p-${String(1 + i * stride).padStart(5, '0')}`);
  const current = await products.findByIds(ids).exec();
  const wanted = new Map<string, number>();
  const items: { sku: string; priceCents: number }[] = [];
  for (const id of ids) {
    const doc = current.get(id)?.toJSON() as Product | undefined;
    if (!doc) throw new Error(`product ${id} is missing on the device`);
    const priceCents = 100 + ((doc.priceCents + 137) % 49_900);
    wanted.set(id, priceCents);
    items.push({ sku: doc.sku, priceCents });
  }
  let resolveAll!: (at: number) => void;
  const arrived = new Promise<number>((resolve) => (resolveAll = resolve));
  const landed = new Set<string>();
  const subscription = products.$.subscribe((event) => {
    const price = wanted.get(event.documentId);
    if (price !== undefined && (event.documentData as unknown as Product | undefined)?.priceCents === price) {
      landed.add(event.documentId);
      if (landed.size === wanted.size) resolveAll(performance.now());
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${landed.size} of ${wanted.size} price changes arrived within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const started = performance.now();
  let serverMs = 0;
  try {
    for (let start = 0; start < items.length; start += BATCH) {
      const sent = performance.now();
      const response = await fetch(`${session.serverUrl}/api/v1/products/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: items.slice(start, start + BATCH) }),
      });
      serverMs += performance.now() - sent;
      if (!response.ok) throw new Error(`POST /api/v1/products/batch answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    const at = await Promise.race([arrived, limit]);
    return { products: wanted.size, ms: round(at - started, 1), serverMs: round(serverMs, 1) };
  } finally {
    clearTimeout(timer);
    subscription.unsubscribe();
  }
}
