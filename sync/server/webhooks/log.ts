import type { AttemptView, MessageView } from '../../schema/webhooks.ts';
import type { Database, Queryable } from '../db/database.ts';
import { ApiProblem } from '../http/problem.ts';
import { decodeCursor, encodeCursor } from '../integration/api-resource.ts';
import { PING_EVENT } from './event-types.ts';
import { enqueueEvents, RETRY_WINDOW_SECONDS } from './outbox.ts';



const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const isKeyset = (value: unknown): value is { c: string; i: string } => typeof (value as { c?: unknown } | null)?.c === 'string' && typeof (value as { i?: unknown }).i === 'string';
const isAttemptKeyset = (value: unknown): value is { c: string; i: string; n: number } => isKeyset(value) && Number.isSafeInteger((value as { n?: unknown }).n);

interface MessageRow {
  id: string; type: string; resource_id: string; state: MessageView['state']; attempts: number; created_at: Date | string; next_attempt_at: Date | string;
  delivered_at: Date | string | null; last_status: number | null; last_error: string | null; payload: Record<string, unknown>;
}

function messageOf(row: MessageRow): MessageView {
  return {
    id: row.id,
    type: row.type,
    resourceId: row.resource_id,
    state: row.state,
    attempts: Number(row.attempts),
    createdAt: iso(row.created_at)!,
    nextAttemptAt: row.state === 'pending' ? iso(row.next_attempt_at) : null,
    deliveredAt: iso(row.delivered_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    payload: row.payload,
  };
}

/** Messages of a subscription, newest first (keyset pages), optionally of one state. */
export async function listMessages(db: Queryable, subscriptionId: string, query: { state?: MessageView['state']; limit: number; cursor?: string }): Promise<{ messages: MessageView[]; nextCursor: string | null; hasMore: boolean }> {
  const after = query.cursor ? decodeCursor(query.cursor, isKeyset) : null;
  const rows = await db.query<MessageRow>(
    `SELECT id, type, resource_id, state, attempts, created_at, next_attempt_at, delivered_at, last_status, last_error, payload
       FROM webhook_messages
      WHERE subscription_id = $1 AND ($2::text IS NULL OR state = $2)
        AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
      ORDER BY created_at DESC, id DESC LIMIT $5`,
    [subscriptionId, query.state ?? null, after?.c ?? null, after?.i ?? null, query.limit + 1],
  );
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { messages: page.map(messageOf), nextCursor: hasMore && last ? encodeCursor({ c: iso(last.created_at), i: last.id }) : null, hasMore };
}

/** The delivery log of a subscription: every attempt, newest first (keyset pages). */
export async function listAttempts(db: Queryable, subscriptionId: string, query: { messageId?: string; limit: number; cursor?: string }): Promise<{ attempts: AttemptView[]; nextCursor: string | null; hasMore: boolean }> {
  const after = query.cursor ? decodeCursor(query.cursor, isAttemptKeyset) : null;
  const rows = await db.query<{ message_id: string; type: string; attempt: number; at: Date | string; duration_ms: number; status_code: number | null; error: string | null }>(
    `SELECT a.message_id, m.type, a.attempt, a.at, a.duration_ms, a.status_code, a.error
       FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
      WHERE a.subscription_id = $1 AND ($2::text IS NULL OR a.message_id = $2)
        AND ($3::timestamptz IS NULL OR (a.at, a.message_id, a.attempt) < ($3::timestamptz, $4::text, $5::integer))
      ORDER BY a.at DESC, a.message_id DESC, a.attempt DESC LIMIT $6`,
    [subscriptionId, query.messageId ?? null, after?.c ?? null, after?.i ?? null, after?.n ?? null, query.limit + 1],
  );
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    attempts: page.map((row) => ({ messageId: row.message_id, type: row.type, attempt: Number(row.attempt), at: iso(row.at)!, durationMs: Number(row.duration_ms), statusCode: row.status_code, error: row.error })),
    nextCursor: hasMore && last ? encodeCursor({ c: iso(last.at), i: last.message_id, n: Number(last.attempt) }) : null,
    hasMore,
  };
}

/**
 * Sends one message again (a failed one, or a delivered one the receiver lost), with the same
 * `webhook-id` and body: due at once, with a fresh 3-day window. 404 when the subscription has no such message.
 */
export async function redeliver(db: Database, subscriptionId: string, messageId: string, now: Date): Promise<MessageView> {
  const rows = await db.query<MessageRow>(
    `UPDATE webhook_messages SET state = 'pending', next_attempt_at = $3, retry_until = $3::timestamptz + make_interval(secs => $4), lease_until = NULL
      WHERE subscription_id = $1 AND id = $2
      RETURNING id, type, resource_id, state, attempts, created_at, next_attempt_at, delivered_at, last_status, last_error, payload`,
    [subscriptionId, messageId, now.toISOString(), RETRY_WINDOW_SECONDS],
  );
  if (!rows[0]) throw new ApiProblem(404, 'not_found', `Message ${messageId} of subscription ${subscriptionId} was not found (delivered and failed messages are kept 30 days).`);
  return messageOf(rows[0]);
}

/** Queues a `webhook.ping` for this subscription only (check the receiver and its signature check). @returns the message */
export async function ping(db: Database, storeId: string, subscriptionId: string): Promise<MessageView> {
  return db.transaction(async (tx) => {
    await enqueueEvents(tx, storeId, [{ type: PING_EVENT, resourceId: subscriptionId, data: { message: 'A test message sent on request.' }, subscriptionId }]);
    const [row] = await tx.query<MessageRow>(
      `SELECT id, type, resource_id, state, attempts, created_at, next_attempt_at, delivered_at, last_status, last_error, payload
         FROM webhook_messages WHERE subscription_id = $1 AND type = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [subscriptionId, PING_EVENT],
    );
    return messageOf(row!);
  });
}

export type { AttemptView, MessageView };
