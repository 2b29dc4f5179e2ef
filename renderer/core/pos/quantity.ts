/**
 * Quantities a cashier types: in the scan field ("3*7890001"), in a cart line, as goods returned in an
 * exchange. One rule for all of them, so "0", "-2" or "99999999" is refused the same way everywhere
 * ("quantidade inválida") instead of adding a zero line or looking up a product called "-2*789…".
 */

import { isMeasuredUnit, parseUnitQuantity, stepsPerUnit } from '../../../sync/rules/index.ts';

/** The largest quantity a sale line may carry (sync/schema sales: items[].quantity maximum). */
export const MAX_QUANTITY = 1_000_000;

/** The largest amount a cash movement or a payment may carry (sync/schema common-fields: cents maximum). */
export const MAX_AMOUNT_CENTS = 1_000_000_000_00;

export type QuantityCheck = { ok: true; quantity: number } | { ok: false };

/** A typed quantity: whole, at least 1, at most MAX_QUANTITY. Spaces around it are fine. */
export function parseQuantity(text: string): QuantityCheck {
  const trimmed = text.trim();
  if (!/^\d{1,7}$/.test(trimmed)) return { ok: false };
  const quantity = Number(trimmed);
  return quantity >= 1 && quantity <= MAX_QUANTITY ? { ok: true, quantity } : { ok: false };
}

/** A quantity already held as a number (a cart line, a field): the same bounds as a typed one. */
export function isValidQuantity(quantity: number): boolean {
  return Number.isSafeInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY;
}

export type ScanInput =
  /** Just a code (or a name): one unit; a product sold by weight or length needs its quantity. */
  | { kind: 'code'; code: string; quantity: 1 }
  /** "3*code": a whole quantity and a code (3 units, or 3 kg/m/L of a measured product). */
  | { kind: 'quantity'; code: string; quantity: number }
  /** "0,350*code": a decimal quantity; only a product sold by KG, M or L takes it (POS-22). */
  | { kind: 'measured'; code: string; text: string }
  /** "0*code", "-2*code", "99999999*code", …: refused. */
  | { kind: 'invalidQuantity'; code: string };

/**
 * Splits what the scan field holds. A quantity prefix is anything number-like before `*` or `x`
 * (`-2`, `0`, `1,5`, `99999999`), so a bad quantity is recognised as one and refused rather than
 * becoming part of the code. A name that merely contains an x ("caixa") stays a name.
 */
export function parseScan(text: string): ScanInput {
  const match = /^\s*([+-]?[\d.,]+)\s*[*xX]\s*(.*)$/.exec(text);
  if (!match) return { kind: 'code', code: text.trim(), quantity: 1 };
  const code = match[2]!.trim();
  const prefix = match[1]!;
  if (/^\d{1,6}[.,]\d{1,3}$/.test(prefix) && parseUnitQuantity(prefix, 'KG') !== null) return { kind: 'measured', code, text: prefix };
  const quantity = parseQuantity(prefix);
  return quantity.ok ? { kind: 'quantity', code, quantity: quantity.quantity } : { kind: 'invalidQuantity', code };
}

export type LineQuantity =
  | { ok: true; quantity: number }
  /** invalid: out of bounds or fractional for counted goods; weightNeeded: a measured product scanned without its quantity. */
  | { ok: false; problem: 'invalid' | 'weightNeeded' };

/**
 * The quantity a scan adds for a product of `unit`, in the unit's smallest step (POS-22): "3*" is 3
 * units or 3 kg (3000 g); "0,350*" is 350 g and only for measured goods; a bare code adds one unit of
 * counted goods, while a measured product needs its weight typed or a scale label (never a silent 1 kg).
 */
export function scanQuantity(input: ScanInput, unit: string | undefined): LineQuantity {
  const measured = isMeasuredUnit(unit);
  let quantity: number | null;
  switch (input.kind) {
    case 'invalidQuantity':
      return { ok: false, problem: 'invalid' };
    case 'code':
      if (measured) return { ok: false, problem: 'weightNeeded' };
      quantity = 1;
      break;
    case 'quantity':
      quantity = input.quantity * stepsPerUnit(unit);
      break;
    case 'measured':
      quantity = measured ? parseUnitQuantity(input.text, unit) : null;
      break;
  }
  return quantity !== null && isValidQuantity(quantity) ? { ok: true, quantity } : { ok: false, problem: 'invalid' };
}
