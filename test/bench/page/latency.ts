import { filter, firstValueFrom, map, timeout } from 'rxjs';
import type { Product } from '../../../sync/schema/index.ts';
import type { DeviceSession, LatencyFigures } from '../types.ts';
import type { Device } from './device.ts';
import { percentile, round } from './stats.ts';

const PRODUCT_FIELDS = ['id', 'sku', 'barcode', 'name', 'unit', 'priceCents', 'stock', 'groupId', 'active'] as const;

/**
 * Phase 4: the page itself edits a product on the server (PUT, as an integrator or the back office
 * would) and waits for the change to land in its local collection: one clock for both ends.
 */
export async function latency(device: Device, session: DeviceSession, changes: number, timeoutMs: number): Promise<LatencyFigures> {
  const products = device.db.collections.products;
  if (!products || !device.engine) throw new Error('the device must be syncing before the latency phase');
  const landed: number[] = [];
  const answered: number[] = [];
  let timeouts = 0;
  for (let index = 0; index < changes; index++) {
    // Spread over the catalogue so no single row or page stays hot.
    const id = `p-${String(1 + ((index * 487) % 2000)).padStart(5, '0')}`;
    const current = await products.findOne(id).exec();
    if (!current) throw new Error(`product ${id} is missing on the device`);
    const source = current.toJSON() as unknown as Product;
    const body: Record<string, unknown> = {};
    for (const field of PRODUCT_FIELDS) body[field] = source[field];
    const priceCents = 100 + ((source.priceCents + 1 + index) % 49_900);
    body.priceCents = priceCents === source.priceCents ? priceCents + 1 : priceCents;

    const arrival = firstValueFrom(
      products.$.pipe(
        filter((event) => event.documentId === id && (event.documentData as unknown as Product | undefined)?.priceCents === body.priceCents),
        timeout(timeoutMs),
        // The moment of arrival, not when this loop gets to look at it.
        map(() => performance.now()),
      ),
    ).catch(() => null);
    const started = performance.now();
    const response = await fetch(`${session.putBaseUrl}/api/v1/products/${encodeURIComponent(id)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${session.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    answered.push(performance.now() - started);
    if (!response.ok) throw new Error(`PUT /api/v1/products/${id} answered HTTP ${response.status}: ${await response.text()}`);
    const arrivedAt = await arrival;
    if (arrivedAt === null) timeouts++;
    else landed.push(arrivedAt - started);
  }
  return {
    changes,
    p50: round(percentile(landed, 50)),
    p95: round(percentile(landed, 95)),
    max: round(Math.max(...landed)),
    mean: round(landed.reduce((sum, value) => sum + value, 0) / Math.max(1, landed.length)),
    putP50: round(percentile(answered, 50)),
    putP95: round(percentile(answered, 95)),
    timeouts,
    putVia: session.putBaseUrl === session.serverUrl ? 'direct' : 'same-origin proxy',
  };
}
