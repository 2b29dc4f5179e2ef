import type { RxCollection } from 'rxdb';
import type { Product, SessionUser } from '../../../../sync/schema/index.ts';
import { ProductIndex } from '../../../../renderer/core/product-index.ts';
import { catalogueOf } from '../../../../renderer/data/memory-mapped-storage.ts';
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

  // As the core does (renderer/core/core.ts): the catalogue storage's own catalogue, no read of the collection.
  const indexStarted = performance.now();
  const catalogue = catalogueOf(device.db.name);
  if (!catalogue) throw new Error('the device database kept no catalogue (products are not in the catalogue storage)');
  await catalogue.settled();
  const index = new ProductIndex();
  index.use(catalogue);
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  if (index.size !== expected) throw new Error(`the product index holds ${index.size} products, expected ${expected}`);

  const barcodes: string[] = [];
  const paintIds: string[] = [];
  catalogue.forEach((row) => {
    barcodes.push(row.barcode);
    if (row.groupId?.endsWith('-grp-pintura') && row.active) paintIds.push(row.id);
  });
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
