import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';
import { Receiver } from './webhooks/receiver.ts';

/**
 * A receiver that never answers (until the test lets it): it counts the requests it holds and those the
 * sender gave up on (the connection closed before an answer).
 */
class Tarpit {
  held: http.ServerResponse[] = [];
  arrived = 0;
  abandoned = 0;
  /** The most requests held at once. */
  most = 0;
  answering = false;
  private readonly server = http.createServer((request, response) => {
    request.resume();
    this.arrived += 1;
    if (this.answering) return void response.writeHead(204).end();
    this.held.push(response);
    this.most = Math.max(this.most, this.held.length);
    response.on('close', () => {
      if (!response.writableEnded) this.abandoned += 1;
      this.held = this.held.filter((entry) => entry !== response);
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`;
  }

  /** Answers what it holds and, from now on, everything at once. */
  answerAll(): void {
    this.answering = true;
    for (const response of this.held) response.writeHead(204).end();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Slow receivers cost only their own slots (API-02 delivery): the worker keeps up to 16 attempts under way,
 * claims the next due message as soon as one ends, and gives one store at most 8 and one subscription at
 * most 4 of them. Each test steps the worker (runDue) while a receiver holds its requests unanswered: the
 * other message arrives while every held attempt is still open (none given up on), so without a timing
 * assertion. The attempt limit is long enough that nothing times out before the test answers.
 */
describe.each(DATABASE_KINDS)('slow webhook receivers on %s', (kind) => {
  let server: TestServer;
  let receiver: Receiver;
  let tarpit: Tarpit;
  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: { autoStart: false, timeoutMs: 8_000 } });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  const subscribe = async (token: string, url: string) => {
    const made = await call(server.url, 'POST', '/api/v1/webhooks/subscriptions', { token, body: { url, eventTypes: ['contract.changed'] } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { subscription: { id: string }; secret: string };
  };
  const ping = async (token: string, id: string) => {
    const pinged = await call(server.url, 'POST', `/api/v1/webhooks/subscriptions/${id}/ping`, { token });
    expect(pinged.status).toBe(202);
    return pinged.body.id as string;
  };

  /**
   * Steps the worker until `other` arrived at the receiver and the tarpit holds `cap` requests, then lets
   * the tarpit answer. Asserts what both tests prove: `other` went out while the tarpit's `expected - 1`
   * requests were still waiting, none given up on, and never more than `cap` of them at once.
   */
  const expectDeliveredWhileHeld = async (other: string, cap: number, expected: number) => {
    let seen: { held: number; abandoned: number } | null = null;
    receiver.answer = (message) => {
      if (message.id === other) seen = { held: tarpit.held.length, abandoned: tarpit.abandoned };
      return 204;
    };
    const round = server.webhooks.runDue();
    try {
      await receiver.until(() => receiver.all.some((message) => message.id === other) && tarpit.held.length + tarpit.abandoned >= cap);
    } finally {
      tarpit.answerAll();
    }
    expect(await round).toBe(expected);
    expect(seen!.abandoned).toBe(0);
    expect(seen!.held).toBeLessThanOrEqual(cap);
    expect(tarpit.most).toBe(cap);
    expect(tarpit.abandoned).toBe(0);
    expect(tarpit.arrived).toBe(expected - 1);
  };

  it('API-02 one store\'s receivers that never answer do not hold back another store\'s deliveries', { timeout: 60_000 }, async () => {
    tarpit = new Tarpit();
    await tarpit.start();
    try {
      // loja1: 20 subscriptions to a receiver that does not answer, each with a message due before loja2's.
      const first = await adminToken(server, 'loja1');
      const slow = await Promise.all(Array.from({ length: 20 }, () => subscribe(first, tarpit.url)));
      for (const made of slow) await ping(first, made.subscription.id);
      const second = await adminToken(server, 'loja2');
      const mine = await subscribe(second, receiver.url);
      receiver.secrets = [mine.secret];
      const other = await ping(second, mine.subscription.id);

      // loja2's message went out while loja1's attempts were still waiting for their answers, none given up
      // on; loja1 had 8 of the 16 slots at most (on the previous code all 16, and loja2 waited for their timeout).
      await expectDeliveredWhileHeld(other, 8, 21);
      expect(receiver.all.filter((message) => message.id === other)).toHaveLength(1);
      expect(receiver.unique.get(other)?.verifiedWith).toBe(0);
    } finally {
      await tarpit.close();
    }
  });

  it('API-02 a subscription whose receiver never answers does not hold back the same store\'s other subscriptions', { timeout: 60_000 }, async () => {
    tarpit = new Tarpit();
    await tarpit.start();
    try {
      const admin = await adminToken(server, 'loja1');
      const slow = await subscribe(admin, tarpit.url);
      for (let n = 0; n < 20; n += 1) await ping(admin, slow.subscription.id);
      const mine = await subscribe(admin, receiver.url);
      receiver.secrets = [mine.secret];
      const other = await ping(admin, mine.subscription.id);

      await expectDeliveredWhileHeld(other, 4, 21);
      const pending = await call(server.url, 'GET', `/api/v1/webhooks/subscriptions/${slow.subscription.id}`, { token: admin });
      expect(pending.body.pending).toBe(0);
    } finally {
      await tarpit.close();
    }
  });
});
