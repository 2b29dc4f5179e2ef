import type { SubscriptionView, WebhookPauseCode } from '../../schema/webhooks.ts';
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { ApiProblem } from '../http/problem.ts';
import type { Session } from '../auth/sessions.ts';
import { EVENT_SCOPES, type WebhookEventType } from './event-types.ts';
import { RETRY_WINDOW_SECONDS } from './outbox.ts';
import { urlProblem } from './target.ts';


export interface SubscriptionInput {
  url: string;
  eventTypes: WebhookEventType[];
  stockLevel?: number | null;
  description?: string;
}

/** Most subscriptions a store may have (each event is stored once per subscription). */
export const MAX_SUBSCRIPTIONS_PER_STORE = 50;

interface Row {
  id: string; url: string; description: string; event_types: string[]; stock_level: string | number | null; status: 'active' | 'paused';
  paused_reason: string | null; paused_code: WebhookPauseCode | null; paused_by_name: string | null; paused_at: Date | string | null;
  api_key_id: string | null; api_key_name: string | null; created_by: string; created_by_name: string | null; created_at: Date | string;
  updated_at: Date | string; previous_secret_until: Date | string | null; pending: string | number; failed: string | number;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function viewOf(row: Row, now: Date): SubscriptionView {
  const until = row.previous_secret_until === null ? null : new Date(row.previous_secret_until);
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types as WebhookEventType[],
    stockLevel: row.stock_level === null ? null : Number(row.stock_level),
    status: row.status,
    pausedReason: row.paused_reason,
    pausedCode: row.status === 'paused' ? row.paused_code : null,
    pausedByName: row.status === 'paused' ? row.paused_by_name : null,
    pausedAt: iso(row.paused_at),
    apiKeyId: row.api_key_id,
    apiKeyName: row.api_key_name,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    previousSecretUntil: until && until > now ? until.toISOString() : null,
    pending: Number(row.pending),
    failed: Number(row.failed),
  };
}

const SELECT = `
  SELECT s.id, s.url, s.description, s.event_types, s.stock_level, s.status, s.paused_reason, s.paused_code, s.paused_at, s.api_key_id, s.created_by,
         s.created_at, s.updated_at, s.previous_secret_until,
         -- Names for the screens (users' and keys' ids mean nothing to a person); null when the row is gone.
         (SELECT u.name FROM users u WHERE u.id = s.paused_by) AS paused_by_name,
         (SELECT u.name FROM users u WHERE u.id = s.created_by) AS created_by_name,
         (SELECT k.name FROM api_keys k WHERE k.id = s.api_key_id) AS api_key_name,
         (SELECT count(*) FROM webhook_messages m WHERE m.subscription_id = s.id AND m.state = 'pending') AS pending,
         (SELECT count(*) FROM webhook_messages m WHERE m.subscription_id = s.id AND m.state = 'failed') AS failed
    FROM webhook_subscriptions s`;

/** Who owns what: a key its own subscriptions, an admin's session every subscription of the store. */
function ownerFilter(session: Session): { sql: string; params: unknown[] } {
  return session.apiKey ? { sql: 's.store_id = $1 AND s.api_key_id = $2', params: [session.store.id, session.apiKey.id] } : { sql: 's.store_id = $1', params: [session.store.id] };
}

/** 422 naming the field when the input cannot make a working subscription (URL, scopes, level). */
export function checkInput(session: Session, input: Partial<SubscriptionInput>, allowPrivateNetworks: boolean, current?: SubscriptionView): void {
  if (input.url !== undefined) {
    const problem = urlProblem(input.url, allowPrivateNetworks);
    if (problem) throw new ApiProblem(422, 'validation_failed', `The webhook URL ${problem}.`, '/url');
  }
  const types = input.eventTypes ?? current?.eventTypes ?? [];
  if (input.eventTypes && session.apiKey) {
    const scopes = session.apiKey.scopes as readonly string[];
    const index = input.eventTypes.findIndex((type) => !scopes.includes(EVENT_SCOPES[type]));
    if (index >= 0) {
      const type = input.eventTypes[index]!;
      throw new ApiProblem(403, 'forbidden', `Subscribing to ${type} needs the key scope ${EVENT_SCOPES[type]} (the event carries that data). Ask the store admin for a key with it.`, `/eventTypes/${index}`);
    }
  }
  const level = input.stockLevel !== undefined ? input.stockLevel : current?.stockLevel ?? null;
  if (types.includes('stock.below_level') && (level === null || level === undefined)) {
    throw new ApiProblem(422, 'validation_failed', 'stock.below_level needs stockLevel: the stock (in the unit\'s smallest step) below which the event fires.', '/stockLevel');
  }
}

/** A new subscription and its signing secret (`whsec_…`, shown only in this answer). */
export async function createSubscription(db: Database, session: Session, input: SubscriptionInput, now: Date): Promise<{ subscription: SubscriptionView; secret: string }> {
  const id = `wh_${randomBytes(8).toString('hex')}`;
  const secret = newSecret();
  return db.transaction(async (tx) => {
    // Counted under a lock of the store's row so two concurrent creations cannot pass the limit together.
    await tx.query('SELECT 1 FROM stores WHERE id = $1 FOR NO KEY UPDATE', [session.store.id]);
    const [count] = await tx.query<{ n: string | number }>('SELECT count(*) AS n FROM webhook_subscriptions WHERE store_id = $1', [session.store.id]);
    if (Number(count?.n ?? 0) >= MAX_SUBSCRIPTIONS_PER_STORE) throw new ApiProblem(409, 'business_rule', `The store already has ${MAX_SUBSCRIPTIONS_PER_STORE} webhook subscriptions, the most it may have. Delete one, or subscribe one URL to several event types.`);
    await tx.query(
      `INSERT INTO webhook_subscriptions (id, store_id, api_key_id, created_by, url, description, event_types, stock_level, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [id, session.store.id, session.apiKey?.id ?? null, session.user.id, input.url, input.description ?? '', [...new Set(input.eventTypes)], input.stockLevel ?? null, secret, now.toISOString()],
    );
    return { subscription: (await findSubscription(tx, session, id, now))!, secret };
  });
}

export async function listSubscriptions(db: Queryable, session: Session, now: Date, status?: 'active' | 'paused'): Promise<SubscriptionView[]> {
  const owner = ownerFilter(session);
  const rows = await db.query<Row>(`${SELECT} WHERE ${owner.sql} AND ($${owner.params.length + 1}::text IS NULL OR s.status = $${owner.params.length + 1}) ORDER BY s.created_at, s.id`, [...owner.params, status ?? null]);
  return rows.map((row) => viewOf(row, now));
}

/** `lock`: read FOR UPDATE, for a change checked against the subscription as it stands (updateSubscription). */
export async function findSubscription(db: Queryable, session: Session, id: string, now: Date, options: { lock?: boolean } = {}): Promise<SubscriptionView | null> {
  const owner = ownerFilter(session);
  const rows = await db.query<Row>(`${SELECT} WHERE ${owner.sql} AND s.id = $${owner.params.length + 1}${options.lock ? ' FOR UPDATE OF s' : ''}`, [...owner.params, id]);
  return rows[0] ? viewOf(rows[0], now) : null;
}

/** The subscription of the caller, or 404 (another integrator's subscription is as unknown as a missing one). */
export async function getSubscription(db: Queryable, session: Session, id: string, now: Date, options: { lock?: boolean } = {}): Promise<SubscriptionView> {
  const found = await findSubscription(db, session, id, now, options);
  if (!found) throw new ApiProblem(404, 'not_found', `Webhook subscription ${id} was not found. List your subscriptions with GET /api/v1/webhooks/subscriptions.`);
  return found;
}

/**
 * Changes URL, event types, level, description, or status: `paused` stops sending (events still queue),
 * `active` resumes — what waited is sent at once — and clears the pause reason. `check` judges the change
 * against the subscription as it stands, read locked in this transaction (checkInput: a level for
 * stock.below_level), so of two changes at once the second is judged on what the first left: each
 * judged on an older read, one removing the level and one adding the event would both pass.
 * @throws 404 when the caller has no such subscription; whatever `check` throws (nothing is changed)
 */
export async function updateSubscription(
  db: Database,
  session: Session,
  id: string,
  change: Partial<SubscriptionInput> & { status?: 'active' | 'paused' },
  now: Date,
  check: (current: SubscriptionView) => void = () => undefined,
): Promise<SubscriptionView> {
  return db.transaction(async (tx) => {
    check(await getSubscription(tx, session, id, now, { lock: true }));
    const at = now.toISOString();
    await tx.query(
      `UPDATE webhook_subscriptions SET
          url = coalesce($2, url), description = coalesce($3, description), event_types = coalesce($4, event_types),
          stock_level = CASE WHEN $5 THEN $6 ELSE stock_level END,
          status = coalesce($7, status),
          paused_reason = CASE WHEN $7 = 'active' THEN NULL WHEN $7 = 'paused' AND status = 'active' THEN $8 ELSE paused_reason END,
          paused_code = CASE WHEN $7 = 'active' THEN NULL WHEN $7 = 'paused' AND status = 'active' THEN 'manual' ELSE paused_code END,
          paused_by = CASE WHEN $7 = 'active' THEN NULL WHEN $7 = 'paused' AND status = 'active' THEN $10 ELSE paused_by END,
          paused_at = CASE WHEN $7 = 'active' THEN NULL WHEN $7 = 'paused' AND status = 'active' THEN $9::timestamptz ELSE paused_at END,
          updated_at = $9::timestamptz
        WHERE id = $1`,
      [id, change.url ?? null, change.description ?? null, change.eventTypes ? [...new Set(change.eventTypes)] : null, change.stockLevel !== undefined, change.stockLevel ?? null, change.status ?? null, `Paused by ${session.user.name} (${session.user.id}).`, at, session.user.id],
    );
    if (change.status === 'active') {
      // What waited during the pause is due now, with a fresh 3-day window (the receiver was fixed).
      await tx.query(
        "UPDATE webhook_messages SET next_attempt_at = $2, retry_until = greatest(retry_until, $2::timestamptz + make_interval(secs => $3)) WHERE subscription_id = $1 AND state = 'pending'",
        [id, at, RETRY_WINDOW_SECONDS],
      );
    }
    return getSubscription(tx, session, id, now);
  });
}

export async function deleteSubscription(db: Queryable, session: Session, id: string): Promise<void> {
  const owner = ownerFilter(session);
  const rows = await db.query(`DELETE FROM webhook_subscriptions s WHERE ${owner.sql} AND s.id = $${owner.params.length + 1} RETURNING s.id`, [...owner.params, id]);
  if (rows.length === 0) throw new ApiProblem(404, 'not_found', `Webhook subscription ${id} was not found. List your subscriptions with GET /api/v1/webhooks/subscriptions.`);
}

/**
 * A new signing secret; the current one keeps signing beside it for `graceSeconds` (both signatures in
 * `webhook-signature`), so the receiver can switch without losing a message. @returns the new secret, once.
 */
export async function rotateSecret(db: Database, session: Session, id: string, graceSeconds: number, now: Date): Promise<{ secret: string; previousSecretUntil: string | null; subscription: SubscriptionView }> {
  const secret = newSecret();
  return db.transaction(async (tx) => {
    await getSubscription(tx, session, id, now);
    const until = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000).toISOString() : null;
    await tx.query(
      'UPDATE webhook_subscriptions SET previous_secret = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret END, previous_secret_until = $3, secret = $2, updated_at = $4 WHERE id = $1',
      [id, secret, until, now.toISOString()],
    );
    return { secret, previousSecretUntil: until, subscription: await getSubscription(tx, session, id, now) };
  });
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export type { SubscriptionView };
