/**
 * A tiny HTTP server standing in for the central server at the network edge: each test file passes
 * the routes it needs; a request no route answers gets a 404 in the server's error shape.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body));
}

export interface StandIn {
  url: string;
  /** While true, connections are cut on arrival, as with a server that is down. */
  down: boolean;
  close(): Promise<void>;
}

/** `route` gets the whole request body and answers with `answer`, or leaves the request to the 404. */
export async function startStandIn(route: (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => void): Promise<StandIn> {
  const server = http.createServer((req, res) => {
    if (standIn.down) {
      req.socket.destroy();
      return;
    }
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      route(req, res, raw);
      if (!res.headersSent) answer(res, 404, { error: { code: 'not_found', message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const standIn: StandIn = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down: false,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return standIn;
}
