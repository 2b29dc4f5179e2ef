import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A POST as a webhook receiver reads it: the raw body (signatures cover its bytes) and flat headers. */
export interface IncomingMessage {
  body: string;
  headers: Record<string, string>;
}

/** A loopback HTTP server feeding each request to `onMessage`; `reply` sends the status it decides. */
export interface Listener {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the loopback server both webhook receivers use (the conformance script's and the server tests'):
 * reads each request whole, then hands it over with a `reply(status)` that is safe after the client left.
 */
export async function listenForWebhooks(path: string, onMessage: (message: IncomingMessage, reply: (status: number) => void) => void): Promise<Listener> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      onMessage({ body, headers }, (status) => {
        if (!response.destroyed) response.writeHead(status).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Index of the first of `secrets` whose standardwebhooks `Webhook.verify` accepts the message, or -1. */
export function verifyingSecret(secrets: readonly string[], { body, headers }: IncomingMessage): number {
  return secrets.findIndex((secret) => {
    try {
      new Webhook(secret).verify(body, headers);
      return true;
    } catch {
      return false;
    }
  });
}
