import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sync/server/node/start.ts';
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
    second = await startServer({ port: 0, databaseUrl: first.databaseUrl, logLevel: 'error', rateLimit: false, webhooks: { autoStart: false } });
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
});
