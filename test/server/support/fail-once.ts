import type { Database, Queryable } from '../../../sync/server/db/database.ts';

/** What a watch does: `restore()` puts the database back. */
export interface Watch {
  restore: () => void;
}

/**
 * Calls `onStatement(sql, on)` before every statement of the server's database, made on the
 * database itself or inside one of its transactions (`on` is where the statement runs: the
 * transaction, or the database), so a test can act before, inside or after a request's commit.
 */
function watch(db: Database, onStatement: (sql: string, on: Queryable) => Promise<void>): Watch {
  const { query, transaction } = db;
  const watched = (target: Queryable): Queryable => ({
    query: async <Row>(sql: string, params?: unknown[]) => {
      await onStatement(sql, target);
      return target.query<Row>(sql, params);
    },
  });
  db.query = watched({ query }).query;
  db.transaction = (work) => transaction((tx) => work(watched(tx)));
  return { restore: () => Object.assign(db, { query, transaction }) };
}

/**
 * Makes statements fail as a dropped connection would (PostgreSQL 57P01), each matcher once, in the
 * order given: the first statement `matchers[0]` accepts fails, then the first later one `matchers[1]`
 * accepts, and so on (only the next matcher sees statements).
 */
export function failStatements(db: Database, ...matchers: ((sql: string) => boolean)[]): Watch {
  const pending = [...matchers];
  return watch(db, async (sql) => {
    if (!pending[0]?.(sql)) return;
    pending.shift();
    throw Object.assign(new Error('injected: terminating connection due to administrator command'), { code: '57P01' });
  });
}

/** Runs `run` once, just before the first statement `matcher` accepts, given where that statement runs. */
export function beforeStatement(db: Database, matcher: (sql: string) => boolean, run: (on: Queryable) => Promise<void>): Watch {
  let done = false;
  return watch(db, async (sql, on) => {
    if (done || !matcher(sql)) return;
    done = true;
    await run(on);
  });
}

/** A matcher of the first statement `then` accepts after one `first` accepted (e.g. the first read after a write). */
export function after(first: RegExp, then: RegExp): (sql: string) => boolean {
  let seen = false;
  return (sql) => {
    if (seen) return then.test(sql);
    seen = first.test(sql);
    return false;
  };
}
