import { useTranslation } from 'react-i18next';
import { formatCents } from '../../core/money.ts';
import { dateTimeFormat } from '../../i18n/format.ts';

export function useMoney(): (cents: number) => string {
  const { i18n } = useTranslation();
  return (cents) => formatCents(cents, i18n.language);
}

export function useDateTime(): (iso: string) => string {
  const { i18n } = useTranslation();
  const format = dateTimeFormat(i18n.language);
  return (iso) => format.format(new Date(iso));
}
