/** A small store's master data and catalogue for the POS unit tests (mirrors the demo seed's shapes). */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { MasterRecord, Product } from '../../sync/schema/index.ts';
import { createDatabase, type BalcaoDatabase } from '../../renderer/data/database.ts';
import { ProductIndex } from '../../renderer/core/product-index.ts';
import { createPos, type Pos } from '../../renderer/core/pos/pos.ts';
import { DEMO_SUPERVISOR_CODE, DEMO_SUPERVISOR_HASH } from '../../sync/server/seed/demo-data.ts';

/** The supervisor's code at this station (POS-20): the demo admin's. */
export const SUPERVISOR_CODE = DEMO_SUPERVISOR_CODE;
export const SUPERVISOR_ID = 'loja1-admin';

export const STATION = 'loja1-station-cx01';
export const GROUP = 'loja1-stationGroup-centro';
export const ids = {
  seller: 'loja1-seller-v01',
  cash: 'loja1-paymentType-dinheiro',
  debit: 'loja1-paymentType-debito',
  credit: 'loja1-paymentType-credito',
  pix: 'loja1-paymentType-pix',
  avista: 'loja1-paymentCondition-avista',
  x3: 'loja1-paymentCondition-3x',
  x6: 'loja1-paymentCondition-6x',
  supply: 'loja1-financialReason-suprimento',
  withdrawal: 'loja1-financialReason-sangria',
  cancel: 'loja1-financialReason-cancelamento',
  exchange: 'loja1-financialReason-troca',
};

const record = (id: string, kind: MasterRecord['kind'], name: string, extra: Partial<MasterRecord> = {}): MasterRecord => ({ id, kind, code: id.split('-').at(-1)!, name, active: true, ...extra });

export function masterRecords(): MasterRecord[] {
  return [
    record(ids.seller, 'seller', 'Vera Vendedora'),
    record('loja1-seller-old', 'seller', 'Ex-vendedor', { active: false }),
    record(ids.cash, 'paymentType', 'Dinheiro', { method: 'cash' }),
    record(ids.debit, 'paymentType', 'Cartão de débito', { method: 'card' }),
    record(ids.credit, 'paymentType', 'Cartão de crédito', { method: 'credit' }),
    record(ids.pix, 'paymentType', 'PIX', { method: 'pix' }),
    record(ids.avista, 'paymentCondition', 'À vista', { paymentTypeId: ids.cash, installments: 1, interestBp: 0 }),
    record(ids.x3, 'paymentCondition', '3x sem juros', { paymentTypeId: ids.credit, installments: 3, interestBp: 0 }),
    record(ids.x6, 'paymentCondition', '6x com juros', { paymentTypeId: ids.credit, installments: 6, interestBp: 199 }),
    record(ids.supply, 'financialReason', 'Suprimento', { uses: ['supply'] }),
    record(ids.withdrawal, 'financialReason', 'Sangria', { uses: ['withdrawal'] }),
    record(ids.cancel, 'financialReason', 'Cancelamento', { uses: ['cancel'] }),
    record(ids.exchange, 'financialReason', 'Troca', { uses: ['exchange'] }),
    record('promo-pintura', 'promotion', '10 % off em Pintura', { promotion: { type: 'percentOff', percentBp: 1000, productGroupIds: ['grp-pintura'] } }),
    record('promo-l3p2', 'promotion', 'Leve 3 pague 2', { promotion: { type: 'buyXPayY', buyQuantity: 3, payQuantity: 2, productIds: ['p-00001'] } }),
    record('promo-5off', 'promotion', 'R$ 5 off', { promotion: { type: 'amountOff', amountCents: 500, productIds: ['p-00002'] } }),
    record(GROUP, 'stationGroup', 'Grupo Centro', { priceTable: [{ productId: 'p-00004', priceCents: 900 }] }),
    record(STATION, 'station', 'Caixa 01', { groupId: GROUP }),
    record(`supervisor-${SUPERVISOR_ID}`, 'supervisor', 'Ana Admin', { userId: SUPERVISOR_ID, codeHash: DEMO_SUPERVISOR_HASH }),
  ];
}

export function products(): Product[] {
  const make = (n: number, name: string, priceCents: number, groupId: string): Product => ({
    id: `p-${String(n).padStart(5, '0')}`,
    sku: `SKU${n}`,
    barcode: `789000000${String(n).padStart(4, '0')}`,
    name,
    unit: 'UN',
    priceCents,
    stock: 100,
    groupId,
    active: true,
  });
  return [
    make(1, 'Parafuso (leve 3 pague 2)', 1000, 'grp-ferragens'),
    make(2, 'Martelo (R$ 5 off)', 3990, 'grp-ferramentas'),
    make(3, 'Tinta branca (10 % Pintura)', 8999, 'grp-pintura'),
    make(4, 'Fita (preço do grupo R$ 9,00)', 1500, 'grp-eletrica'),
    make(5, 'Cano', 1234, 'grp-hidraulica'),
  ];
}

let counter = 0;

export interface PosFixture {
  db: BalcaoDatabase;
  index: ProductIndex;
  pos: Pos;
  clock: { now: Date };
  reopen(): Pos;
}

/** A station with its till open (a sale on a closed till needs a supervisor, POS-19) unless `tillOpen` is false. */
export async function posFixture({ tillOpen = true }: { tillOpen?: boolean } = {}): Promise<PosFixture> {
  const db = await createDatabase(`pos_test_${Date.now()}_${counter++}`, ['cashier'], getRxStorageMemory() as never);
  await db.collections.masterdata!.bulkInsert(masterRecords());
  await db.collections.products!.bulkInsert(products());
  const index = new ProductIndex();
  for (const product of products()) index.upsert(product);
  const clock = { now: new Date('2026-11-20T13:00:00.000Z') };
  const open = () =>
    createPos({
      db,
      stationId: STATION,
      userId: 'u-caixa',
      product: (id) => index.get(id),
      now: () => {
        clock.now = new Date(clock.now.getTime() + 1000);
        return clock.now;
      },
    });
  const pos = open();
  await pos.ready();
  if (tillOpen) await pos.recordCash('opening', 0);
  return { db, index, pos, clock, reopen: open };
}
