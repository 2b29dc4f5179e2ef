import type { Database, Queryable } from './database.ts';

/**
 * `db` seen from inside its open transaction `tx`: every query runs in `tx`, and `transaction(work)`
 * becomes a savepoint of it (released when `work` resolves, rolled back to when it throws), so code
 * written against a Database — writeBatch, changeOne, runBilling… — runs unchanged as one part of a
 * larger transaction and commits only with it.
 *
 * Why: an idempotent request's answer must commit in the same transaction as its write
 * (http/idempotency.ts). PGlite has a single connection and no nested transactions: a plain
 * `db.transaction` or `db.query` made while `tx` is open would wait for it forever, hence the savepoint.
 * `work` must not run two of these transactions at once (they share the one connection of `tx`).
 * `listen` and `close` belong to the database itself and are refused here.
 */
export function scopedTo(db: Database, tx: Queryable): Database {
  return {
    kind: db.kind,
    query: <Row,>(sql: string, params?: unknown[]) => tx.query<Row>(sql, params),
    async transaction(work) {
      await tx.query('SAVEPOINT scoped_transaction');
      try {
        const result = await work(tx);
        await tx.query('RELEASE SAVEPOINT scoped_transaction');
        return result;
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT scoped_transaction');
        throw error;
      }
    },
    listen: () => Promise.reject(new Error('listen() is not available inside a transaction: call it on the database itself.')),
    close: () => Promise.reject(new Error('close() is not available inside a transaction: call it on the database itself.')),
  };
}
