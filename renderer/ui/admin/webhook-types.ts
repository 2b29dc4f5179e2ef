/**
 * What the webhook screens need beside the shared wire shapes (sync/schema/webhooks.ts): the answers of
 * create and rotate, the log's pages, the routes' paths.
 */
import type { AttemptView, MessageView, SubscriptionView } from '../../../sync/schema/webhooks.ts';

export type { AttemptView, MessageView, SubscriptionView };

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



/** A keyset page of the log routes: `messages` or `attempts`, newest first. */
export type LogPage<K extends 'messages' | 'attempts', T> = { [key in K]: T[] } & { nextCursor: string | null; hasMore: boolean };

export const WEBHOOKS_BASE = '/api/v1/webhooks';
export const subscriptionPath = (id: string) => `${WEBHOOKS_BASE}/subscriptions/${encodeURIComponent(id)}`;
