import { BRAZIL_UFS, type BrazilUf } from '../schema/index.ts';

/**
 * Brazilian contact fields (BO-01): checked the same on the device form, in the spreadsheet import and
 * on the server. Each field is stored normalised (`normalize*`) and shown formatted (`format*`).
 *
 * - Phone: digits only, DDD (area code 11–99, no 0 in either digit) + 8-digit landline (starting 2–5)
 *   or 9-digit mobile (starting 9); a leading country code 55 is accepted and dropped.
 * - E-mail: one @, a local part and a dotted domain, no spaces, at most 200 characters. Deliberately
 *   not the full RFC 5322 grammar: it catches typing mistakes, the mail server decides the rest.
 * - CEP: 8 digits ("01310-100" or "01310100"); 00000000 is no CEP.
 * - UF: one of the 27 federative units, any case on input.
 */
export function normalizePhone(value: string): string | null {
  const stripped = value.replace(/[\s().\-+]/g, '');
  if (!/^\d+$/.test(stripped)) return null;
  const national = (stripped.length === 12 || stripped.length === 13) && stripped.startsWith('55') ? stripped.slice(2) : stripped;
  if (!/^[1-9][1-9]\d{8,9}$/.test(national)) return null;
  const subscriber = national.slice(2);
  if (subscriber.length === 9 ? subscriber[0] !== '9' : !/^[2-5]/.test(subscriber)) return null;
  return national;
}

export function isValidPhone(value: string): boolean {
  return normalizePhone(value) !== null;
}

/** 11987654321 → (11) 98765-4321; 1133334444 → (11) 3333-4444; anything else unchanged. */
export function formatPhone(value: string): string {
  const phone = normalizePhone(value);
  if (phone === null) return value;
  return phone.length === 11 ? phone.replace(/^(\d{2})(\d{5})(\d{4})$/, '($1) $2-$3') : phone.replace(/^(\d{2})(\d{4})(\d{4})$/, '($1) $2-$3');
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function normalizeEmail(value: string): string | null {
  const trimmed = value.trim();
  return trimmed.length <= 200 && EMAIL.test(trimmed) ? trimmed : null;
}

export function isValidEmail(value: string): boolean {
  return normalizeEmail(value) !== null;
}

export function normalizeCep(value: string): string | null {
  const stripped = value.replace(/[\s.-]/g, '');
  return /^\d{8}$/.test(stripped) && stripped !== '00000000' ? stripped : null;
}

export function isValidCep(value: string): boolean {
  return normalizeCep(value) !== null;
}

/** 01310100 → 01310-100; anything else unchanged. */
export function formatCep(value: string): string {
  const cep = normalizeCep(value);
  return cep === null ? value : `${cep.slice(0, 5)}-${cep.slice(5)}`;
}

export function normalizeUf(value: string): BrazilUf | null {
  const upper = value.trim().toUpperCase();
  return (BRAZIL_UFS as readonly string[]).includes(upper) ? (upper as BrazilUf) : null;
}

export function isValidUf(value: string): boolean {
  return normalizeUf(value) !== null;
}
