import type { Product } from '../../../sync/schema/index.ts';
import type { DeviceSession, PriceChangeFigures } from '../types.ts';
import type { Device } from './device.ts';
import type { ErpJob, ErpReport } from './erp-worker.ts';
import { round } from './stats.ts';

const BATCH = 1_000;
/** Absolute ms, the clock the ERP worker reports in. */
const now = () => performance.timeOrigin + performance.now();

/**
 * While the device syncs (SSE → pull), an ERP changes the price of `count` products on the server
 * through the integration API's batch upsert, in batches of 1,000 one after the other, and the page
 * waits until the last of them has arrived in the local collection. The ERP runs in a Worker of the
 * page (erp-worker.ts): its own thread, as an outside system is its own process, and one clock for
 * both ends (the page's main thread, busy storing each batch's changes, would hold the next batch back).
 * `ms`: from the first batch sent to the last change stored; `serverMs`: the batches' answers, summed.
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
      if (landed.size === wanted.size) resolveAll(now());
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${landed.size} of ${wanted.size} price changes arrived within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const erp = new Worker(new URL('./erp-worker.ts', import.meta.url), { type: 'module' });
  try {
    const batches = Array.from({ length: Math.ceil(items.length / BATCH) }, (_v, n) => items.slice(n * BATCH, (n + 1) * BATCH));
    const sent = new Promise<ErpReport>((resolve, reject) => {
      erp.onmessage = (event: MessageEvent<ErpReport>) => resolve(event.data);
      erp.onerror = (event) => reject(new Error(`the ERP worker failed: ${event.message}`));
    });
    erp.postMessage({ serverUrl: session.serverUrl, adminToken: session.adminToken, batches } satisfies ErpJob);
    const report = await Promise.race([sent, limit]);
    if (report.error !== undefined) throw new Error(report.error);
    const at = await Promise.race([arrived, limit]);
    return { products: wanted.size, ms: round(at - report.startedAt, 1), serverMs: round(report.serverMs, 1) };
  } finally {
    erp.terminate();
    clearTimeout(timer);
    subscription.unsubscribe();
  }
}
