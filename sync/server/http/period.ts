import type { Period } from '../db/pos-reports.ts';
import { STORE_TIME_ZONE } from '../../rules/index.ts';
import { ApiProblem } from './problem.ts';

/** Brazilian stores count their days in São Paulo time unless the caller says otherwise (the store's calendar, sync/rules). */
export const DEFAULT_TIME_ZONE = STORE_TIME_ZONE;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export interface PeriodQuery {
  from?: string;
  to?: string;
  timeZone?: string;
}

export const periodQueryProperties = {
  from: { type: 'string', maxLength: 40, description: 'Start, inclusive: a day (YYYY-MM-DD, from its midnight in timeZone) or an ISO-8601 instant with offset' },
  to: { type: 'string', maxLength: 40, description: 'End: a day (YYYY-MM-DD, included to its end in timeZone) or an ISO-8601 instant (exclusive)' },
  timeZone: { type: 'string', maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_/+-]*$', default: DEFAULT_TIME_ZONE, description: 'IANA time zone that days are counted in' },
} as const;

/** Periods are dates PostgreSQL and JavaScript both hold, with room for a day's end in any time zone. */
const EARLIEST = Date.parse('1000-01-01T00:00:00Z');
const LATEST = Date.parse('9998-12-31T00:00:00Z');

function isRealDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function bound(value: string | undefined, name: 'from' | 'to'): { instant: string | null; day: string | null } {
  if (value === undefined || value === '') return { instant: null, day: null };
  const at = DAY.test(value) ? (isRealDay(value) ? Date.parse(`${value}T00:00:00Z`) : NaN) : INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) {
    throw new ApiProblem(400, 'validation_failed', `Invalid request: "${name}" must be a day like 2026-11-23 or an instant like 2026-11-23T13:00:00Z, got "${value}". Fix it and send again.`, `/${name}`);
  }
  if (at < EARLIEST || at > LATEST) {
    throw new ApiProblem(400, 'validation_failed', `Invalid request: "${name}" must lie between the years 1000 and 9998, got "${value}". Fix it and send again.`, `/${name}`);
  }
  return DAY.test(value) ? { instant: null, day: value } : { instant: new Date(at).toISOString(), day: null };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a report; a time zone JavaScript knows but this PostgreSQL does not (its time zone data is
 * older or newer) is the caller's to fix, not a server failure.
 */
export async function inTimeZone<T>(period: Period, report: () => Promise<T>): Promise<T> {
  try {
    return await report();
  } catch (error) {
    if ((error as { code?: string }).code === '22023' && /time zone/i.test(String((error as Error).message))) {
      throw new ApiProblem(400, 'validation_failed', `Invalid request: the database does not know the time zone "${period.timeZone}". Use another IANA name, such as America/Sao_Paulo.`, '/timeZone');
    }
    throw error;
  }
}

export function parsePeriod(query: PeriodQuery): Period {
  const timeZone = query.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) {
    throw new ApiProblem(400, 'validation_failed', `Invalid request: "${timeZone}" is not a time zone. Use an IANA name such as America/Sao_Paulo.`, '/timeZone');
  }
  const from = bound(query.from, 'from');
  const to = bound(query.to, 'to');
  return { fromInstant: from.instant, fromDay: from.day, toInstant: to.instant, toDay: to.day, timeZone };
}
