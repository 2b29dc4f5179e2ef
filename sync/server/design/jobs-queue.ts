import type { Queryable } from '../db/database.ts';

/**
 * The channel a queued or re-armed job is announced on (in the queuing transaction, so it is delivered
 * when that commits): the runners of every instance wake on it instead of polling (job-runner.ts).
 */
export const DESIGN_JOBS_CHANNEL = 'balcao_design_jobs';

export type JobKind = 'create_project' | 'create_environment' | 'export_customers' | 'import_legacy';

export interface JobRequest {
  kind: JobKind;
  /** With the kind, the job's id: asking again for the same work re-arms the job instead of doubling it. */
  key: string;
  payload: Record<string, string>;
}

/**
 * A re-armed job starts its attempts again, unless it is running: the runner closes a run by its claim
 * (`attempts` then), so the next claim must not reuse that number; else the older run's end would
 * close the newer claim with its stale outcome (and a failed newer run would never retry).
 */
const KEEP_CLAIM_NUMBER = "CASE WHEN design_jobs.status = 'running' THEN design_jobs.attempts ELSE 0 END";

/**
 * Queues portal calls in the caller's transaction, so they exist exactly when the change committed.
 * Re-arming a job that is running makes it pending again: the run in progress cannot close it
 * (the runner only closes the claim it holds), so the work runs once more with the newest data.
 */
export async function enqueueJobs(tx: Queryable, storeId: string, jobs: readonly JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  await tx.query(
    `WITH queued AS (
       INSERT INTO design_jobs (id, store_id, kind, payload)
       SELECT j.id, $1, j.kind, j.payload::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS j(id, kind, payload)
       ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, status = 'pending', attempts = ${KEEP_CLAIM_NUMBER}, next_at = now(), last_error = NULL, finished_at = NULL
       RETURNING 1
     )
     SELECT pg_notify('${DESIGN_JOBS_CHANNEL}', '') FROM (SELECT 1 FROM queued LIMIT 1) q`,
    [storeId, jobs.map((job) => `${storeId}:${job.kind}:${job.key}`), jobs.map((job) => job.kind), jobs.map((job) => JSON.stringify(job.payload))],
  );
}

/**
 * A customer created or changed in the store system is made available to the design software
 * (DES-03). One job per store walks the customers changed since the last export, so a batch of
 * 10,000 customers costs one tiny statement here; nothing is queued without a portal account.
 */
export async function armCustomerExport(tx: Queryable, storeId: string): Promise<void> {
  await tx.query(
    `WITH queued AS (
       INSERT INTO design_jobs (id, store_id, kind, payload)
       SELECT $1 || ':export_customers', $1, 'export_customers', '{}'::jsonb
        WHERE EXISTS (SELECT 1 FROM design_portal_accounts WHERE store_id = $1)
       ON CONFLICT (id) DO UPDATE SET status = 'pending', attempts = ${KEEP_CLAIM_NUMBER}, next_at = now(), last_error = NULL, finished_at = NULL
       RETURNING 1
     )
     SELECT pg_notify('${DESIGN_JOBS_CHANNEL}', '') FROM queued`,
    [storeId],
  );
}
