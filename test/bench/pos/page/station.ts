import type { RxCollection } from 'rxdb';
import type { Product, SessionUser } from '../../../../sync/schema/index.ts';
import { ProductIndex } from '../../../../renderer/core/product-index.ts';
import { createPos, type Pos } from '../../../../renderer/core/pos/pos.ts';
import { openDevice, type Device } from '../../page/device.ts';
import { round } from '../../page/stats.ts';
import type { DeviceSession } from '../../types.ts';
import type { PrepareFigures } from '../types.ts';

/** The station under test: the app's database, sync client, product index and POS core, wired as the core does. */
export interface Station {
  session: DeviceSession;
  device: Device;
  index: ProductIndex;
  pos: Pos;
  barcodes: string[];
  /** Products of the group the "10 % off em Pintura" promotion covers. */
  paintIds: string[];
}

async function cashierId(session: DeviceSession): Promise<string> {
  const response = await fetch(`${session.serverUrl}/api/auth/me`, { headers: { authorization: `Bearer ${session.deviceToken}` } });
  if (!response.ok) throw new Error(`GET /api/auth/me answered HTTP ${response.status}`);
  return ((await response.json()) as { user: SessionUser }).user.id;
}

export async function prepareStation(session: DeviceSession, expected: number): Promise<{ station: Station; figures: PrepareFigures }> {
  const device = await openDevice(`pos_bench_${Date.now()}`);
  const pullStarted = performance.now();
  await device.start(session).awaitInSync();
  const pullSeconds = (performance.now() - pullStarted) / 1000;
  const products = device.db.collections.products as RxCollection<Product> | undefined;
  if (!products) throw new Error('the device database has no products collection');

  const indexStarted = performance.now();
  const index = new ProductIndex();
  const docs = await products.find().exec();
  for (const doc of docs) index.upsert(doc.toJSON() as Product);
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  if (index.size !== expected) throw new Error(`the product index holds ${index.size} products, expected ${expected}`);

  const barcodes: string[] = [];
  const paintIds: string[] = [];
  for (const doc of docs) {
    barcodes.push(doc.barcode);
    if (doc.groupId?.endsWith('-grp-pintura') && doc.active) paintIds.push(doc.id);
  }
  const pos = createPos({ db: device.db, stationId: session.stationId, userId: await cashierId(session), product: (id) => index.get(id) });
  await pos.ready();
  // A sale needs an open till (POS-19).
  if (!(await pos.cashOpen())) await pos.recordCash('opening', 0);
  const promotions = pos.catalog().promotions.filter((promotion) => promotion.active).length;
  if (promotions === 0 || paintIds.length === 0) throw new Error('the station received no promotions or no Pintura products: nothing to apply');
  return {
    station: { session, device, index, pos, barcodes, paintIds },
    figures: { products: index.size, pullSeconds: round(pullSeconds, 2), indexSeconds: round(indexSeconds, 2), promotions },
  };
}
