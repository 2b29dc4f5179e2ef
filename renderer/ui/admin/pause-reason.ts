import type { SubscriptionView } from './webhook-types.ts';

/**
 * Why a webhook subscription is paused, as a headline the admin reads in their language. Since stop 21
 * the server says it as a code (`pausedCode`: delivery_failed after 3 days of failed deliveries,
 * key_revoked when the key that made it was revoked or expired, manual when a person paused it, with
 * `pausedByName`); the screen translates the code. An older server sends only its English sentence
 * (`pausedReason`), which `pauseKind` / `pausedBy` still read, so the screen works with both.
 */
export type PauseKind = 'delivery_failed' | 'key_revoked' | 'manual' | 'other';

/** The kind of pause of a subscription: its code when the server sent one, else read from the sentence. */
export function pauseKindOf(subscription: Pick<SubscriptionView, 'pausedCode' | 'pausedReason'>): PauseKind {
  return subscription.pausedCode ?? pauseKind(subscription.pausedReason);
}

/** Who paused it by hand: the server's name when sent, else read from the sentence; null otherwise. */
export function pausedByOf(subscription: Pick<SubscriptionView, 'pausedCode' | 'pausedByName' | 'pausedReason'>): string | null {
  if (subscription.pausedCode !== undefined) return subscription.pausedCode === 'manual' ? (subscription.pausedByName ?? null) : null;
  return pausedBy(subscription.pausedReason);
}

/** The kind read from an older server's English sentence (no `pausedCode`). */
export function pauseKind(reason: string | null): PauseKind {
  if (!reason) return 'other';
  if (/could not be delivered for \d+ days/i.test(reason)) return 'delivery_failed';
  if (/API key that made this subscription was revoked or expired/i.test(reason)) return 'key_revoked';
  if (/^Paused by /i.test(reason)) return 'manual';
  return 'other';
}

/** The person named in an older server's manual pause ("Paused by Ana Admin (u-1)."), or null. */
export function pausedBy(reason: string | null): string | null {
  return /^Paused by (.+?) \([^)]*\)\.?$/i.exec(reason ?? '')?.[1] ?? null;
}
