import type { Database, Queryable } from '../db/database.ts';
import { scopedTo } from '../db/scoped-transaction.ts';
import { ApiProblem } from './problem.ts';

/** What a write route answers. */
export interface Answer {
  status: number;
  body: unknown;
  /** Extra headers of the first answer (e.g. the new ETag); not replayed. */
  headers?: Record<string, string>;
  /** Runs once the work has committed, before the answer is sent (e.g. counting what it wrote in the metrics); never for a rolled-back work or a replay. */
  committed?: () => void;
}

/**
 * A write route's work. It reads and writes only through `db`, which is the request's transaction
 * (scopedTo): its own `db.transaction(…)` calls are savepoints, and nothing it writes commits before
 * the whole work has answered. It must not use the server's database (`ctx.db`) directly: on PGlite
 * that waits for the request's transaction forever.
 */
export type RequestWork = (db: Database) => Promise<Answer>;

/** How a work ended: its answer, or the refusal it threw (an ApiProblem under 500), then answered as `answer` too. */
export interface Outcome {
  answer: Answer;
  refusal?: ApiProblem;
}

/**
 * Runs `work` in one transaction of `db`, and `settle(tx, outcome)` in that same transaction just
 * before it commits (http/idempotency.ts records the key's answer there, so the answer and the write
 * commit together or not at all).
 * - The work answers: it commits, with what settle wrote.
 * - The work throws an ApiProblem under 500 (a refusal): what it wrote so far commits all the same —
 *   a record refused by a business rule stays in integration errors (POS-07) — and the outcome carries
 *   the problem, for the caller to throw once committed.
 * - Anything else (a 5xx, a lost connection, a bug) rolls back everything the work wrote and is thrown:
 *   a request that failed changed nothing, and may be sent again.
 */
export async function runInTransaction(db: Database, work: RequestWork, settle?: (tx: Queryable, outcome: Outcome) => Promise<void>): Promise<Outcome> {
  return db.transaction(async (tx) => {
    let outcome: Outcome;
    try {
      outcome = { answer: await work(scopedTo(db, tx)) };
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.statusCode >= 500) throw error;
      outcome = { answer: { status: error.statusCode, body: error.toBody() }, refusal: error };
    }
    await settle?.(tx, outcome);
    return outcome;
  });
}
