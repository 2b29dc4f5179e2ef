/**
 * Migration 1610 (issue 16): a sale's createdAt as a column, `sale_created`, written by the server's
 * one document writer (db/documents.ts), instead of an index on `balcao_instant(data ->> 'createdAt')`.
 *
 * Why: PostgreSQL evaluates an index expression for every inserted row, through the SQL-function
 * machinery, and balcao_instant (a regular expression, a calendar check and a cast, migration 12) is
 * not cheap: 20,000 rows went into a table with that index in 0.86–1.04 s and into one with a plain
 * timestamptz column and index in 0.19–0.30 s (PostgreSQL 15 here, load 16) — about a third of a
 * 5,000-sale push's INSERT (test/bench/fleet/profile-push.ts; OLD_INDEX=1 puts the old index back).
 * The writer now checks the same rule in JavaScript (saleInstantText) and PostgreSQL only casts.
 * Same values as before for the rows the index covers (sales not deleted; a deleted sale's column
 * stays null, as its time was never evaluated): rows already stored get balcao_instant's answer once,
 * here. The sales movements' period filter (integration/sales.ts, API-04) reads the new column
 * through the index of the same name.
 */
export const saleInstantMigration = {
  version: 1610,
  name: 'sale-created-column',
  sql: `
    ALTER TABLE documents ADD COLUMN sale_created timestamptz;
    UPDATE documents SET sale_created = balcao_instant(data ->> 'createdAt') WHERE collection = 'sales' AND NOT deleted;
    DROP INDEX documents_sales_created;
    CREATE INDEX documents_sales_created ON documents (store_id, sale_created) WHERE collection = 'sales' AND NOT deleted
  `,
};

/** balcao_instant's pattern (migration-012-hardening.ts): an ISO-8601 time with its zone, Z or an offset. */
const INSTANT = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)([.][0-9]{1,12})?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `value` when balcao_instant(value) is not null — the same pattern, no year 0000, a day the month has
 * (proleptic Gregorian, as make_date) — so that `value::timestamptz` is what balcao_instant answers;
 * null otherwise (not a string, or not such a time).
 */
export function saleInstantText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = INSTANT.exec(value);
  if (!match || match[1] === '0000') return null;
  return Number(match[3]) <= daysIn(Number(match[1]), Number(match[2])) ? value : null;
}
