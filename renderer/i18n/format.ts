import 'dayjs/locale/pt-br';
import 'dayjs/locale/en-gb';

/**
 * Dates, times and numbers follow the language the user chose in the app, never the browser's or the
 * system's locale (a Chromium in English would show 11/29/2026). English keeps day-first dates, as a
 * Brazilian store reads them: en-GB.
 */
export function formatLocale(language: string): string {
  return language === 'en' ? 'en-GB' : 'pt-BR';
}

/** The dayjs locale of the date pickers (@mantine/dates), matching formatLocale. */
export function pickerLocale(language: string): string {
  return language === 'en' ? 'en-gb' : 'pt-br';
}

/** "29/11/2026 14:03:36" in pt-BR. */
export function dateTimeFormat(language: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(formatLocale(language), { dateStyle: 'short', timeStyle: 'medium' });
}

/** "29/11/2026" in pt-BR, for a day given as YYYY-MM-DD (a local day, no time zone shift). */
export function formatDay(day: string, language: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(formatLocale(language), { dateStyle: 'short' }).format(new Date(year!, (month ?? 1) - 1, date ?? 1));
}
