/**
 * Webhooks (API-02): the event types an integrator may subscribe to and the wire shapes of the
 * subscription and delivery-log routes (`/api/v1/webhooks/…`). Shared by the server and the admin
 * screen; the OpenAPI schemas are in sync/server/webhooks/schemas.ts.
 */
export const WEBHOOK_EVENT_TYPES = ['sale.uploaded', 'order.status_changed', 'stock.below_level', 'contract.changed', 'receivable.created', 'receivable.overdue'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Why a subscription is paused: see SubscriptionView.pausedCode. */
export const WEBHOOK_PAUSE_CODES = ['delivery_failed', 'key_revoked', 'manual'] as const;
export type WebhookPauseCode = (typeof WEBHOOK_PAUSE_CODES)[number];

/** A subscription as the API shows it: never its secret (shown once, when made or rotated). */
export interface SubscriptionView {
  id: string;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  /** stock.below_level: fires when a product's stock goes from ≥ this to below it (unit's smallest step). */
  stockLevel: number | null;
  status: 'active' | 'paused';
  /** Why it is paused, in English, for integrators (the screens show `pausedCode` in the user's language). */
  pausedReason: string | null;
  /**
   * Why it is paused, as a code: `delivery_failed` (3 days of failed deliveries), `key_revoked` (the key
   * that made it was revoked or expired), `manual` (a person paused it: `pausedByName`); null when active.
   * Optional: absent from servers before stop 21.
   */
  pausedCode?: WebhookPauseCode | null;
  /** The name of the person who paused it by hand, else null. Optional (servers before stop 21). */
  pausedByName?: string | null;
  pausedAt: string | null;
  /** The API key that made it (null: an admin's session). */
  apiKeyId: string | null;
  /** That key's name, else null. Optional (servers before stop 21). */
  apiKeyName?: string | null;
  /** The user id of who made it (the admin, or the key's creator). */
  createdBy: string;
  /** That user's name (null when unknown). Optional (servers before stop 21). */
  createdByName?: string | null;
  createdAt: string;
  updatedAt: string;
  /** Until when the previous secret still signs (a rotation under way), else null. */
  previousSecretUntil: string | null;
  /** Messages waiting to be sent / given up after 3 days. */
  pending: number;
  failed: number;
}

/** One queued event of a subscription (a message) and where its delivery stands. */
export interface MessageView {
  /** The `webhook-id`: the same on every attempt and redelivery. */
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
  /** The body as sent (signed bytes: JSON of {id, type, timestamp, storeId, resourceId, data}). */
  payload: Record<string, unknown>;
}

/** One attempt of the delivery log. */
export interface AttemptView {
  messageId: string;
  type: string;
  attempt: number;
  at: string;
  /** Milliseconds. */
  durationMs: number;
  /** null when no answer came (refused, timed out, address refused). */
  statusCode: number | null;
  error: string | null;
}
