import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

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
  private server!: http.Server;

  static async start(): Promise<LocalReceiver> {
    const receiver = new LocalReceiver();
    receiver.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        const webhookId = headers['webhook-id'] ?? '';
        const verified = receiver.verify(body, headers);
        const duplicate = verified && receiver.processed.has(webhookId);
        if (verified && !duplicate) receiver.processed.add(webhookId);
        receiver.deliveries.push({ webhookId, body, headers, verified, duplicate });
        response.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/homologation-hook`;
    return receiver;
  }

  private verify(body: string, headers: Record<string, string>): boolean {
    if (!this.secret) return false;
    try {
      new Webhook(this.secret).verify(body, headers);
      return true;
    } catch {
      return false;
    }
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
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
