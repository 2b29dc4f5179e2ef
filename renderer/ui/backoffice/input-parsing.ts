import { isCalendarDate } from '../../../sync/rules/index.ts';

/** What the back-office forms accept as typed, as pure functions (unit-tested). */

/** DD/MM/AAAA (pt-BR, as the user writes a day) or YYYY-MM-DD → YYYY-MM-DD; null when it is no real day. */
export function parseDay(text: string): string | null {
  const trimmed = text.trim();
  const br = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const iso = br ? `${br[3]}-${br[2]!.padStart(2, '0')}-${br[1]!.padStart(2, '0')}` : trimmed;
  return isCalendarDate(iso) ? iso : null;
}

/** YYYY-MM-DD → DD/MM/AAAA. */
export function dayText(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/** Whole numbers typed by a user ("1.500" in pt-BR is 1500; "1.5" is a typo, not 15); null for anything else. */
export function parseWhole(text: string, allowNegative = false): number | null {
  const trimmed = text.trim();
  if (!/^-?(\d+|\d{1,3}(\.\d{3})+)$/.test(trimmed)) return null;
  if (trimmed.startsWith('-') && !allowNegative) return null;
  const value = Number(trimmed.replace(/\./g, ''));
  return Number.isSafeInteger(value) ? value : null;
}
