import type { Product } from '../../schema/index.ts';
import { stepsPerUnit } from '../../rules/index.ts';

const NOUNS = ['Parafuso', 'Porca', 'Arruela', 'Chave', 'Martelo', 'Alicate', 'Fita', 'Cola', 'Tinta', 'Pincel', 'Lixa', 'Trena', 'Broca', 'Serrote', 'Cabo', 'Tomada', 'Lâmpada', 'Torneira', 'Mangueira', 'Prego'];
const QUALIFIERS = ['inox', 'galvanizado', 'profissional', 'reforçado', 'compacto', 'branco', 'preto', 'azul', 'econômico', 'premium'];
const UNITS: Product['unit'][] = ['UN', 'UN', 'UN', 'CX', 'M', 'KG', 'L'];

/** EAN-13 with a valid check digit: 789 (Brazil) + 9 digits from the product number. */
export function ean13(seed: number): string {
  const body = `789${String(seed).padStart(9, '0').slice(-9)}`;
  const sum = [...body].reduce((acc, digit, index) => acc + Number(digit) * (index % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** Deterministic, so demo data and benchmarks are the same on every machine. */
export function demoProduct(prefix: string, index: number, groupIds: readonly string[], storeSalt = 0): Product {
  const noun = NOUNS[index % NOUNS.length]!;
  const qualifier = QUALIFIERS[Math.floor(index / NOUNS.length) % QUALIFIERS.length]!;
  const size = 1 + (index % 37);
  return {
    id: `${prefix}-${String(index).padStart(5, '0')}`,
    sku: `${prefix.toUpperCase()}${String(index).padStart(6, '0')}`,
    barcode: ean13(storeSalt * 1_000_000 + index),
    name: `${noun} ${qualifier} ${size}`,
    unit: UNITS[index % UNITS.length]!,
    // Between R$ 1,00 and R$ 500,00, never a round pattern that hides rounding bugs.
    priceCents: 100 + ((index * 7919) % 49_900),
    // Stock is in the unit's smallest step (POS-22): goods sold by KG, M or L hold 10 to 509 kg/m/L in g/mm/mL.
    stock: (10 + ((index * 31) % 500)) * stepsPerUnit(UNITS[index % UNITS.length]),
    groupId: groupIds[index % groupIds.length]!,
    active: true,
  };
}
