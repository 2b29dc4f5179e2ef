import { localDay } from '../../core/pos/summary.ts';

/** A period of whole local days, inclusive, as YYYY-MM-DD strings (what <input type="date"> uses). */
export interface Period {
  from: string;
  to: string;
}

export function todayPeriod(days = 0): Period {
  const today = localDay(new Date().toISOString());
  const start = new Date();
  start.setDate(start.getDate() - days);
  return { from: localDay(start.toISOString()), to: today };
}

export function inPeriod(iso: string, period: Period): boolean {
  const day = localDay(iso);
  return (!period.from || day >= period.from) && (!period.to || day <= period.to);
}
