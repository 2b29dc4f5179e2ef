import { storeDay } from '../../../sync/rules/index.ts';

/**
 * Billing periods (YYYY-MM) counted from the month the tests run in, in the store's calendar (São Paulo)
 * as the billing rule's periodEnd counts them (sync/rules/billing.ts, store-calendar.ts). Why: a
 * contract's activation is stamped with the real clock, and only a contract active at a period's end (the
 * store's local midnight beginning the next month) pays that period's fee, so a test that bills a fixed
 * month ("2026-11") stopped charging the fee once the month was over. `now` is for the tests of this helper.
 */
export function monthFromNow(offset: number, now = new Date()): string {
  const [year, month] = storeDay(now).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 + offset, 1)).toISOString().slice(0, 7);
}

/** Day `day` of `period` (YYYY-MM-DD), or the period's last day when the month is shorter (30 → 28 in February). */
export function dayOf(period: string, day: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** The month before the current one, the current one, and the two after it. */
export const PERIODS = { previous: monthFromNow(-1), current: monthFromNow(0), next: monthFromNow(1), afterNext: monthFromNow(2) } as const;
