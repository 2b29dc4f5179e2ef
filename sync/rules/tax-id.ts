/**
 * CPF (people, 11 digits) and CNPJ (companies, 14 digits) check digits, mod 11. Stored and sent digits
 * only (see `taxId` in sync/schema); the usual punctuation is accepted on input because people type
 * and paste it, but nothing else is, so "123abc..." is not silently read as a number.
 *
 * Not covered: the alphanumeric CNPJ the Receita Federal issues from July 2026; the schema's taxId
 * pattern is digits only, so both would have to change together.
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

/** Digits of a tax id as typed (dots, dashes, slash, spaces allowed), or null when other characters are present. */
export function normalizeTaxId(value: string): string | null {
  const stripped = value.replace(/[.\-/\s]/g, '');
  return /^\d*$/.test(stripped) ? stripped : null;
}

function checkDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** Repeated digits pass the mod-11 test but are placeholders people type to skip the field. */
function isRepeated(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

function withCheckDigits(base: string, length: number, weights1: readonly number[], weights2: readonly number[]): string {
  if (!new RegExp(`^\\d{${length}}$`).test(base)) throw new RangeError(`expected ${length} digits, got "${base}".`);
  const first = checkDigit(base, weights1);
  return `${base}${first}${checkDigit(`${base}${first}`, weights2)}`;
}

/** The 9 base digits of a CPF plus its two check digits (used by generators and the seed). */
export function withCpfCheckDigits(base9: string): string {
  return withCheckDigits(base9, 9, CPF_WEIGHTS_1, CPF_WEIGHTS_2);
}

/** The 12 base digits of a CNPJ (8 root + 4 branch) plus its two check digits. */
export function withCnpjCheckDigits(base12: string): string {
  return withCheckDigits(base12, 12, CNPJ_WEIGHTS_1, CNPJ_WEIGHTS_2);
}

export function isValidCpf(value: string): boolean {
  const digits = normalizeTaxId(value);
  if (digits === null || digits.length !== 11 || isRepeated(digits)) return false;
  return withCpfCheckDigits(digits.slice(0, 9)) === digits;
}

export function isValidCnpj(value: string): boolean {
  const digits = normalizeTaxId(value);
  if (digits === null || digits.length !== 14 || isRepeated(digits)) return false;
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

/** 52998224725 → 529.982.247-25; 11222333000181 → 11.222.333/0001-81; anything else unchanged. */
export function formatTaxId(value: string): string {
  const digits = normalizeTaxId(value);
  if (digits?.length === 11) return digits.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
  if (digits?.length === 14) return digits.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, '$1.$2.$3/$4-$5');
  return value;
}
