import { performance } from 'node:perf_hooks';
import type { Database, Queryable } from '../../../sync/server/db/database.ts';

/**
 * `db` with every query inside its transactions timed: `onQuery(ms, sql, params)` after each (wall
 * milliseconds). `around` wraps each transaction's work, e.g. to read a PostgreSQL backend's CPU before
 * and after it. For the profiling scripts of this folder (profile-upsert.ts, profile-price-change.ts).
 */
export function timedDatabase(
  db: Database,
  onQuery: (ms: number, sql: string, params: unknown[] | undefined) => void,
  around: (tx: Queryable, work: () => Promise<unknown>) => Promise<unknown> = (_tx, work) => work(),
): Database {
  return {
    ...db,
    kind: db.kind,
    query: db.query.bind(db),
    listen: db.listen.bind(db),
    close: db.close.bind(db),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
      db.transaction(
        (tx) =>
          around(tx, () =>
            work({
              async query(sql, params) {
                const at = performance.now();
                try {
                  return await tx.query(sql, params);
                } finally {
                  onQuery(performance.now() - at, sql, params as unknown[] | undefined);
                }
              },
            } as Queryable),
          ) as Promise<T>,
      ),
  };
}
