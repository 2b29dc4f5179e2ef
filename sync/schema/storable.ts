/**
 * What a schema accepts, the database stores and JavaScript reads back exactly. These limits sit
 * between JSON Schema (which knows nothing of PostgreSQL) and the server's validator, which applies
 * them to every string, integer and `date-time` of every request (sync/server/validation).
 */

/** PostgreSQL `integer` (int4): the default bound of an integer whose schema names none. */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;
/** Sequence numbers (PostgreSQL bigint) as JavaScript numbers: exact up to 2^53 - 1. */
export const SEQ_MAX = Number.MAX_SAFE_INTEGER;

/**
 * The window a device time must fall in. Stations keep selling offline with clocks that are off (a
 * couple of days either way is common; a reset clock says 1970 or 2000): a time before 2000 is a
 * reset clock, not a sale; a time more than a week ahead of the server is a clock set wrong.
 */
export const INSTANT_EARLIEST = '2000-01-01T00:00:00Z';
export const INSTANT_FUTURE_DAYS = 7;
/** Real UTC offsets run from -12:00 to +14:00; PostgreSQL reads up to ±15:59. */
export const INSTANT_MAX_OFFSET_MINUTES = 14 * 60;

const EARLIEST_MS = Date.parse(INSTANT_EARLIEST);
const DAY_MS = 86_400_000;

/** `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z` or `±HH:MM`, as toISOString and RFC 3339 write it. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

export interface InstantOptions {
  /** Also require the device-time window (default true); report bounds only need a readable instant. */
  window?: boolean;
  now?: number;
}

/**
 * Why `value` is not an instant both PostgreSQL and JavaScript read (and, with `window`, not a
 * plausible device time), or null when it is one. The reason is a phrase: "has offset +20:00, …".
 */
export function instantProblem(value: string, options: InstantOptions = {}): string | null {
  const match = INSTANT.exec(value);
  if (!match) return 'is not an ISO-8601 instant like 2026-11-23T13:00:00Z (date, T, time with seconds, then Z or an offset like -03:00)';
  const [, y, mo, d, h, mi, s, , zone, , oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return `has no such date (${y}-${mo}-${d})`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return `has no such time of day (${h}:${mi}:${s})`;
  if (zone !== 'Z') {
    const minutes = Number(oh) * 60 + Number(om);
    if (Number(om) > 59 || minutes > INSTANT_MAX_OFFSET_MINUTES) return `has offset ${zone}; UTC offsets go from -14:00 to +14:00`;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return 'is not a time JavaScript can read';
  if (options.window === false) return null;
  const now = options.now ?? Date.now();
  if (ms < EARLIEST_MS) return `is before ${INSTANT_EARLIEST.slice(0, 10)}; check the device's clock`;
  if (ms > now + INSTANT_FUTURE_DAYS * DAY_MS) return `is more than ${INSTANT_FUTURE_DAYS} days ahead of the server's clock; check the device's clock`;
  return null;
}

/** NUL (PostgreSQL text and jsonb refuse it) and unpaired UTF-16 surrogates (no UTF-8 for them: stored as U+FFFD, or refused). */
const UNSTORABLE = /[\0\uD800-\uDFFF]/u;
/** NUL or any surrogate, paired or not: most text has neither, and this test is cheaper than the exact one. */
const MAYBE_UNSTORABLE = /[\0\uD800-\uDFFF]/;

/** Why `value` cannot be stored as text as it is, or null when it can. */
export function textProblem(value: string): string | null {
  if (!MAYBE_UNSTORABLE.test(value)) return null;
  const found = UNSTORABLE.exec(value);
  if (!found) return null;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return code === '0000'
    ? `contains the character U+0000 (NUL) at position ${found.index}, which text cannot hold`
    : `contains an unpaired UTF-16 surrogate (U+${code}) at position ${found.index}, which is not text`;
}

/** The first string (key or value) in a JSON value that cannot be stored, as a JSON pointer and a reason. */
export function findTextProblem(value: unknown, path = ''): { field: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path || '/', problem } : null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findTextProblem(value[index], `${path}/${index}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: `${path}/${pointerEscape(key)}`, problem: `has a field name that ${keyProblem}` };
      const found = findTextProblem(child, `${path}/${pointerEscape(key)}`);
      if (found) return found;
    }
  }
  return null;
}

/** The same JSON value with every unstorable character replaced by U+FFFD, so a copy of it can be kept. */
export function storableCopy<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/[\0\uD800-\uDFFF]/gu, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((item) => storableCopy(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableCopy(key), storableCopy(child)])) as T;
  }
  return value;
}

function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
