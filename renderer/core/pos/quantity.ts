/**
 * Quantities a cashier types: in the scan field ("3*7890001"), in a cart line, as goods returned in an
 * exchange. One rule for all of them, so "0", "-2" or "99999999" is refused the same way everywhere
 * ("quantidade inválida") instead of adding a zero line or looking up a product called "-2*789…".
 */

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
  /** Just a code (or a name): one unit. */
  | { kind: 'code'; code: string; quantity: 1 }
  /** "3*code": a quantity and a code. */
  | { kind: 'quantity'; code: string; quantity: number }
  /** "0*code", "-2*code", "99999999*code", "1,5*code" on a product sold by the unit, …: refused. */
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
  const quantity = parseQuantity(match[1]!);
  return quantity.ok ? { kind: 'quantity', code, quantity: quantity.quantity } : { kind: 'invalidQuantity', code };
}
