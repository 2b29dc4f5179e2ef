/**
 * Issue 13 (API-06, API-07): the sandbox and the acceptance record. Version 1310 so parallel branches
 * adding migrations do not collide; versions only need to be unique.
 *
 * - sandboxes: a production store's companion store (its own row in `stores`, so every per-store scope
 *   keeps its data apart by construction) and its clock offset in seconds.
 * - api_keys.environment: 'production' keys (`bk.`) reach their store; 'sandbox' keys (`bk_test.`) are
 *   rows of the sandbox store, so they resolve to it and nothing else. promoted_from: the sandbox key a
 *   production key was promoted from (API-07).
 * - sandbox_requests: what each sandbox key actually did (route, method, status, Idempotency-Key), the
 *   evidence a conformance report is corroborated against.
 * - homologation_runs: one row per report posted by a sandbox key (the "termo de aceite").
 * - store_now(store): the store's "now" (the real one plus the sandbox offset); SQL that decides
 *   by the clock (stock reservation expiry) reads it, so one definition serves both sides.
 */
export const sandboxMigration = {
  version: 1310,
  name: 'sandbox-and-homologation',
  sql: `
    CREATE TABLE sandboxes (
      store_id text PRIMARY KEY REFERENCES stores(id),
      sandbox_store_id text NOT NULL UNIQUE REFERENCES stores(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      reset_at timestamptz,
      clock_offset_seconds bigint NOT NULL DEFAULT 0 CHECK (clock_offset_seconds >= 0)
    );
    ALTER TABLE api_keys ADD COLUMN environment text NOT NULL DEFAULT 'production' CHECK (environment IN ('production', 'sandbox'));
    ALTER TABLE api_keys ADD COLUMN promoted_from text;
    CREATE TABLE sandbox_requests (
      key_id text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      method text NOT NULL,
      route text NOT NULL,
      status integer NOT NULL,
      idempotency_key text,
      spreadsheet boolean NOT NULL DEFAULT false
    );
    CREATE INDEX sandbox_requests_by_key ON sandbox_requests (key_id, at);
    CREATE TABLE homologation_runs (
      id text PRIMARY KEY,
      key_id text NOT NULL,
      store_id text NOT NULL REFERENCES stores(id),
      received_at timestamptz NOT NULL DEFAULT now(),
      passed boolean NOT NULL,
      steps text NOT NULL,
      uncorroborated text[] NOT NULL
    );
    CREATE INDEX homologation_runs_by_key ON homologation_runs (key_id, received_at);
    CREATE FUNCTION store_now(p_store text) RETURNS timestamptz LANGUAGE sql STABLE AS
      'SELECT now() + make_interval(secs => coalesce((SELECT clock_offset_seconds FROM sandboxes WHERE sandbox_store_id = p_store), 0))'
  `,
};

/**
 * Stop 21: the sandbox request log is pruned by age (rows older than 30 days, whatever the key: also a key
 * that never posts a run), so the prune needs an index on the instant. Version 2102 (stop 21).
 */
export const sandboxRequestsAgeMigration = {
  version: 2102,
  name: 'sandbox-requests-by-age',
  sql: `
    CREATE INDEX sandbox_requests_by_age ON sandbox_requests (at)
  `,
};
