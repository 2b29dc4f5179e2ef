import { randomBytes } from 'node:crypto';
import type { CollectionName, ContractDoc, MasterRecord, Product, Sale, ServiceDoc } from '../../schema/index.ts';
import { digest } from '../auth/secrets.ts';
import type { Queryable } from '../db/database.ts';
import { lockStoreSequence, writeDocuments } from '../db/documents.ts';
import { demoProduct } from '../seed/catalogue.ts';
import { PRODUCT_GROUPS, demoCustomers, demoMasterData, groupId } from '../seed/demo-data.ts';

/** Products a fresh sandbox holds: enough for searches with several pages, small enough to seed in a blink. */
export const SANDBOX_PRODUCTS = 200;
const PRODUCT_PREFIX = 't';
/** Fixed instant of the fixtures' own records (history, updatedAt), so a reset gives the same data. */
const SEEDED_AT = '2026-01-01T12:00:00.000Z';

async function write(tx: Queryable, storeId: string, collection: CollectionName, docs: readonly { id: string }[]): Promise<void> {
  await writeDocuments(tx, storeId, collection, docs.map((doc) => ({ id: doc.id, stationId: null, data: doc as unknown as Record<string, unknown>, deleted: false })));
}

/**
 * Seeds a sandbox store with realistic fixtures (API-06), inside the caller's transaction: product groups,
 * sellers, payment types and conditions, two stations (rows and master records; never pairable: their
 * pairing code is a random digest nobody holds), 200 products with valid EAN-13 barcodes, five customers
 * with valid test CPF/CNPJ, two services, three contracts (draft, active, suspended) with their history, and
 * three sales of the two stations (the products' stock net of them).
 */
export async function seedSandbox(tx: Queryable, storeId: string): Promise<void> {
  await lockStoreSequence(tx, storeId);
  const stationGroupId = `${storeId}-stationGroup-homologacao`;
  const stations = [
    { code: 'cx01', name: 'Caixa de homologação 01' },
    { code: 'cx02', name: 'Caixa de homologação 02' },
  ];
  await tx.query(
    `INSERT INTO stations (id, store_id, code, name, group_id, pairing_code_hash)
     SELECT $1 || '-' || s.code, $1, s.code, s.name, $2, $5 FROM unnest($3::text[], $4::text[]) AS s(code, name)`,
    [storeId, stationGroupId, stations.map((s) => s.code), stations.map((s) => s.name), digest(randomBytes(32).toString('hex'))],
  );
  const groups: MasterRecord[] = PRODUCT_GROUPS.map((group) => ({ id: groupId(storeId, group.code), kind: 'productGroup', code: group.code, name: group.name, active: true }));
  const places: MasterRecord[] = [
    { id: stationGroupId, kind: 'stationGroup', code: 'homologacao', name: 'Grupo de homologação', active: true, priceTable: [] },
    ...stations.map((station): MasterRecord => ({ id: `${storeId}-${station.code}`, kind: 'station', code: station.code, name: station.name, active: true, groupId: stationGroupId })),
  ];
  // The demo's master data less its supervisor (it names a user of a real store).
  const master = demoMasterData(storeId, PRODUCT_PREFIX).filter((record) => record.kind !== 'supervisor');
  await write(tx, storeId, 'masterdata', [...groups, ...places, ...master]);
  const groupIds = PRODUCT_GROUPS.map((group) => groupId(storeId, group.code));
  const products = Array.from({ length: SANDBOX_PRODUCTS }, (_, index) => demoProduct(PRODUCT_PREFIX, index + 1, groupIds, 9));
  const sales = fixtureSales(storeId, products);
  // The products' stock is what is left after the fixture sales, as if the stations had uploaded them.
  for (const sale of sales) for (const item of sale.items) products.find((product) => product.id === item.productId)!.stock -= item.quantity;
  await write(tx, storeId, 'products', products);
  const customers = demoCustomers(storeId);
  await write(tx, storeId, 'customers', customers);

  const services: ServiceDoc[] = [
    { id: `${storeId}-svc-internet`, kind: 'service', code: 'INTERNET', name: 'Internet 300 Mb', active: true, monthlyFeeCents: 9_990, updatedAt: SEEDED_AT },
    { id: `${storeId}-svc-minutos`, kind: 'service', code: 'MINUTOS', name: 'Minutos de telefonia', active: true, monthlyFeeCents: 2_000, unit: 'min', unitPriceCents: 15, includedQuantity: 100, updatedAt: SEEDED_AT },
  ];
  const history = (states: ('draft' | 'active' | 'suspended')[]): ContractDoc['history'] =>
    states.map((to, index) => ({
      at: SEEDED_AT,
      action: index === 0 ? 'create' : to === 'active' ? 'activate' : 'suspend',
      ...(index > 0 ? { from: states[index - 1] } : {}),
      to,
      userId: 'sandbox',
      ...(to === 'suspended' ? { reason: 'Inadimplência (dados de homologação)' } : {}),
    }));
  const contract = (n: number, customerIndex: number, states: ('draft' | 'active' | 'suspended')[]): ContractDoc => ({
    id: `${storeId}-ct-${n}`,
    kind: 'contract',
    code: `HOMOLOG-${n}`,
    customerId: customers[customerIndex]!.id,
    startDate: '2026-01-01',
    billingDay: 10,
    lines: services.map((service) => ({ id: `${storeId}-ct-${n}-${service.code.toLowerCase()}`, serviceId: service.id, quantity: 1 })),
    state: states[states.length - 1]!,
    history: history(states),
    updatedAt: SEEDED_AT,
  });
  const contracts = [contract(1, 0, ['draft']), contract(2, 1, ['draft', 'active']), contract(3, 2, ['draft', 'active', 'suspended'])];
  await write(tx, storeId, 'backoffice', [...services, ...contracts]);
  // Stations' sales, so that an ERP's read-back of "movimentações de vendas" has something to read (keys never write them).
  const stationSales = sales.map((sale) => ({ id: sale.id, stationId: sale.stationId, data: sale as unknown as Record<string, unknown>, deleted: false }));
  await writeDocuments(tx, storeId, 'sales', stationSales);
}

/**
 * Three sales of the fixture stations (two on cx01, one on cx02, cash and card, counted products only), as a
 * station records them: lines, totals and payments add up, in cents.
 */
function fixtureSales(storeId: string, products: readonly Product[]): Sale[] {
  const counted = products.filter((product) => product.unit === 'UN');
  const sale = (n: number, station: string, lines: [Product, number][], paymentType: string): Sale => {
    const items = lines.map(([product, quantity]) => ({ productId: product.id, quantity, unitPriceCents: product.priceCents, discountCents: 0, totalCents: quantity * product.priceCents }));
    const totalCents = items.reduce((sum, item) => sum + item.totalCents, 0);
    return {
      id: `${storeId}-sale-${station}-${n}`,
      stationId: `${storeId}-${station}`,
      number: n,
      userId: 'sandbox',
      sellerId: `${storeId}-seller-v01`,
      createdAt: `2026-01-0${n + 1}T14:00:00.000Z`,
      items,
      payments: [{ paymentTypeId: `${storeId}-paymentType-${paymentType}`, amountCents: totalCents }],
      subtotalCents: totalCents,
      discountCents: 0,
      totalCents,
      changeCents: 0,
      status: 'finished',
    };
  };
  return [
    sale(1, 'cx01', [[counted[0]!, 2], [counted[1]!, 1]], 'dinheiro'),
    sale(2, 'cx01', [[counted[2]!, 1]], 'debito'),
    sale(3, 'cx02', [[counted[3]!, 3]], 'credito'),
  ];
}
