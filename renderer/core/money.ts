const cache = new Map<string, Intl.NumberFormat>();

/** Money is integer cents everywhere; this is the only place it becomes reais, for display. */
export function formatCents(cents: number, locale = 'pt-BR'): string {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'BRL' });
    cache.set(locale, format);
  }
  return format.format(cents / 100);
}
