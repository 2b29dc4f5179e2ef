import type { PRODUCT_UNITS } from '../schema/index.ts';
import { assertCents, divideRounded } from './money.ts';

/**
 * Goods sold by weight, length or volume (POS-22). A product's `unit` says how its quantity counts:
 *
 * | unit | price is per | quantity is stored in | steps per unit |
 * |------|--------------|-----------------------|----------------|
 * | UN, CX | unit / box | units                | 1              |
 * | KG   | kilogram     | grams                 | 1000           |
 * | M    | metre        | millimetres           | 1000           |
 * | L    | litre        | millilitres           | 1000           |
 *
 * Quantities are always integers in the unit's smallest step (ARCHITECTURE "Conventions"), product
 * stock included, so stock effects and exchanges need no conversion. A sale line of a measured product
 * carries `unit` so the document says by itself how to read its quantity (sales schema v1).
 *
 * Rounding rule for a measured line: amount = price per unit × quantity in steps ÷ 1000, rounded
 * half-up to the cent (R$ 10,99/kg × 333 g = 365,967 cents → R$ 3,66; 0,5 cent goes up). Half-up is
 * what price-computing scales print on their labels, so the counter charges what the label shows.
 * Counted goods (UN, CX) never round: price × quantity.
 */
export type ProductUnit = (typeof PRODUCT_UNITS)[number];
export const MEASURED_UNITS = ['KG', 'M', 'L'] as const;
export type MeasuredUnit = (typeof MEASURED_UNITS)[number];

/** Smallest steps in one KG, M or L. */
export const STEPS_PER_UNIT = 1000;

export function isMeasuredUnit(unit: string | undefined): unit is MeasuredUnit {
  return unit === 'KG' || unit === 'M' || unit === 'L';
}

/** How many stored steps make one unit of `unit` (1000 for KG/M/L, 1 for counted goods). */
export function stepsPerUnit(unit: string | undefined): number {
  return isMeasuredUnit(unit) ? STEPS_PER_UNIT : 1;
}

/**
 * A line's gross amount in cents: `unitPriceCents` per unit (per kg/m/L for measured goods) times
 * `quantity` in steps (grams/mm/mL), half-up to the cent for measured goods. Throws RangeError on
 * negative or fractional input, or an amount beyond Number.MAX_SAFE_INTEGER cents.
 */
export function lineAmountCents(unitPriceCents: number, quantity: number, unit?: string): number {
  assertCents(unitPriceCents, 'unit price');
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a whole number ≥ 0, got ${quantity}.`);
  const amount = divideRounded(BigInt(unitPriceCents) * BigInt(quantity), BigInt(stepsPerUnit(unit)), 'halfUp');
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`line amount is too large to be represented exactly (${amount} cents).`);
  return Number(amount);
}

/** How the unit is written after a price or quantity: kg, m, L (counted goods: un, cx). */
export function unitSymbol(unit: string | undefined): string {
  return unit === 'KG' ? 'kg' : unit === 'M' ? 'm' : unit === 'L' ? 'L' : (unit ?? 'UN').toLowerCase();
}

/**
 * A quantity typed in the product's own unit ("0,350" kg, "1.5" m, "2" L, "3" units) → integer steps
 * (350 g, 1500 mm, 2000 mL, 3). Comma or point as the decimal mark; counted goods take whole numbers
 * only; measured goods at most three decimals (one gram, millimetre or millilitre). Returns null for
 * anything else, zero or negative included.
 */
export function parseUnitQuantity(text: string, unit: string | undefined): number | null {
  const trimmed = text.trim();
  if (!isMeasuredUnit(unit)) return /^\d{1,9}$/.test(trimmed) && Number(trimmed) >= 1 ? Number(trimmed) : null;
  const match = /^(\d{1,6})(?:[.,](\d{1,3}))?$/.exec(trimmed);
  if (!match) return null;
  const steps = Number(match[1]) * STEPS_PER_UNIT + Number((match[2] ?? '').padEnd(3, '0'));
  return steps >= 1 ? steps : null;
}

/**
 * Steps shown in the product's unit with its decimals: 350 g → "0,350" (pt-BR) / "0.350" (en).
 * Counted goods show as whole numbers.
 */
export function formatUnitQuantity(quantity: number, unit: string | undefined, locale = 'pt-BR'): string {
  if (!isMeasuredUnit(unit)) return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(quantity);
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(quantity / STEPS_PER_UNIT);
}

/**
 * A weight label printed by a price-computing scale (EAN-13 starting with 2), as this app reads it:
 * `2` + 5-digit product code (the product's SKU, zero-padded) + 6-digit quantity in steps (grams, mm
 * or mL, up to 999,999) + EAN-13 check digit. Returns null when the text is not such a label or its
 * check digit is wrong (a misread label must not sell a wrong weight).
 */
export function parseScaleLabel(text: string): { productCode: string; quantity: number } | null {
  const digits = text.trim();
  if (!/^2\d{12}$/.test(digits) || ean13CheckDigit(digits.slice(0, 12)) !== Number(digits[12])) return null;
  const quantity = Number(digits.slice(6, 12));
  return quantity >= 1 ? { productCode: digits.slice(1, 6), quantity } : null;
}

/** The label a scale prints for `quantity` steps of the product with SKU `productCode` (tests, label printing). */
export function scaleLabel(productCode: string, quantity: number): string {
  const body = `2${productCode.padStart(5, '0')}${String(quantity).padStart(6, '0')}`;
  if (!/^2\d{11}$/.test(body)) throw new RangeError('a scale label needs a numeric product code of up to 5 digits and 1..999999 steps.');
  return `${body}${ean13CheckDigit(body)}`;
}

function ean13CheckDigit(twelveDigits: string): number {
  let sum = 0;
  for (let index = 0; index < 12; index++) sum += Number(twelveDigits[index]) * (index % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/**
 * A sale line's quantity in its product's stock steps (grams, mm, mL or units). A line that carries
 * `unit` is already in steps. A line without one counts whole units (sales schema): for a product sold
 * by KG, M or L that is a sale written before POS-22 (sales version 0, when 2 meant 2 kg) or by an
 * integrator, so 2 is 2000 g of stock, never 2 g. Counted goods: the quantity as it is.
 */
export function stockStepsOf(line: { quantity: number; unit?: string }, productUnit: string | undefined): number {
  return isMeasuredUnit(line.unit) ? line.quantity : line.quantity * stepsPerUnit(productUnit);
}
