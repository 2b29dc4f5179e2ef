/**
 * Migration 2701 (stop 27): the design job runner's two reads, the claim ("due jobs: pending, or
 * running with an expired lease, oldest first") and its "when is the next one due" look
 * (`min(next_at)`), both select `status IN ('pending', 'running')`. The index of migration 2
 * (`design_jobs_due`, `WHERE status = 'pending'`) does not cover that predicate, so each look read
 * the whole table, with the 30 days of finished jobs kept for support. One partial index on the open
 * jobs serves both; it replaces the old one, which nothing else uses.
 */
export const designJobsOpenMigration = {
  version: 2701,
  name: 'design-jobs-open-index',
  sql: `
    DROP INDEX IF EXISTS design_jobs_due;
    CREATE INDEX design_jobs_open ON design_jobs (next_at) WHERE status IN ('pending', 'running')
  `,
};
