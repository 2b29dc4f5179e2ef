import { listenForWebhooks, verifyingSecret, type Listener } from './listener.ts';

/** One POST the receiver got, and what it made of it. */
export interface Delivery {
  webhookId: string;
  body: string;
  headers: Record<string, string>;
  /** standardwebhooks' Webhook.verify accepted it with the subscription's secret. */
  verified: boolean;
  /** A copy of a webhook-id already processed: answered 2xx and dropped. */
  duplicate: boolean;
}

/**
 * The local receiver the conformance script starts on loopback (API-07): verifies each message with
 * the `standardwebhooks` package and processes each webhook-id once, as the webhook contract asks of
 * an integrator's receiver. A message that does not verify is answered 401 and not processed.
 */
export class LocalReceiver {
  readonly deliveries: Delivery[] = [];
  /** webhook-ids processed (first verified copy of each). */
  readonly processed = new Set<string>();
  secret = '';
  url = '';
  private listener!: Listener;

  static async start(): Promise<LocalReceiver> {
    const receiver = new LocalReceiver();
    receiver.listener = await listenForWebhooks('/homologation-hook', (message, reply) => {
      const { body, headers } = message;
      const webhookId = headers['webhook-id'] ?? '';
      const verified = receiver.secret !== '' && verifyingSecret([receiver.secret], message) === 0;
      const duplicate = verified && receiver.processed.has(webhookId);
      if (verified && !duplicate) receiver.processed.add(webhookId);
      receiver.deliveries.push({ webhookId, body, headers, verified, duplicate });
      reply(verified ? 204 : 401);
    });
    receiver.url = receiver.listener.url;
    return receiver;
  }

  /** Polls until `check` holds or `limitMs` passes (a delivery is asynchronous); true when it held. */
  async until(check: () => boolean, limitMs: number): Promise<boolean> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > limitMs) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  async close(): Promise<void> {
    await this.listener.close();
  }
}
