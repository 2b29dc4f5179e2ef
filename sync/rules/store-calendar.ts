/**
 * The store's calendar: where a calendar day (YYYY-MM-DD) begins as an instant, and which day an instant
 * falls on. Days of the back office — consumption dates, a cancellation's effective date, due dates, the
 * billing periods (YYYY-MM) — are days of the store's calendar, São Paulo for Brazilian stores; contract
 * transitions are instants stamped by the server. Billing and contract state compare the two only through
 * these functions, on the device and on the server, so a contract activated at 22:00 on 30 November in
 * São Paulo (01:00Z on 1 December) was active at November's end.
 *
 * A real time-zone computation (the IANA data of Intl), not a fixed offset: São Paulo is UTC−3 with no
 * daylight saving since 2019, but it had it before, and other zones are accepted elsewhere on the server.
 */

/** The time zone a store's calendar days are counted in: São Paulo (IANA America/Sao_Paulo). */
export const STORE_TIME_ZONE = 'America/Sao_Paulo';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall clock of `timeZone` at `ms` (milliseconds since the epoch), read as if it were UTC, in ms. */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatOf(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (ms - Math.floor(ms / 1000) * 1000);
}

function dayOfWallClock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The calendar day (YYYY-MM-DD) an instant falls on in the store's calendar.
 * @param instant an ISO-8601 instant or a Date
 * @param timeZone IANA time zone (default: the store's, São Paulo)
 * @throws RangeError for an instant that is not a date
 */
export function storeDay(instant: string | Date, timeZone = STORE_TIME_ZONE): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${String(instant)} is not an instant.`);
  return dayOfWallClock(wallClock(ms, timeZone));
}

/**
 * The first instant of a calendar day in the store's calendar, ISO-8601 UTC (toISOString):
 * localMidnight('2026-12-01') → '2026-12-01T03:00:00.000Z' (São Paulo, UTC−3). On a day whose midnight the
 * clocks skipped (daylight saving starting at 00:00), the day begins when the clocks moved; on one whose
 * midnight happened twice (clocks set back across it), at the second, from which the clock stays on the
 * day (PostgreSQL's reading of such a local time too).
 * @param day YYYY-MM-DD
 * @param timeZone IANA time zone (default: the store's, São Paulo)
 * @throws RangeError for a value that is not a day
 */
export function localMidnight(day: string, timeZone = STORE_TIME_ZONE): string {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`${day} is not a day (YYYY-MM-DD).`);
  const naive = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(naive) || dayOfWallClock(naive) !== day) throw new RangeError(`${day} is not a day (YYYY-MM-DD).`);
  // The instant whose wall clock reads the day's 00:00: the naive instant less the zone's offset, the
  // offset read at both candidates (it may change between them).
  const first = naive - (wallClock(naive, timeZone) - naive);
  const second = naive - (wallClock(first, timeZone) - first);
  const exact = [first, second].filter((ms) => wallClock(ms, timeZone) === naive).sort((a, b) => b - a);
  if (exact.length > 0) {
    // Of two midnights (clocks set back across it) the second; the hour after may hold it.
    const later = exact[0]! + 3_600_000;
    return new Date(wallClock(later, timeZone) === naive ? later : exact[0]!).toISOString();
  }
  // Midnight skipped: the day begins at the change of offset, between the candidates (to the millisecond).
  let low = Math.min(first, second);
  let high = Math.max(first, second);
  if (dayOfWallClock(wallClock(high, timeZone)) !== day) high = low + 86_400_000;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (dayOfWallClock(wallClock(middle, timeZone)) >= day) high = middle;
    else low = middle;
  }
  return new Date(high).toISOString();
}
