import { performance } from 'node:perf_hooks';

/**
 * For the benches' server process (central-process.ts) only: wraps PGlite's `query` (and the `query`
 * of its transactions) to sum each statement's wall milliseconds, by its first 110 characters. Call
 * before the server opens its database. `take(reset)` answers the sums, slowest first.
 */
export async function timePgliteQueries(): Promise<{ take(reset: boolean): { sql: string; ms: number; count: number }[] }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const sums = new Map<string, { ms: number; count: number }>();
  const timed = <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    return run().finally(() => {
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 110);
      const sum = sums.get(key) ?? { ms: 0, count: 0 };
      sum.ms += performance.now() - at;
      sum.count += 1;
      sums.set(key, sum);
    });
  };
  type Query = (sql: string, params?: unknown[], options?: unknown) => Promise<unknown>;
  const proto = PGlite.prototype as unknown as { query: Query; transaction: (work: (tx: { query: Query }) => Promise<unknown>) => Promise<unknown> };
  const query = proto.query;
  proto.query = function (this: unknown, sql, params, options) {
    return timed(sql, () => query.call(this, sql, params, options));
  };
  const transaction = proto.transaction;
  proto.transaction = function (this: unknown, work) {
    return transaction.call(this, (tx) => {
      const inner = tx.query.bind(tx);
      return work(Object.assign(Object.create(tx) as object, { query: (sql: string, params?: unknown[], options?: unknown) => timed(sql, () => inner(sql, params, options)) }) as { query: Query });
    });
  };
  return {
    take(reset) {
      const answer = [...sums].map(([sql, sum]) => ({ sql, ms: Math.round(sum.ms * 10) / 10, count: sum.count })).sort((a, b) => b.ms - a.ms);
      if (reset) sums.clear();
      return answer;
    },
  };
}
