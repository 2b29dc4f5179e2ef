import { useTranslation } from 'react-i18next';
import { formatCents } from '../../core/money.ts';
import { dateTimeFormat } from '../../i18n/format.ts';
import { formatUnitQuantity, isMeasuredUnit, unitSymbol } from '../../../sync/rules/index.ts';

export function useMoney(): (cents: number) => string {
  const { i18n } = useTranslation();
  return (cents) => formatCents(cents, i18n.language);
}

export function useDateTime(): (iso: string) => string {
  const { i18n } = useTranslation();
  const format = dateTimeFormat(i18n.language);
  return (iso) => format.format(new Date(iso));
}

/**
 * A line's quantity as the cashier reads it: "3" for counted goods, "0,350 kg" for goods sold by
 * weight, length or volume (stored in grams, mm or mL, POS-22).
 */
export function useQuantityText(): (quantity: number, unit?: string) => string {
  const { i18n } = useTranslation();
  return (quantity, unit) => (isMeasuredUnit(unit) ? `${formatUnitQuantity(quantity, unit, i18n.language)} ${unitSymbol(unit)}` : String(quantity));
}
