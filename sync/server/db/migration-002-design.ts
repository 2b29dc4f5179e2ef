/**
 * Design projects (issue 4): the store's design-portal account, designers' links to their
 * design-software users, received portal events (idempotency) and the background jobs that call
 * the portal. Documents of the design collections live in `documents` like every other collection.
 */
export const designMigration = {
  version: 2,
  name: 'design',
  sql: `
    -- Design items name store products by sku (DES-06): every portal event looks them up, so the
    -- lookup must not read through a 100,000-product catalogue.
    CREATE INDEX documents_product_sku ON documents (store_id, (data ->> 'sku')) WHERE collection = 'products';
    -- One portal account per store (DES-01). The secret signs and verifies, so it is kept usable (plain).
    CREATE TABLE design_portal_accounts (
      store_id text PRIMARY KEY REFERENCES stores(id),
      account_id text NOT NULL UNIQUE,
      store_tax_id text NOT NULL,
      portal_url text NOT NULL,
      signing_secret text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      registered_by text,
      -- Customers up to this sequence number were sent to the portal (DES-03).
      customers_exported_seq bigint NOT NULL DEFAULT 0
    );
    CREATE TABLE design_settings (
      store_id text PRIMARY KEY REFERENCES stores(id),
      markup_bp integer NOT NULL DEFAULT 0,
      discount_bp integer NOT NULL DEFAULT 0
    );
    -- A designer's link to their design-software user (DES-02); relink once the credentials changed.
    CREATE TABLE design_links (
      user_id text PRIMARY KEY REFERENCES users(id),
      store_id text NOT NULL REFERENCES stores(id),
      design_user_id text NOT NULL,
      design_user_name text NOT NULL,
      credential_version integer NOT NULL,
      needs_relink boolean NOT NULL DEFAULT false,
      linked_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX design_links_by_design_user ON design_links (store_id, design_user_id);
    -- Every event answered once; a redelivery gets the same answer and changes nothing.
    CREATE TABLE design_events (
      account_id text NOT NULL,
      event_id text NOT NULL,
      store_id text NOT NULL REFERENCES stores(id),
      type text NOT NULL,
      status integer NOT NULL,
      answer text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, event_id)
    );
    -- Calls to the portal run in the background and retry with backoff; a push never waits for them.
    CREATE TABLE design_jobs (
      id text PRIMARY KEY,
      store_id text NOT NULL REFERENCES stores(id),
      kind text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      next_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE INDEX design_jobs_due ON design_jobs (next_at) WHERE status = 'pending'
  `,
};
