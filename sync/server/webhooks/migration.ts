/**
 * Webhooks (issue 13, API-02: the server calls out only when an integrator subscribes). Version 1301
 * (issue 13) so parallel branches adding migrations do not collide; versions only need to be unique.
 *
 * - webhook_subscriptions: who asked for which event types at which URL. `api_key_id` is the key that
 *   made it (a key sees and changes only its own; an admin session sees the store's). The signing secret
 *   is kept as given to the integrator (the server must sign with it); during a rotation the previous
 *   one signs too until `previous_secret_until`.
 * - webhook_messages: the transactional outbox, one row per (event, subscription), written in the same
 *   transaction as the change it reports. `id` is the `webhook-id` the receiver deduplicates by.
 *   A worker claims due rows with a lease (`lease_until`), so a server killed mid-delivery leaves them
 *   to be sent again once the lease ends: at least once, never lost.
 * - webhook_attempts: the delivery log (attempt, status code, duration, error).
 * - webhook_overdue_seen: receivables already announced as overdue (overdue is derived from the date,
 *   no write makes it happen: a sweep announces each once).
 */
export const webhooksMigration = {
  version: 1301,
  name: 'webhooks',
  sql: `
    CREATE TABLE webhook_subscriptions (
      id text PRIMARY KEY,
      store_id text NOT NULL REFERENCES stores(id),
      api_key_id text,
      created_by text NOT NULL,
      url text NOT NULL,
      description text NOT NULL DEFAULT '',
      event_types text[] NOT NULL,
      stock_level bigint,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
      paused_reason text,
      paused_at timestamptz,
      secret text NOT NULL,
      previous_secret text,
      previous_secret_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhook_subscriptions_by_store ON webhook_subscriptions (store_id, created_at);
    CREATE TABLE webhook_messages (
      id text PRIMARY KEY,
      store_id text NOT NULL REFERENCES stores(id),
      subscription_id text NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
      type text NOT NULL,
      resource_id text NOT NULL,
      payload jsonb NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      retry_until timestamptz NOT NULL,
      lease_until timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz
    );
    CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE state = 'pending';
    CREATE INDEX webhook_messages_by_subscription ON webhook_messages (subscription_id, created_at, id);
    CREATE TABLE webhook_attempts (
      message_id text NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
      subscription_id text NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      at timestamptz NOT NULL,
      duration_ms integer NOT NULL,
      status_code integer,
      error text,
      PRIMARY KEY (message_id, attempt)
    );
    CREATE INDEX webhook_attempts_by_subscription ON webhook_attempts (subscription_id, at, message_id, attempt);
    CREATE TABLE webhook_overdue_seen (
      store_id text NOT NULL,
      receivable_id text NOT NULL,
      seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store_id, receivable_id)
    )
  `,
};

/**
 * Stop 21: why a subscription is paused, as a code the screens translate (`paused_code`: delivery_failed,
 * key_revoked, manual) and who paused it by hand (`paused_by`, a user id), beside the English sentence
 * (`paused_reason`) that integrators already read. Rows paused before this migration get their code from
 * that sentence, once, here. Version 2101 (stop 21) so parallel branches do not collide.
 */
export const webhookPauseCodeMigration = {
  version: 2101,
  name: 'webhook-pause-code',
  sql: `
    ALTER TABLE webhook_subscriptions ADD COLUMN paused_code text CHECK (paused_code IN ('delivery_failed', 'key_revoked', 'manual'));
    ALTER TABLE webhook_subscriptions ADD COLUMN paused_by text;
    UPDATE webhook_subscriptions SET paused_code = CASE
        WHEN paused_reason ~* 'could not be delivered for [0-9]+ days' THEN 'delivery_failed'
        WHEN paused_reason ~* 'API key that made this subscription was revoked or expired' THEN 'key_revoked'
        WHEN paused_reason ~* '^Paused by ' THEN 'manual'
      END,
      paused_by = CASE WHEN paused_reason ~* '^Paused by ' THEN substring(paused_reason from '\\(([^()]*)\\)\\.?$') END
      WHERE status = 'paused'
  `,
};

/**
 * The worker claims per subscription (each one's oldest due messages, up to its cap: worker.ts), so a
 * subscription's pending messages are found by an index of their own, whatever its backlog or its kept
 * delivered ones.
 */
export const webhookDueBySubscriptionMigration = {
  version: 2841,
  name: 'webhook-due-by-subscription',
  sql: `CREATE INDEX webhook_messages_due_by_subscription ON webhook_messages (subscription_id, next_attempt_at, id) WHERE state = 'pending'`,
};
