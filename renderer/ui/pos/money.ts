import { splitInstallments } from '../../../sync/rules/index.ts';

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

/**
 * A payment's installments as the customer reads them: equal parts grouped, "1x R$ 33,34 + 2x R$ 33,33".
 * The parts are the ones the payment was split into, so they add up to its amount to the cent.
 */
export function installmentParts(amountCents: number, count: number, money: (cents: number) => string): string {
  const parts = splitInstallments(amountCents, count);
  const groups: { amount: number; count: number }[] = [];
  for (const amount of parts) {
    const last = groups.at(-1);
    if (last && last.amount === amount) last.count += 1;
    else groups.push({ amount, count: 1 });
  }
  return groups.map((group) => `${group.count}x ${money(group.amount)}`).join(' + ');
}
