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
  /**
   * scrypt hash of `password` at the current parameters, computed once (DEMO_PASSWORD_HASHES): the
   * demo passwords are public, and hashing them at every seed would cost seconds per test server.
   */
  passwordHash: string;
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

/** Precomputed with hashSecret; test/unit/demo-data.test.ts checks each against its password. */
export const DEMO_PASSWORD_HASHES: Record<string, string> = {
  caixa123: 'scrypt$131072$8$1$qwjsfwo7ue_ZrUjntGXAMQ$IzH9_VsxXFul9EzZCmwoWlnHsk1EfCjUnpmtxA3StTg',
  projetista123: 'scrypt$131072$8$1$7ykVE0QwOrOwRDopei1rLw$kJDKbIw7QvW4sLWh26UGqazSOJFdXfdzhv0kvs8rfSU',
  revisor123: 'scrypt$131072$8$1$N2TBC3fof_wWpFN6MZlgKg$C3mCwgPfF5JUR3GOIhy5ZrKy7wljhVEXOhiYWXSM_vQ',
  retaguarda123: 'scrypt$131072$8$1$tgzNt2duUysoFLPjwloiaw$0iDEqZBgiguMGfzGiF6ZvrY-WWVm7_ritXc67LxGQIU',
  admin123: 'scrypt$131072$8$1$HFvXNUvu2sORUIeKx5vk2g$7lepphBKvdg1S9lHQNkIR_uGQtBnZ7jMqv3q88qb77g',
};

function user(code: string, name: string, password: string, roles: Role[]): DemoUser {
  const passwordHash = DEMO_PASSWORD_HASHES[password];
  if (!passwordHash) throw new Error(`No precomputed hash for the demo password of ${code}: add one to DEMO_PASSWORD_HASHES.`);
  return { code, name, password, passwordHash, roles };
}

/**
 * The demo stores; the README and the end-to-end tests rely on these exact codes and passwords. The
 * pairing codes work once per server start that asks for demo data (StartOptions.seedDemo).
 */
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
      user('caixa', 'Carla Caixa', 'caixa123', ['cashier']),
      user('projetista', 'Paulo Projetista', 'projetista123', ['designer']),
      user('revisor', 'Renata Revisora', 'revisor123', ['reviewer']),
      user('retaguarda', 'Rui Retaguarda', 'retaguarda123', ['backoffice']),
      user('admin', 'Ana Admin', 'admin123', ['admin']),
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
    users: [user('admin', 'Nina Admin', 'admin123', ['admin'])],
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

/**
 * The demo admin's supervisor code (POS-20), as the README gives it: 246810. Only its PBKDF2 hash is
 * seeded (precomputed with hashSupervisorCode; test/unit/supervisor.test.ts checks it).
 */
export const DEMO_SUPERVISOR_CODE = '246810';
export const DEMO_SUPERVISOR_HASH = { iterations: 120_000, salt: 'CEDKA2ta/qLlCeis6pn0/g==', hash: 'qtfZk97I808hjl2QstoWV3r93H88v1EmMaIwIkDe6HE=' };

/** Sellers, payment types and conditions, financial reasons, promotions and the supervisor of a store. */
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
    // Spends an exchange voucher (POS-21): the payment names the voucher's number.
    record('paymentType', 'vale', 'Vale-troca', { method: 'voucher' }),
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
    { id: `supervisor-${storeCode}-admin`, kind: 'supervisor', code: 'admin', name: 'Ana Admin', active: true, userId: `${storeCode}-admin`, codeHash: DEMO_SUPERVISOR_HASH },
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
