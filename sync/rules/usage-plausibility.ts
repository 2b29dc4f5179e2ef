import { formatBrl } from './money.ts';

/**
 * BO-04: when is a usage quantity implausible? One record is one reading of a contract's metered
 * service (a month's minutes, kWh, GB of a customer at most). The rule, the same on the consumption
 * form, in the device's spreadsheet dry run and in the API's batch answer:
 *
 * - more than IMPLAUSIBLE_QUANTITY (1,000,000) units in one record, either sign; or
 * - a record whose own charge (|quantity| × the service's price per unit, included quantities not
 *   subtracted: the most it can add to a receivable) is above IMPLAUSIBLE_CHARGE_CENTS (R$ 100,000.00).
 *
 * Such a record is usually a typo (zeros too many, a date or a CPF pasted into the quantity: the
 * breaker's 1,000,000,000 minutes made a receivable of R$ 119 million). It is a warning, not a refusal:
 * a large customer may really use that much, so the user confirms (form) or sees the rows listed before
 * importing (dry run); the server keeps accepting what the schema allows (|quantity| ≤ 1,000,000,000).
 */
export const IMPLAUSIBLE_QUANTITY = 1_000_000;
/** R$ 100,000.00 in cents. */
export const IMPLAUSIBLE_CHARGE_CENTS = 10_000_000;

export interface UsageWarning {
  /** Which limit the record passes ('charge' when both). */
  kind: 'quantity' | 'charge';
  quantity: number;
  /** |quantity| × price per unit, in cents; null when the service has no metered price. */
  chargeCents: number | null;
  /** English, with the numbers. */
  message: string;
}

/**
 * Whether a usage quantity needs a second look (see the module's rule).
 *
 * @param quantity units of the service (whole; negative for a correcting record)
 * @param service the record's service: its price per unit in cents, if metered
 * @returns the warning, or null for a plausible quantity
 */
export function implausibleUsage(quantity: number, service: { unitPriceCents?: number; unit?: string } | undefined): UsageWarning | null {
  const units = Math.abs(quantity);
  const chargeCents = service?.unitPriceCents !== undefined ? units * service.unitPriceCents : null;
  const unit = service?.unit ? ` ${service.unit}` : ' units';
  if (chargeCents !== null && chargeCents > IMPLAUSIBLE_CHARGE_CENTS) {
    return { kind: 'charge', quantity, chargeCents, message: `Quantity ${quantity}${unit} would charge ${formatBrl(chargeCents)} in one record (more than ${formatBrl(IMPLAUSIBLE_CHARGE_CENTS)}). Check that it is right.` };
  }
  if (units > IMPLAUSIBLE_QUANTITY) {
    return { kind: 'quantity', quantity, chargeCents, message: `Quantity ${quantity}${unit} is more than ${IMPLAUSIBLE_QUANTITY.toLocaleString('en-US')} in one record. Check that it is right.` };
  }
  return null;
}

/** The warning for the user's locale (pt-BR by default; anything not Portuguese gets English). */
export function usageWarningText(warning: UsageWarning, locale: string): string {
  if (!locale.toLowerCase().startsWith('pt')) return warning.message;
  const quantity = warning.quantity.toLocaleString('pt-BR');
  if (warning.kind === 'charge') {
    return `A quantidade ${quantity} geraria ${formatBrl(warning.chargeCents ?? 0)} em um só lançamento (mais de ${formatBrl(IMPLAUSIBLE_CHARGE_CENTS)}). Confira se está certa.`;
  }
  return `A quantidade ${quantity} passa de ${IMPLAUSIBLE_QUANTITY.toLocaleString('pt-BR')} em um só lançamento. Confira se está certa.`;
}
