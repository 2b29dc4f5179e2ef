import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from './support/api-keys.ts';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';
import { Receiver } from './webhooks/receiver.ts';
import { enqueueEvents } from '../../sync/server/webhooks/outbox.ts';
import { pauseKind, pauseKindOf, pausedBy, pausedByOf } from '../../renderer/ui/admin/pause-reason.ts';

/**
 * The webhook screen tells the admin why a subscription was paused in their language, from the
 * server's sentence (renderer/ui/admin/pause-reason.ts). These tests make each kind of pause happen on a
 * real server — 3 days of failed deliveries (clock stepped), a revoked key (at once) or an expired one (sweep), a person — and check
 * the screen's reading of the text the server actually wrote, so a reworded reason cannot slip by.
 */
describe.each(DATABASE_KINDS)('webhook pause reasons as the admin screen reads them, on %s', (kind) => {
  let server: TestServer;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: { autoStart: false, clock, random: () => 0.5, timeoutMs: 2_000 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = (token: string, method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/webhooks${path}`, { token, body });
  const reasonOf = async (token: string, id: string) => {
    const view = (await api(token, 'GET', `/subscriptions/${id}`)).body as { status: string; pausedReason: string | null };
    expect(view.status).toBe('paused');
    return view.pausedReason;
  };

  it('API-02 a subscription paused after 3 days of failed deliveries reads as delivery_failed', async () => {
    const admin = await adminToken(server);
    const failing = await Receiver.start();
    failing.answer = () => 503;
    try {
      const made = await api(admin, 'POST', '/subscriptions', { url: failing.url, eventTypes: ['contract.changed'] });
      expect(made.status).toBe(201);
      const id = made.body.subscription.id as string;
      await api(admin, 'POST', `/subscriptions/${id}/ping`);
      expect(await server.webhooks.runDue()).toBe(1);
      // Past the 3-day window: the next attempt is the last, and it pauses the subscription.
      offsetMs += 4 * 86_400_000;
      expect(await server.webhooks.runDue()).toBe(1);
      const reason = await reasonOf(admin, id);
      expect(pauseKind(reason)).toBe('delivery_failed');
      expect(pausedBy(reason)).toBeNull();
      // Stop 21: the code (no sentence to parse) and names, not ids, for the screen.
      const view = (await api(admin, 'GET', `/subscriptions/${id}`)).body;
      expect(view).toMatchObject({ pausedCode: 'delivery_failed', pausedByName: null, createdByName: 'Ana Admin', apiKeyName: null });
      expect([pauseKindOf(view), pausedByOf(view)]).toEqual(['delivery_failed', null]);
    } finally {
      offsetMs = 0;
      await failing.close();
    }
  });

  it('API-02 revoking a key pauses its subscriptions at once (no sweep), reading as key_revoked', async () => {
    const receiver = await Receiver.start();
    try {
      const key = await createKey(server, ['webhooks:read', 'webhooks:write', 'billing:read']);
      const made = await api(key.secret, 'POST', '/subscriptions', { url: receiver.url, eventTypes: ['contract.changed'] });
      expect(made.status).toBe(201);
      const admin = await adminToken(server);
      expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/revoke`, { token: admin })).status).toBe(200);
      expect(pauseKind(await reasonOf(admin, made.body.subscription.id))).toBe('key_revoked');
      expect((await api(admin, 'GET', `/subscriptions/${made.body.subscription.id}`)).body).toMatchObject({ pausedCode: 'key_revoked', pausedByName: null, apiKeyId: key.id, apiKeyName: key.name });
    } finally {
      await receiver.close();
    }
  });

  it('API-02 a key that expires: the worker does not wait on its subscription\'s messages, and the sweep pauses it as key_revoked', async () => {
    const receiver = await Receiver.start();
    try {
      const key = await createKey(server, ['webhooks:read', 'webhooks:write', 'billing:read'], { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
      const made = await api(key.secret, 'POST', '/subscriptions', { url: receiver.url, eventTypes: ['contract.changed'] });
      expect(made.status).toBe(201);
      const id = made.body.subscription.id as string;
      const [store] = await server.db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
      await server.db.transaction((tx) => enqueueEvents(tx, store!.id, [{ type: 'webhook.ping', resourceId: id, data: {}, subscriptionId: id }]));
      expect(await server.webhooks.nextDueInMs()).toBeLessThanOrEqual(0);
      offsetMs = 2 * 3_600_000;
      // Expired, not yet swept: nothing is sent, and nothing is due for the worker to look again at every 20 ms.
      expect(await server.webhooks.runDue()).toBe(0);
      expect(await server.webhooks.nextDueInMs()).toBe(Infinity);
      expect(receiver.all).toHaveLength(0);
      await server.webhooks.sweep();
      const admin = await adminToken(server);
      expect(pauseKind(await reasonOf(admin, id))).toBe('key_revoked');
    } finally {
      offsetMs = 0;
      await receiver.close();
    }
  });

  it('API-02 a subscription an admin paused reads as manual and names who; resuming clears the reason', async () => {
    const admin = await adminToken(server);
    const made = await api(admin, 'POST', '/subscriptions', { url: 'http://127.0.0.1:9/hook', eventTypes: ['contract.changed'] });
    expect(made.status).toBe(201);
    const id = made.body.subscription.id as string;
    expect((await api(admin, 'PATCH', `/subscriptions/${id}`, { status: 'paused' })).status).toBe(200);
    const reason = await reasonOf(admin, id);
    expect(pauseKind(reason)).toBe('manual');
    expect(pausedBy(reason)).toBe('Ana Admin');
    const paused = (await api(admin, 'GET', `/subscriptions/${id}`)).body;
    expect(paused).toMatchObject({ pausedCode: 'manual', pausedByName: 'Ana Admin' });
    expect([pauseKindOf(paused), pausedByOf(paused)]).toEqual(['manual', 'Ana Admin']);
    const resumed = (await api(admin, 'PATCH', `/subscriptions/${id}`, { status: 'active' })).body as { pausedReason: string | null; pausedCode: string | null };
    expect(pauseKind(resumed.pausedReason)).toBe('other');
    expect(resumed.pausedCode).toBeNull();
  });
});
