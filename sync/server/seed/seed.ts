import type { CollectionName, MasterRecord } from '../../schema/index.ts';
import { pairingCodeHash } from '../auth/codes.ts';
import type { Database } from '../db/database.ts';
import { lockStoreSequence, writeDocuments, type DocumentWrite } from '../db/documents.ts';
import { demoProduct } from './catalogue.ts';
import { seedDesign } from './design-seed.ts';
import { DEMO_STORES, PRODUCT_GROUPS, demoCustomers, demoMasterData, groupId, type DemoStore } from './demo-data.ts';

const CHUNK = 5_000;

async function writeAll(db: Database, storeId: string, collection: CollectionName, docs: readonly { id: string }[]): Promise<void> {
  for (let start = 0; start < docs.length; start += CHUNK) {
    const writes: DocumentWrite[] = docs.slice(start, start + CHUNK).map((doc) => ({ id: doc.id, stationId: null, data: doc as unknown as Record<string, unknown>, deleted: false }));
    await db.transaction(async (tx) => {
      await lockStoreSequence(tx, storeId);
      await writeDocuments(tx, storeId, collection, writes);
    });
  }
}

function stationId(storeCode: string, stationCode: string): string {
  return `${storeCode}-${stationCode}`;
}

async function seedStore(db: Database, store: DemoStore): Promise<void> {
  const stationGroupId = `${store.code}-stationGroup-${store.stationGroup.code}`;
  const userHashes = store.users.map((user) => user.passwordHash);
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO stores (id, code, name, tax_id) VALUES ($1, $1, $2, $3)', [store.code, store.name, store.taxId]);
    await tx.query('INSERT INTO store_seq (store_id, last) VALUES ($1, 0)', [store.code]);
    await tx.query(
      `INSERT INTO users (id, store_id, code, name, roles, password_hash)
       SELECT $1 || '-' || u.code, $1, u.code, u.name, string_to_array(u.roles, ','), u.hash
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(code, name, roles, hash)`,
      [store.code, store.users.map((u) => u.code), store.users.map((u) => u.name), store.users.map((u) => u.roles.join(',')), userHashes],
    );
    await tx.query(
      `INSERT INTO stations (id, store_id, code, name, group_id)
       SELECT $1 || '-' || s.code, $1, s.code, s.name, $2 FROM unnest($3::text[], $4::text[]) AS s(code, name)`,
      [store.code, stationGroupId, store.stations.map((s) => s.code), store.stations.map((s) => s.name)],
    );
  });

  const groups: MasterRecord[] = PRODUCT_GROUPS.map((group) => ({ id: groupId(store.code, group.code), kind: 'productGroup', code: group.code, name: group.name, active: true }));
  const places: MasterRecord[] = [
    { id: stationGroupId, kind: 'stationGroup', code: store.stationGroup.code, name: store.stationGroup.name, active: true, priceTable: [] },
    ...store.stations.map((station): MasterRecord => ({ id: stationId(store.code, station.code), kind: 'station', code: station.code, name: station.name, active: true, groupId: stationGroupId })),
  ];
  const master = store.withMasterData ? demoMasterData(store.code, store.productPrefix) : [];
  await writeAll(db, store.code, 'masterdata', [...groups, ...places, ...master]);
  await seedProducts(db, store.code, store.productCount);
  if (store.withMasterData) await writeAll(db, store.code, 'customers', demoCustomers(store.code));
  await seedDesign(db, store.code, store.taxId);
}

/** Products 1…count of a store (existing ones are rewritten in place); benchmarks use it for 100,000. */
export async function seedProducts(db: Database, storeCode: string, count: number): Promise<void> {
  const store = DEMO_STORES.find((candidate) => candidate.code === storeCode);
  const prefix = store?.productPrefix ?? storeCode;
  const groupIds = PRODUCT_GROUPS.map((group) => groupId(storeCode, group.code));
  const salt = DEMO_STORES.indexOf(store!) + 1;
  const products = Array.from({ length: count }, (_, index) => demoProduct(prefix, index + 1, groupIds, salt));
  await writeAll(db, storeCode, 'products', products);
}

export async function isSeeded(db: Database): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM stores LIMIT 1');
  return rows.length > 0;
}

/** How long a re-armed demo pairing code works. */
const DEMO_CODE_HOURS = 24;

/**
 * Demo mode only (asked for with StartOptions.seedDemo / BALCAO_DEMO): the demo stations' documented
 * pairing codes (cx01-pair, …) work once more, for a day. Codes stay single-use: a second pairing
 * with the same code fails until the next start in demo mode. Real stores never get these codes.
 */
export async function rearmDemoPairingCodes(db: Database): Promise<void> {
  for (const store of DEMO_STORES) {
    for (const station of store.stations) {
      await db.query(
        `UPDATE stations SET pairing_code_hash = $3, pairing_code_expires_at = now() + make_interval(hours => $4)
          WHERE store_id = $1 AND code = $2`,
        [store.code, station.code, pairingCodeHash(station.pairingCode), DEMO_CODE_HOURS],
      );
    }
  }
}

/** Demo stores, users, stations, master data, products and customers; does nothing when any store exists. */
export async function seedDemo(db: Database): Promise<boolean> {
  if (await isSeeded(db)) return false;
  for (const store of DEMO_STORES) await seedStore(db, store);
  return true;
}
