import type { Queryable } from '../db/database.ts';

/**
 * SQL condition: the subscription aliased `alias` may still be sent to, as far as its API key goes (none,
 * or one neither revoked nor expired at the timestamptz parameter `now`, e.g. `$1`). The one test of
 * "key still valid" for claiming messages, scheduling the next wake-up and pausing subscriptions, so the
 * worker never waits on messages it would not send (API-02, API-08: a revoked key ends every access).
 */
export function keyStillValid(alias: string, now: string): string {
  return `NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.id = ${alias}.api_key_id AND (k.revoked_at IS NOT NULL OR coalesce(k.expires_at <= ${now}::timestamptz, false)))`;
}

/**
 * Pauses (code `key_revoked`) the active subscriptions whose API key was revoked or has expired at `now`;
 * only those of `keyId` when given (the revocation itself, so an admin sees the pause at once).
 * @returns how many subscriptions were paused.
 */
export async function pauseSubscriptionsOfInvalidKeys(db: Queryable, now: Date, keyId?: string): Promise<number> {
  const paused = await db.query<{ id: string }>(
    `UPDATE webhook_subscriptions s SET status = 'paused', paused_at = $1, updated_at = $1, paused_code = 'key_revoked', paused_by = NULL,
            paused_reason = 'The API key that made this subscription was revoked or expired: nothing is sent to it any more. An admin may delete it, or the integrator make a new one with a valid key.'
      WHERE s.status = 'active' AND s.api_key_id IS NOT NULL AND ($2::text IS NULL OR s.api_key_id = $2)
        AND NOT (${keyStillValid('s', '$1')})
      RETURNING s.id`,
    [now.toISOString(), keyId ?? null],
  );
  return paused.length;
}
