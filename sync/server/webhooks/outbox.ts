import type { Queryable } from '../db/database.ts';
import type { WebhookEventType } from './event-types.ts';

/** NOTIFY channel that wakes the delivery workers (PostgreSQL delivers it at commit, to every instance). */
export const WEBHOOKS_CHANNEL = 'balcao_webhooks';

/** How long a message is retried before its subscription is paused (3 days, in seconds). */
export const RETRY_WINDOW_SECONDS = 3 * 24 * 3600;

/** One change to announce. `data` is the resource's snapshot after the change (JSON object). */
export interface OutboxEvent {
  type: WebhookEventType | 'webhook.ping';
  /** The changed resource's id (sale, order, product, contract, receivable). */
  resourceId: string;
  data: Record<string, unknown>;
  /** stock.below_level only: the product's stock before and after the change (unit's smallest step). */
  stock?: { before: number; after: number };
  /** Only this subscription (a ping); otherwise every subscription of the store to `type`. */
  subscriptionId?: string;
}

/**
 * The transactional outbox (API-02). Call it with the transaction handle of the change it reports, so
 * the event is stored exactly when the change commits: a crash before the commit loses both, after it
 * keeps both — an event is never lost nor invented. One set-based statement (unnest) whatever the number
 * of events: each event becomes one message per subscription of the store to its type (for
 * stock.below_level only the subscriptions whose stockLevel the change crossed downwards), with its own
 * `webhook-id`, and a NOTIFY wakes the workers at commit. No subscription: nothing is stored.
 *
 * @returns how many messages were queued
 */
export async function enqueueEvents(tx: Queryable, storeId: string, events: readonly OutboxEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const [row] = await tx.query<{ n: string | number }>(
    `WITH e AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[]) WITH ORDINALITY
         AS e(type, resource_id, data, stock_before, stock_after, subscription_id, ord)
     ), m AS (
       SELECT 'msg_' || replace(gen_random_uuid()::text, '-', '') AS id, s.id AS subscription_id, e.type, e.resource_id, e.ord,
              CASE WHEN e.type = 'stock.below_level' THEN e.data::jsonb || jsonb_build_object('stockBefore', e.stock_before, 'level', s.stock_level)
                   ELSE e.data::jsonb END AS data
         FROM e JOIN webhook_subscriptions s ON s.store_id = $1
        WHERE (CASE WHEN e.subscription_id IS NULL THEN e.type = ANY(s.event_types) ELSE e.subscription_id = s.id END)
          AND (e.type <> 'stock.below_level' OR (e.stock_before >= s.stock_level AND e.stock_after < s.stock_level))
     ), ins AS (
       INSERT INTO webhook_messages (id, store_id, subscription_id, type, resource_id, payload, next_attempt_at, retry_until)
       SELECT m.id, $1, m.subscription_id, m.type, m.resource_id,
              jsonb_build_object('id', m.id, 'type', m.type, 'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                 'storeId', $1::text, 'resourceId', m.resource_id, 'data', m.data),
              now(), now() + make_interval(secs => $8)
         FROM m ORDER BY m.ord
       RETURNING 1
     )
     SELECT c.n, (SELECT pg_notify('${WEBHOOKS_CHANNEL}', $1) WHERE c.n > 0) AS notified FROM (SELECT count(*) AS n FROM ins) c`,
    [
      storeId,
      events.map((event) => event.type),
      events.map((event) => event.resourceId),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => event.stock?.before ?? null),
      events.map((event) => event.stock?.after ?? null),
      events.map((event) => event.subscriptionId ?? null),
      RETRY_WINDOW_SECONDS,
    ],
  );
  return Number(row?.n ?? 0);
}

/** The event types some subscription of the store listens to (one cheap statement; callers skip the rest when empty). */
export async function subscribedTypes(tx: Queryable, storeId: string): Promise<Set<string>> {
  const rows = await tx.query<{ type: string }>('SELECT DISTINCT unnest(event_types) AS type FROM webhook_subscriptions WHERE store_id = $1', [storeId]);
  return new Set(rows.map((row) => row.type));
}
