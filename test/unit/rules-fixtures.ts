import type { MasterRecord, Product } from '../../sync/schema/index.ts';

/** Small catalogue and master data for the sync/rules tests; ids mirror the demo seed's style. */
export function product(id: string, groupId: string, priceCents: number): Product {
  return { id, sku: id, barcode: '7890000000000', name: `Produto ${id}`, unit: 'UN', priceCents, stock: 10, groupId, active: true };
}

export const products = new Map<string, Product>(
  [product('p-00001', 'g-bebidas', 1000), product('p-00002', 'g-mercearia', 350), product('p-00003', 'g-bebidas', 1999), product('p-00004', 'g-limpeza', 300)].map(
    (p) => [p.id, p],
  ),
);

export function promotion(id: string, promo: MasterRecord['promotion'], active = true): MasterRecord {
  return { id, kind: 'promotion', code: id, name: id, active, promotion: promo };
}

export const paymentTypes = new Map<string, MasterRecord>(
  [
    { id: 'pt-cash', kind: 'paymentType', code: 'DIN', name: 'Dinheiro', active: true, method: 'cash' },
    { id: 'pt-debit', kind: 'paymentType', code: 'DEB', name: 'Cartão de débito', active: true, method: 'card' },
    { id: 'pt-credit', kind: 'paymentType', code: 'CRE', name: 'Cartão de crédito', active: true, method: 'credit' },
    { id: 'pt-pix', kind: 'paymentType', code: 'PIX', name: 'PIX', active: true, method: 'pix' },
    { id: 'pc-avista', kind: 'paymentCondition', code: 'AV', name: 'À vista', active: true, paymentTypeId: 'pt-credit', installments: 1, interestBp: 0 },
    { id: 'pc-3x', kind: 'paymentCondition', code: '3X', name: '3x sem juros', active: true, paymentTypeId: 'pt-credit', installments: 3, interestBp: 0 },
    { id: 'pc-6x', kind: 'paymentCondition', code: '6X', name: '6x com juros 1,99 % a.m.', active: true, paymentTypeId: 'pt-credit', installments: 6, interestBp: 199 },
  ].map((record) => [record.id, record as MasterRecord]),
);

export const NOW = '2026-11-23T12:00:00.000Z';
