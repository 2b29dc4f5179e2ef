import { listenForWebhooks, verifyingSecret, type Listener } from '../../homologate/listener.ts';

/** One POST the receiver got. */
export interface Received {
  id: string;
  headers: Record<string, string>;
  body: string;
  payload: { id: string; type: string; timestamp: string; storeId: string; resourceId: string; data: Record<string, unknown> };
  /** Index of the first secret of `secrets` that verifies it with standardwebhooks' Webhook.verify, or -1. */
  verifiedWith: number;
}

/**
 * A local webhook receiver as an integrator would write it: verifies each message with the
 * `standardwebhooks` package (Webhook.verify), processes what verifies on arrival, and drops duplicates by
 * `webhook-id` (`unique`: the first copy of each). `answer` decides the
 * status code (default 204); `hold` keeps answers back (a slow receiver, for the crash test).
 */
export class Receiver {
  readonly all: Received[] = [];
  /** First copy of each webhook-id: what a receiver that drops duplicates processes. */
  readonly unique = new Map<string, Received>();
  secrets: string[] = [];
  answer: (message: Received) => number = () => 204;
  hold: Promise<void> | null = null;
  private listener!: Listener;
  url = '';

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    receiver.listener = await listenForWebhooks('/hook', (incoming, reply) => {
      const { body, headers } = incoming;
      const message: Received = { id: headers['webhook-id'] ?? '', headers, body, payload: JSON.parse(body), verifiedWith: receiver.verify(body, headers) };
      receiver.all.push(message);
      const status = receiver.answer(message);
      // Processed on arrival (as a receiver that stores, then answers): a copy with a known id is dropped.
      if (status >= 200 && status < 300 && message.verifiedWith >= 0 && !receiver.unique.has(message.id)) receiver.unique.set(message.id, message);
      if (receiver.hold) void receiver.hold.then(() => reply(status));
      else reply(status);
    });
    receiver.url = receiver.listener.url;
    return receiver;
  }

  verify(body: string, headers: Record<string, string>): number {
    return verifyingSecret(this.secrets, { body, headers });
  }

  of(type: string): Received[] {
    return [...this.unique.values()].filter((message) => message.payload.type === type);
  }

  /** Waits until `check` holds (polling a condition, not a fixed sleep); fails after `limitMs` with what was received. */
  async until(check: () => boolean, limitMs = 20_000): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > limitMs) throw new Error(`the receiver did not get what was expected within ${limitMs} ms; got ${this.all.length} POSTs: ${this.all.map((m) => m.payload.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    await this.listener.close();
  }
}
