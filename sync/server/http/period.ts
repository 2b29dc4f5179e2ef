import type { Period } from '../db/pos-reports.ts';
import { ApiProblem } from './problem.ts';

/** Brazilian stores count their days in São Paulo time unless the caller says otherwise. */
export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

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
  timeZone: { type: 'string', maxLength: 64, default: DEFAULT_TIME_ZONE, description: 'IANA time zone that days are counted in' },
} as const;

function isRealDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function bound(value: string | undefined, name: 'from' | 'to'): { instant: string | null; day: string | null } {
  if (value === undefined || value === '') return { instant: null, day: null };
  if (DAY.test(value) && isRealDay(value)) return { instant: null, day: value };
  if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return { instant: new Date(value).toISOString(), day: null };
  throw new ApiProblem(400, 'validation_failed', `Invalid request: "${name}" must be a day like 2026-11-23 or an instant like 2026-11-23T13:00:00Z, got "${value}". Fix it and send again.`, `/${name}`);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
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
