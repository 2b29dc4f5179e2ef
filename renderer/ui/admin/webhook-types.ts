/**
 * Wire shapes of the webhook admin routes (`/api/v1/webhooks/…`, sync/server/webhooks/schemas.ts: the
 * OpenAPI document is the source; these mirror it for the screen, which may not import the server).
 */
export interface SubscriptionView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  /** stock.below_level's level, in the unit's smallest step. */
  stockLevel: number | null;
  status: 'active' | 'paused';
  /** The server's English sentence: 3 days of failures, a revoked key, or who paused it (pause-reason.ts). */
  pausedReason: string | null;
  pausedAt: string | null;
  /** The key that made it; null: an admin session. */
  apiKeyId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** During a rotation, until when the previous secret signs too. */
  previousSecretUntil: string | null;
  /** Messages waiting to be sent. */
  pending: number;
  /** Messages given up after 3 days. */
  failed: number;
}

export interface CreatedSubscription {
  subscription: SubscriptionView;
  /** whsec_…, shown only in this answer. */
  secret: string;
}

export interface RotatedSecret {
  secret: string;
  previousSecretUntil: string | null;
  subscription: SubscriptionView;
}

export interface EventTypeInfo {
  type: string;
  description: string;
  /** The key scope an integrator needs to subscribe to it. */
  scope: string;
}

export interface MessageView {
  /** The webhook-id: the same on every attempt and redelivery. */
  id: string;
  type: string;
  resourceId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface AttemptView {
  messageId: string;
  type: string;
  attempt: number;
  at: string;
  /** Milliseconds. */
  durationMs: number;
  /** null: no answer (refused, timed out, address refused). */
  statusCode: number | null;
  error: string | null;
}

/** A keyset page of the log routes: `messages` or `attempts`, newest first. */
export type LogPage<K extends 'messages' | 'attempts', T> = { [key in K]: T[] } & { nextCursor: string | null; hasMore: boolean };

export const WEBHOOKS_BASE = '/api/v1/webhooks';
export const subscriptionPath = (id: string) => `${WEBHOOKS_BASE}/subscriptions/${encodeURIComponent(id)}`;
