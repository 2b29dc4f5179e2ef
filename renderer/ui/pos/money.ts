/**
 * Amounts typed by a cashier: "12,50", "12.50", "1.234,56", "R$ 10" → cents. Returns null for
 * anything else, so a typo is reported instead of becoming a wrong amount.
 */
export function parseMoney(text: string): number | null {
  const cleaned = text.replace(/R\$|\s/g, '');
  if (!cleaned) return null;
  let normalized: string;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(cleaned)) normalized = cleaned.replace(/\./g, '').replace(',', '.');
  else if (/^\d+(,\d{1,2})?$/.test(cleaned)) normalized = cleaned.replace(',', '.');
  else if (/^\d+(\.\d{1,2})?$/.test(cleaned)) normalized = cleaned;
  else return null;
  const [whole = '0', fraction = ''] = normalized.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Cents as the cashier would type them back (pt-BR decimal comma, no currency sign). */
export function centsToInput(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}
