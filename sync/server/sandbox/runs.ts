import { randomBytes } from 'node:crypto';
import type { HomologationRun, HomologationStepResult } from '../../schema/index.ts';
import { runFromJson } from '../auth/api-keys.ts';
import type { Queryable } from '../db/database.ts';

/**
 * The acceptance record (API-07, "termo de aceite"): the conformance script posts its report with the
 * sandbox key it ran with; the server keeps it against that key and corroborates each step from what the
 * key actually did in the sandbox since its previous run (its request log, `sandbox_requests`). A run
 * passes only when every step of the walk is in the report, reported passed, and corroborated — so a
 * hand-written "all passed" report from a key that never walked does not open the way to production.
 */

/** One evidence: a request of the key (method, route pattern, status range); `count` times at least. */
interface Evidence {
  method: string;
  /** A LIKE pattern over the route as Fastify declares it (e.g. `/api/v1/orders/:id/:action`). */
  route: string;
  status: [number, number];
  spreadsheet?: boolean;
}

const ok = (method: string, route: string, spreadsheet?: boolean): Evidence => ({ method, route, status: [200, 299], spreadsheet });

/**
 * The walk's steps (their stable ids, test/homologate) and what each must have left in the key's log.
 * Conventions that are about the answer rather than the route are checked by status: a 412 for ETag,
 * a 429 followed by a success for the rate limit, a repeated Idempotency-Key for idempotency.
 */
export const STEP_EVIDENCE: Record<string, Evidence[]> = {
  'master-data': [ok('POST', '/api/v1/masterdata/batch'), ok('POST', '/api/v1/products/batch')],
  'product-search': [ok('GET', '/api/v1/products/search')],
  'stock-adjustment': [ok('POST', '/api/v1/stock/adjustments'), ok('GET', '/api/v1/stock')],
  'stock-reservation': [ok('POST', '/api/v1/stock/reservations'), ok('POST', '/api/v1/stock/reservations/:%')],
  'order-flow': [ok('POST', '/api/v1/orders'), ok('POST', '/api/v1/orders/:%'), ok('GET', '/api/v1/orders/:id')],
  'sales-read': [ok('GET', '/api/v1/sales/%')],
  billing: [ok('POST', '/api/v1/billing/customers'), ok('POST', '/api/v1/billing/contracts'), ok('POST', '/api/v1/billing/contracts/:%'), ok('POST', '/api/v1/billing/consumption'), ok('GET', '/api/v1/billing/receivables')],
  spreadsheet: [ok('GET', '/api/v1/%', true)],
  idempotency: [{ method: 'POST', route: '/api/v1/%', status: [422, 422] }],
  etag: [{ method: 'POST', route: '/api/v1/%', status: [412, 412] }],
  'rate-limit': [{ method: '%', route: '/api/v1/%', status: [429, 429] }],
  webhook: [ok('POST', '/api/v1/webhooks/subscriptions'), ok('POST', '/api/v1/webhooks/subscriptions/:id/ping'), ok('POST', '/api/v1/webhooks/subscriptions/:id/messages/:messageId/redeliver')],
};
export const REQUIRED_STEPS = Object.keys(STEP_EVIDENCE);

/** Extra checks beyond single requests, as SQL over the key's log ($1 key, $2 since). */
const EXTRA: Record<string, string> = {
  // A replay: one Idempotency-Key sent at least twice and answered with a success each time.
  idempotency: `SELECT 1 FROM sandbox_requests WHERE key_id = $1 AND at > $2::timestamptz AND idempotency_key IS NOT NULL AND status BETWEEN 200 AND 299
                 GROUP BY idempotency_key HAVING count(*) >= 2 LIMIT 1`,
  // Retry-After honoured: a success after the first 429.
  'rate-limit': `SELECT 1 FROM sandbox_requests a WHERE a.key_id = $1 AND a.at > $2::timestamptz AND a.status BETWEEN 200 AND 299
                   AND a.at > (SELECT min(b.at) FROM sandbox_requests b WHERE b.key_id = $1 AND b.at > $2::timestamptz AND b.status = 429) LIMIT 1`,
};

/** Days a sandbox request stays in the log when no run has consumed it. */
export const SANDBOX_REQUEST_KEEP_DAYS = 30;

/**
 * Records what a sandbox key's request was (route pattern, status, Idempotency-Key), for corroboration,
 * then prunes the log (see pruneSandboxRequests): a run consumes its key's log, but a key that never posts
 * one — or was abandoned — would otherwise keep every request it ever made.
 */
export async function logSandboxRequest(db: Queryable, entry: { keyId: string; method: string; route: string; status: number; idempotencyKey: string | null; spreadsheet: boolean }): Promise<void> {
  await db.query('INSERT INTO sandbox_requests (key_id, method, route, status, idempotency_key, spreadsheet) VALUES ($1, $2, $3, $4, $5, $6)', [
    entry.keyId,
    entry.method.slice(0, 10),
    entry.route.slice(0, 300),
    entry.status,
    entry.idempotencyKey?.slice(0, 300) ?? null,
    entry.spreadsheet,
  ]);
  await pruneSandboxRequests(db);
}

/**
 * Deletes sandbox requests older than `keepDays` (default 30) before `now`, of every key: evidence that old
 * proves nothing about a connector as it is today, and a key that never posts a run never has its log
 * consumed by recordRun. Indexed by instant (sandbox_requests_by_age), so with nothing to delete it is
 * one index probe. Real time, not the sandbox clock (`at` is the real instant). @returns rows deleted
 */
export async function pruneSandboxRequests(db: Queryable, now: Date = new Date(), keepDays: number = SANDBOX_REQUEST_KEEP_DAYS): Promise<number> {
  const deleted = await db.query('DELETE FROM sandbox_requests WHERE at < $1::timestamptz - make_interval(days => $2) RETURNING 1', [now.toISOString(), keepDays]);
  return deleted.length;
}

/** The report as the script posts it (test/homologate/runner.ts RunResult), validated by the route's schema. */
export interface PostedReport {
  passed: boolean;
  steps: { id: string; name?: string; passed: boolean; failure?: { expected?: string; error?: string; answer?: { status?: number } } }[];
}

const detailOf = (failure: PostedReport['steps'][number]['failure']): string | undefined => {
  if (!failure) return undefined;
  const parts = [failure.expected && `expected: ${failure.expected}`, failure.error && `error: ${failure.error}`, failure.answer?.status !== undefined && `answer: ${failure.answer.status}`].filter(Boolean);
  return parts.join('; ').slice(0, 2_000) || undefined;
};

/**
 * Keeps a posted report against its sandbox key, corroborated from the key's log since its previous
 * run (or ever, for its first). Steps the walk has that the report lacks count as failed.
 */
export async function recordRun(db: Queryable, input: { keyId: string; storeId: string; report: PostedReport }): Promise<HomologationRun> {
  const [previous] = await db.query<{ at: Date | string | null }>('SELECT max(received_at) AS at FROM homologation_runs WHERE key_id = $1', [input.keyId]);
  const since = previous?.at ? new Date(previous.at).toISOString() : '-infinity';
  // What the key did before its previous run is never evidence again: the log holds one run's worth per key.
  await db.query('DELETE FROM sandbox_requests WHERE key_id = $1 AND at <= $2::timestamptz', [input.keyId, since]);
  const steps: HomologationStepResult[] = input.report.steps.map((step) => ({ step: step.id, passed: step.passed, ...(detailOf(step.failure) ? { detail: detailOf(step.failure) } : {}) }));
  for (const id of REQUIRED_STEPS) if (!steps.some((step) => step.step === id)) steps.push({ step: id, passed: false, detail: 'missing from the report' });
  const uncorroborated: string[] = [];
  for (const step of steps) {
    if (!step.passed) continue;
    if (!(await corroborated(db, input.keyId, since, step.step))) uncorroborated.push(step.step);
  }
  const passed = input.report.passed && steps.every((step) => step.passed) && uncorroborated.length === 0;
  const [row] = await db.query<{ run: string }>(
    `INSERT INTO homologation_runs (id, key_id, store_id, passed, steps, uncorroborated) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING row_to_json(homologation_runs)::text AS run`,
    [randomBytes(8).toString('hex'), input.keyId, input.storeId, passed, JSON.stringify(steps), uncorroborated],
  );
  return runFromJson(row!.run);
}

async function corroborated(db: Queryable, keyId: string, since: string, step: string): Promise<boolean> {
  // Own keys only: a step named "constructor" found Object's own and failed the request (500).
  const evidence = Object.hasOwn(STEP_EVIDENCE, step) ? STEP_EVIDENCE[step] : undefined;
  if (!evidence) return false; // a step the server does not know cannot be corroborated
  for (const item of evidence) {
    const rows = await db.query(
      `SELECT 1 FROM sandbox_requests WHERE key_id = $1 AND at > $2::timestamptz AND method LIKE $3 AND route LIKE $4 AND status BETWEEN $5 AND $6 AND ($7::boolean IS NULL OR spreadsheet = $7) LIMIT 1`,
      [keyId, since, item.method, item.route, item.status[0], item.status[1], item.spreadsheet ?? null],
    );
    if (rows.length === 0) return false;
  }
  const extra = EXTRA[step];
  return extra === undefined || (await db.query(extra, [keyId, since])).length > 0;
}

/** The key's runs, newest first (at most 100). */
export async function listRuns(db: Queryable, keyId: string): Promise<HomologationRun[]> {
  const rows = await db.query<{ run: string }>('SELECT row_to_json(h)::text AS run FROM homologation_runs h WHERE key_id = $1 ORDER BY received_at DESC, id DESC LIMIT 100', [keyId]);
  return rows.map((row) => runFromJson(row.run));
}
