import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sync/server/node/start.ts';
import { TEST_PASSWORD_HASHING } from './support/password-hashing.ts';
import { adminToken, call, startTestServer, type TestServer } from './support/servers.ts';
import { Receiver } from './webhooks/receiver.ts';

/**
 * Two server instances on one PostgreSQL share the delivery work (API-02): a message is claimed by one
 * worker only (FOR UPDATE SKIP LOCKED), so stepping both at once sends each message once.
 */
describe('webhook workers of two instances on one PostgreSQL', () => {
  let first: TestServer;
  let second: RunningServer;
  let receiver: Receiver;
  beforeAll(async () => {
    first = await startTestServer('postgresql', { webhooks: { autoStart: false } });
    second = await startServer({ port: 0, databaseUrl: first.databaseUrl, logLevel: 'error', rateLimit: false, webhooks: { autoStart: false }, passwordHashing: TEST_PASSWORD_HASHING });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await receiver?.close();
  });

  it('API-02 two workers stepping at once send each queued message exactly once', async () => {
    const admin = await adminToken(first);
    const made = await call(first.url, 'POST', '/api/v1/webhooks/subscriptions', { token: admin, body: { url: receiver.url, eventTypes: ['contract.changed'] } });
    receiver.secrets = [made.body.secret];
    const pings = await Promise.all(Array.from({ length: 60 }, () => call(first.url, 'POST', `/api/v1/webhooks/subscriptions/${made.body.subscription.id}/ping`, { token: admin })));
    expect(pings.every((ping) => ping.status === 202)).toBe(true);
    const [a, b] = await Promise.all([first.webhooks.runDue(), second.webhooks.runDue()]);
    expect(a + b).toBe(60);
    expect(receiver.all).toHaveLength(60);
    expect(receiver.unique.size).toBe(60);
    expect(receiver.all.every((message) => message.verifiedWith === 0)).toBe(true);
  });

  it('API-02 deleting subscriptions while a delivery round records its attempts neither deadlocks nor fails the round', { timeout: 120_000 }, async () => {
    // The round's record locked a message (attempt FK) before its subscription; a delete locks the
    // subscription, then cascades to its messages: opposite orders, a deadlock that failed the whole round
    // (its deliveries then sent again). Both now take the subscription first.
    const admin = await adminToken(first);
    for (let round = 0; round < 6; round += 1) {
      const made = await Promise.all(Array.from({ length: 8 }, () => call(first.url, 'POST', '/api/v1/webhooks/subscriptions', { token: admin, body: { url: receiver.url, eventTypes: ['contract.changed'] } })));
      receiver.secrets = made.map((answer) => answer.body.secret as string);
      const ids = made.map((answer) => answer.body.subscription.id as string);
      for (const id of ids) expect((await call(first.url, 'POST', `/api/v1/webhooks/subscriptions/${id}/ping`, { token: admin })).status).toBe(202);
      let release!: () => void;
      receiver.hold = new Promise<void>((resolve) => (release = resolve));
      const arrived = receiver.all.length;
      const delivering = first.webhooks.runDue();
      await receiver.until(() => receiver.all.length > arrived);
      release();
      // Deleted while the round is between its answers and its records (and a few after).
      const deleted = await Promise.all(ids.map((id) => call(first.url, 'DELETE', `/api/v1/webhooks/subscriptions/${id}`, { token: admin })));
      expect(deleted.map((answer) => answer.status).every((status) => status === 204 || status === 200)).toBe(true);
      await expect(delivering).resolves.toBeGreaterThanOrEqual(1);
      receiver.hold = null;
    }
  });
});
