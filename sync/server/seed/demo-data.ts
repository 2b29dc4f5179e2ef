import type { Customer, MasterRecord, Role } from '../../schema/index.ts';

export interface DemoStation {
  code: string;
  name: string;
  pairingCode: string;
}
export interface DemoUser {
  code: string;
  name: string;
  password: string;
  roles: Role[];
}
export interface DemoStore {
  code: string;
  name: string;
  taxId: string;
  productPrefix: string;
  productCount: number;
  stationGroup: { code: string; name: string };
  stations: DemoStation[];
  users: DemoUser[];
  withMasterData: boolean;
}

/** The demo stores; the README and the end-to-end tests rely on these exact codes and passwords. */
export const DEMO_STORES: DemoStore[] = [
  {
    code: 'loja1',
    name: 'Loja Centro',
    taxId: '11222333000181',
    productPrefix: 'p',
    productCount: 2_000,
    stationGroup: { code: 'centro', name: 'Grupo Centro' },
    stations: [
      { code: 'cx01', name: 'Caixa 01', pairingCode: 'cx01-pair' },
      { code: 'cx02', name: 'Caixa 02', pairingCode: 'cx02-pair' },
    ],
    users: [
      { code: 'caixa', name: 'Carla Caixa', password: 'caixa123', roles: ['cashier'] },
      { code: 'projetista', name: 'Paulo Projetista', password: 'projetista123', roles: ['designer'] },
      { code: 'revisor', name: 'Renata Revisora', password: 'revisor123', roles: ['reviewer'] },
      { code: 'retaguarda', name: 'Rui Retaguarda', password: 'retaguarda123', roles: ['backoffice'] },
      { code: 'admin', name: 'Ana Admin', password: 'admin123', roles: ['admin'] },
    ],
    withMasterData: true,
  },
  {
    code: 'loja2',
    name: 'Loja Norte',
    taxId: '11444777000161',
    productPrefix: 'n',
    productCount: 50,
    stationGroup: { code: 'norte', name: 'Grupo Norte' },
    stations: [{ code: 'cx01', name: 'Caixa 01', pairingCode: 'loja2-cx01-pair' }],
    users: [{ code: 'admin', name: 'Nina Admin', password: 'admin123', roles: ['admin'] }],
    withMasterData: false,
  },
];

export const PRODUCT_GROUPS = [
  { code: 'ferragens', name: 'Ferragens' },
  { code: 'ferramentas', name: 'Ferramentas' },
  { code: 'eletrica', name: 'Elétrica' },
  { code: 'hidraulica', name: 'Hidráulica' },
  { code: 'pintura', name: 'Pintura' },
];

export function groupId(storeCode: string, code: string): string {
  return `${storeCode}-grp-${code}`;
}

/** Sellers, payment types and conditions, financial reasons and promotions of a store. */
export function demoMasterData(storeCode: string, productPrefix: string): MasterRecord[] {
  const id = (kind: string, code: string) => `${storeCode}-${kind}-${code}`;
  const record = (kind: MasterRecord['kind'], code: string, name: string, extra: Partial<MasterRecord> = {}): MasterRecord => ({ id: id(kind, code), kind, code, name, active: true, ...extra });
  const cash = id('paymentType', 'dinheiro');
  const credit = id('paymentType', 'credito');
  return [
    record('seller', 'v01', 'Vera Vendedora'),
    record('seller', 'v02', 'Vitor Vendedor'),
    record('seller', 'v03', 'Valéria Vendedora'),
    record('paymentType', 'dinheiro', 'Dinheiro', { method: 'cash' }),
    record('paymentType', 'debito', 'Cartão de débito', { method: 'card' }),
    record('paymentType', 'credito', 'Cartão de crédito', { method: 'credit' }),
    record('paymentType', 'pix', 'PIX', { method: 'pix' }),
    record('paymentCondition', 'avista', 'À vista', { paymentTypeId: cash, installments: 1, interestBp: 0 }),
    record('paymentCondition', '3x', '3x sem juros', { paymentTypeId: credit, installments: 3, interestBp: 0 }),
    record('paymentCondition', '6x', '6x com juros 1,99 % a.m.', { paymentTypeId: credit, installments: 6, interestBp: 199 }),
    record('financialReason', 'suprimento', 'Suprimento', { uses: ['supply'] }),
    record('financialReason', 'sangria', 'Sangria', { uses: ['withdrawal'] }),
    record('financialReason', 'cancelamento', 'Cancelamento', { uses: ['cancel'] }),
    record('financialReason', 'troca', 'Troca', { uses: ['exchange'] }),
    record('promotion', 'pintura10', '10 % off em Pintura', { promotion: { type: 'percentOff', percentBp: 1_000, productGroupIds: [groupId(storeCode, 'pintura')] } }),
    record('promotion', 'leve3pague2', 'Leve 3, pague 2', { promotion: { type: 'buyXPayY', buyQuantity: 3, payQuantity: 2, productIds: [`${productPrefix}-00001`] } }),
    record('promotion', 'menos5', 'R$ 5,00 off', { promotion: { type: 'amountOff', amountCents: 500, productIds: [`${productPrefix}-00002`] } }),
  ];
}

export function demoCustomers(storeCode: string): Customer[] {
  const people = [
    ['Maria da Silva', '52998224725', 'São Paulo'],
    ['João Souza', '11144477735', 'Campinas'],
    ['Construtora Alfa Ltda', '11222333000181', 'Santos'],
    ['Ana Pereira', '39053344705', 'Sorocaba'],
    ['Carlos Lima', '16899535009', 'Jundiaí'],
  ] as const;
  return people.map(([name, taxId, city], index) => ({
    id: `${storeCode}-cli-${index + 1}`,
    name,
    taxId,
    city,
    active: true,
    updatedAt: '2026-01-01T12:00:00.000Z',
  }));
}
