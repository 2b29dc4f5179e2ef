/**
 * Issue 12 (credentials and conventions): integrator API keys, and Idempotency-Key reservations.
 * Version 120 (not the next free small number) so the parallel issue-12/15 branches cannot collide;
 * migrations run in list order and versions only need to be unique.
 */
export const apiKeysMigration = {
  version: 120,
  name: 'api-keys-and-idempotency',
  sql: `
    -- One row per integrator key. The secret is never stored: only its SHA-256 (the key is 256 random
    -- bits, so a plain digest cannot be reversed by guessing). scopes is a list like 'products:read'.
    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      store_id text NOT NULL REFERENCES stores(id),
      name text NOT NULL,
      secret_hash text NOT NULL,
      prefix text NOT NULL,
      scopes text[] NOT NULL,
      rate_limit_per_minute integer NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by text
    );
    CREATE INDEX api_keys_by_store ON api_keys (store_id, created_at);
    -- Idempotency keys become per caller (two integrators may both use "order-1") and are reserved
    -- before the work runs: state 'running' until the answer is recorded ('done').
    DROP TABLE idempotency_keys;
    CREATE TABLE idempotency_keys (
      store_id text NOT NULL REFERENCES stores(id),
      caller text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      state text NOT NULL,
      status integer,
      body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store_id, caller, key)
    );
    CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)
  `,
};
