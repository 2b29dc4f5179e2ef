/**
 * Why a webhook subscription is paused, as a headline the admin reads in their language. The server
 * keeps one English sentence (`pausedReason`, sync/server/webhooks): written by the delivery worker after
 * 3 days of failed deliveries, by its sweep when the key that made the subscription was revoked or
 * expired, or by a person who paused it. The screen shows the headline and, under it, the server's text.
 */
export type PauseKind = 'delivery_failed' | 'key_revoked' | 'manual' | 'other';

export function pauseKind(reason: string | null): PauseKind {
  if (!reason) return 'other';
  if (/could not be delivered for \d+ days/i.test(reason)) return 'delivery_failed';
  if (/API key that made this subscription was revoked or expired/i.test(reason)) return 'key_revoked';
  if (/^Paused by /i.test(reason)) return 'manual';
  return 'other';
}

/** The person named in a manual pause ("Paused by Ana Admin (u-1)."), or null. */
export function pausedBy(reason: string | null): string | null {
  return /^Paused by (.+?) \([^)]*\)\.?$/i.exec(reason ?? '')?.[1] ?? null;
}
