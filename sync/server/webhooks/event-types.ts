import type { ApiScope } from '../../schema/index.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../schema/webhooks.ts';

/**
 * The events an integrator may subscribe to (API-02), each with the read scope a key needs to receive
 * it: a snapshot of a sale is sales data, so only a key that may read sales may subscribe to sales.
 */
export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

/** Sent only on request (POST …/ping) to one subscription, whatever its event types. */
export const PING_EVENT = 'webhook.ping';

export const EVENT_SCOPES: Record<WebhookEventType, ApiScope> = {
  'sale.uploaded': 'sales:read',
  'order.status_changed': 'orders:read',
  'stock.below_level': 'stock:read',
  'contract.changed': 'billing:read',
  'receivable.created': 'billing:read',
  'receivable.overdue': 'billing:read',
};

/** What each event means and what `data` holds (also shown in the OpenAPI document). */
export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'sale.uploaded': 'A sale reached the server for the first time (a station uploaded it, or an integrator wrote it). data: the sale as stored.',
  'order.status_changed': 'An e-commerce order moved (pay, invoice, ship, deliver, cancel). data: the order after the move, with previousStatus.',
  'stock.below_level': "A product's stock went from at least the subscription's stockLevel to below it (a sale, an adjustment, a reservation committed, a master-data batch). data: the product after the change, with stockBefore and level.",
  'contract.changed': 'A contract was created or changed (lines, state transition). data: the contract as stored, with its state and history.',
  'receivable.created': 'The billing run made a receivable. data: the receivable.',
  'receivable.overdue': 'An open receivable passed its due date (America/Sao_Paulo calendar day); announced once. data: the receivable, status overdue.',
};

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
