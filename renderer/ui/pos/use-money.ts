import { useTranslation } from 'react-i18next';
import { formatCents } from '../../core/money.ts';

export function useMoney(): (cents: number) => string {
  const { i18n } = useTranslation();
  return (cents) => formatCents(cents, i18n.language);
}

export function useDateTime(): (iso: string) => string {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  return (iso) => format.format(new Date(iso));
}
