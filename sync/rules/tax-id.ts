/**
 * CPF (people, 11 digits) and CNPJ (companies, 14 characters) check digits, mod 11. Stored and sent
 * without punctuation (see `taxId` in sync/schema); the usual punctuation is accepted on input because
 * people type and paste it, but nothing else is, so "123#45..." is not silently read as a number.
 *
 * Alphanumeric CNPJ (Receita Federal, from July 2026; IN RFB 2.229/2024): the 12 base characters may be
 * digits or capital letters, the 2 check digits stay digits. Every character counts as its ASCII code
 * minus 48 in the same mod-11 sums (0–9 stay 0–9, A = 17 … Z = 42), so an all-digit CNPJ is checked
 * exactly as before. Lower-case letters are accepted on input and stored upper-case. A CPF is digits only.
 */
const CPF_WEIGHTS_1 = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CPF_WEIGHTS_2 = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;

export type TaxIdKind = 'cpf' | 'cnpj';

/** Removes everything but digits; for search boxes and form fields. */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * Characters of a tax id as typed (dots, dashes, slash, spaces allowed; letters upper-cased for the
 * alphanumeric CNPJ), or null when other characters are present.
 */
export function normalizeTaxId(value: string): string | null {
  const stripped = value.replace(/[.\-/\s]/g, '').toUpperCase();
  return /^[0-9A-Z]*$/.test(stripped) ? stripped : null;
}

/** A character's value in the check-digit sums: its ASCII code − 48 ('0' → 0, 'A' → 17). */
function charValue(char: string): number {
  return char.charCodeAt(0) - 48;
}

function checkDigit(chars: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += charValue(chars[i]!) * weights[i]!;
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** Repeated characters may pass the mod-11 test but are placeholders people type to skip the field. */
function isRepeated(chars: string): boolean {
  return /^(.)\1*$/.test(chars);
}

function withCheckDigits(base: string, length: number, weights1: readonly number[], weights2: readonly number[], alphanumeric: boolean): string {
  const pattern = alphanumeric ? `^[0-9A-Z]{${length}}$` : `^\\d{${length}}$`;
  if (!new RegExp(pattern).test(base)) throw new RangeError(`expected ${length} ${alphanumeric ? 'digits or capital letters' : 'digits'}, got "${base}".`);
  const first = checkDigit(base, weights1);
  return `${base}${first}${checkDigit(`${base}${first}`, weights2)}`;
}

/** The 9 base digits of a CPF plus its two check digits (used by generators and the seed). */
export function withCpfCheckDigits(base9: string): string {
  return withCheckDigits(base9, 9, CPF_WEIGHTS_1, CPF_WEIGHTS_2, false);
}

/** The 12 base characters of a CNPJ (8 root + 4 branch; digits or capital letters) plus its two check digits. */
export function withCnpjCheckDigits(base12: string): string {
  return withCheckDigits(base12, 12, CNPJ_WEIGHTS_1, CNPJ_WEIGHTS_2, true);
}

export function isValidCpf(value: string): boolean {
  const digits = normalizeTaxId(value);
  if (digits === null || !/^\d{11}$/.test(digits) || isRepeated(digits)) return false;
  return withCpfCheckDigits(digits.slice(0, 9)) === digits;
}

export function isValidCnpj(value: string): boolean {
  const digits = normalizeTaxId(value);
  if (digits === null || !/^[0-9A-Z]{12}\d{2}$/.test(digits) || isRepeated(digits)) return false;
  return withCnpjCheckDigits(digits.slice(0, 12)) === digits;
}

export function taxIdKind(value: string): TaxIdKind | null {
  if (isValidCpf(value)) return 'cpf';
  if (isValidCnpj(value)) return 'cnpj';
  return null;
}

export function isValidTaxId(value: string): boolean {
  return taxIdKind(value) !== null;
}

/** The stored form of a valid CPF/CNPJ as typed (punctuation removed, letters upper-cased), or null when invalid. */
export function canonicalTaxId(value: string): string | null {
  const chars = normalizeTaxId(value);
  return chars !== null && isValidTaxId(chars) ? chars : null;
}

/** 52998224725 → 529.982.247-25; 11222333000181 → 11.222.333/0001-81; 12ABC34501DE35 → 12.ABC.345/01DE-35; anything else unchanged. */
export function formatTaxId(value: string): string {
  const chars = normalizeTaxId(value);
  if (chars !== null && /^\d{11}$/.test(chars)) return chars.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
  if (chars?.length === 14) return chars.replace(/^(\w{2})(\w{3})(\w{3})(\w{4})(\w{2})$/, '$1.$2.$3/$4-$5');
  return value;
}
