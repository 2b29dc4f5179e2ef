import type { DesignEventItem } from '../../sync/schema/index.ts';

/**
 * The simulator's design catalogue. Item sets are deterministic per environment name, and every
 * revision changes something (a quantity, and every third save a new item), so each save is a real
 * change the store system must show item by item.
 */
const CATALOGUE: DesignEventItem[] = [
  { code: 'MOD-BAL-80', description: 'Balcão inferior 80 cm', quantity: 1, listPriceCents: 89_000, supplier: 'Móveis Serra' },
  { code: 'MOD-AER-60', description: 'Armário aéreo 60 cm', quantity: 2, listPriceCents: 54_000, supplier: 'Móveis Serra' },
  { code: 'TAMPO-GRA-2M', description: 'Tampo de granito 2 m', quantity: 1, listPriceCents: 120_000, supplier: 'Pedras Vale' },
  { code: 'PUX-INOX-16', description: 'Puxador inox 16 cm', quantity: 6, listPriceCents: 2_500, supplier: 'Ferragens Sul' },
  { code: 'DOB-CAL-35', description: 'Dobradiça com amortecedor', quantity: 8, listPriceCents: 1_800, supplier: 'Ferragens Sul' },
  { code: 'GAV-TEL-45', description: 'Corrediça telescópica 45 cm', quantity: 3, listPriceCents: 4_200, supplier: 'Ferragens Sul' },
  { code: 'PAINEL-TV-180', description: 'Painel para TV 1,80 m', quantity: 1, listPriceCents: 99_000, supplier: 'Móveis Serra' },
  { code: 'NICHO-40', description: 'Nicho 40 cm', quantity: 2, listPriceCents: 15_000, supplier: 'Móveis Serra' },
  // A code the demo store sells itself (sku P000010): the store's own price applies (price table).
  { code: 'P000010', description: 'Item da loja P000010', quantity: 1, listPriceCents: 5_000, supplier: 'Loja' },
  { code: 'ILUM-LED-1M', description: 'Perfil LED 1 m', quantity: 2, listPriceCents: 8_900, supplier: 'Luz & Cia' },
];

function hash(text: string): number {
  let value = 2166136261;
  for (const char of text) value = Math.imul(value ^ char.charCodeAt(0), 16777619) >>> 0;
  return value;
}

/** The items of `environmentName` at `revision` (1, 2, …). */
export function defaultItems(environmentName: string, revision: number): DesignEventItem[] {
  const start = hash(environmentName) % CATALOGUE.length;
  const count = 3 + Math.floor((revision - 1) / 3);
  const items = Array.from({ length: Math.min(count, CATALOGUE.length) }, (_, index) => ({ ...CATALOGUE[(start + index) % CATALOGUE.length]! }));
  // Each save changes the quantity of one line.
  const changed = items[(revision - 1) % items.length]!;
  changed.quantity += revision - 1;
  return items;
}
