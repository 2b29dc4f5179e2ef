import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createKey } from './support/api-keys.ts';
import { adminToken, call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';
import { Receiver } from './webhooks/receiver.ts';
import { FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS } from '../../sync/server/webhooks/backoff.ts';

/**
 * Webhooks (issue 13, API-02) on a server whose delivery worker does not run by itself: each test steps
 * it (`server.webhooks.runDue()`) and moves its clock, so retries, the 3-day limit and rotations are
 * exercised without waiting and without sleeps.
 */
describe.each(DATABASE_KINDS)('webhooks on %s', (kind) => {
  let server: TestServer;
  let receiver: Receiver;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: { autoStart: false, clock, random: () => 0.5, timeoutMs: 2_000 } });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });
  // Messages are stamped by the database's clock: each test starts with the worker's clock on it.
  beforeEach(() => {
    offsetMs = 0;
  });

  const api = (token: string, method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/webhooks${path}`, { token, body });
  const subscribe = async (token: string, body: Record<string, unknown>) => {
    const made = await api(token, 'POST', '/subscriptions', body);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { subscription: { id: string }; secret: string };
  };

  it('API-02 an integrator key with webhooks scopes subscribes, lists, changes and deletes its own subscriptions; the secret is shown once', async () => {
    const key = await createKey(server, ['webhooks:read', 'webhooks:write', 'orders:read']);
    const other = await createKey(server, ['webhooks:read', 'webhooks:write', 'orders:read']);
    const made = await subscribe(key.secret, { url: receiver.url, eventTypes: ['order.status_changed'], description: 'ERP' });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(made.subscription).toMatchObject({ url: receiver.url, eventTypes: ['order.status_changed'], status: 'active', apiKeyId: key.id, pending: 0 });
    const listed = await api(key.secret, 'GET', '/subscriptions');
    expect(listed.body.map((s: { id: string }) => s.id)).toEqual([made.subscription.id]);
    expect(JSON.stringify(listed.body)).not.toContain(made.secret);
    expect(JSON.stringify((await api(key.secret, 'GET', `/subscriptions/${made.subscription.id}`)).body)).not.toContain('whsec_');
    // Another integrator neither sees nor touches it; the store admin sees every subscription.
    expect((await api(other.secret, 'GET', '/subscriptions')).body).toEqual([]);
    expect((await api(other.secret, 'DELETE', `/subscriptions/${made.subscription.id}`)).status).toBe(404);
    const admin = await adminToken(server);
    expect((await api(admin, 'GET', '/subscriptions')).body.map((s: { id: string }) => s.id)).toContain(made.subscription.id);
    const changed = await api(key.secret, 'PATCH', `/subscriptions/${made.subscription.id}`, { description: 'ERP produção' });
    expect(changed.body).toMatchObject({ description: 'ERP produção', eventTypes: ['order.status_changed'] });
    expect((await api(key.secret, 'DELETE', `/subscriptions/${made.subscription.id}`)).status).toBe(204);
    expect((await api(key.secret, 'GET', `/subscriptions/${made.subscription.id}`)).status).toBe(404);
  });

  it('API-02 subscribing needs the read scope of the event\'s data, a level for stock.below_level, and a URL the server may call; cashiers and keys without webhooks scopes are refused', async () => {
    const key = await createKey(server, ['webhooks:read', 'webhooks:write']);
    const noScope = await api(key.secret, 'POST', '/subscriptions', { url: receiver.url, eventTypes: ['sale.uploaded'] });
    expect(noScope).toMatchObject({ status: 403, body: { errors: [{ pointer: '/eventTypes/0', detail: expect.stringMatching(/sales:read/) }] } });
    const stockKey = await createKey(server, ['webhooks:write', 'stock:read']);
    expect(await api(stockKey.secret, 'POST', '/subscriptions', { url: receiver.url, eventTypes: ['stock.below_level'] })).toMatchObject({ status: 422, body: { errors: [{ pointer: '/stockLevel' }] } });
    expect(await api(stockKey.secret, 'POST', '/subscriptions', { url: 'ftp://example.com/x', eventTypes: ['stock.below_level'], stockLevel: 5 })).toMatchObject({ status: 422, body: { errors: [{ pointer: '/url' }] } });
    const readOnly = await createKey(server, ['orders:read']);
    expect((await api(readOnly.secret, 'GET', '/subscriptions')).status).toBe(403);
    const cashier = await login(server, 'caixa', 'caixa123');
    expect((await api(cashier.token, 'GET', '/subscriptions')).status).toBe(403);
    expect((await api(await adminToken(server), 'GET', '/event-types')).body.map((t: { type: string }) => t.type)).toEqual(['sale.uploaded', 'order.status_changed', 'stock.below_level', 'contract.changed', 'receivable.created', 'receivable.overdue']);
  });

  it('API-02 a delivered message verifies with the standardwebhooks package and carries webhook-id, type, resource id and snapshot', async () => {
    const admin = await adminToken(server);
    const made = await subscribe(admin, { url: receiver.url, eventTypes: ['contract.changed'] });
    receiver.secrets = [made.secret];
    const pinged = await api(admin, 'POST', `/subscriptions/${made.subscription.id}/ping`);
    expect(pinged.status).toBe(202);
    expect(await server.webhooks.runDue()).toBeGreaterThanOrEqual(1);
    const got = receiver.all.find((message) => message.id === pinged.body.id)!;
    expect(got.verifiedWith).toBe(0);
    expect(new Webhook(made.secret).verify(got.body, got.headers)).toEqual(got.payload);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(got.payload).toMatchObject({ id: pinged.body.id, type: 'webhook.ping', resourceId: made.subscription.id, storeId: 'loja1', data: expect.any(Object) });
    // A tampered body or another secret fails the check.
    expect(() => new Webhook(made.secret).verify(got.body.replace('ping', 'pong'), got.headers)).toThrow();
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 1).toString('base64')).verify(got.body, got.headers)).toThrow();
    const log = await api(admin, 'GET', `/subscriptions/${made.subscription.id}/attempts`);
    expect(log.body.attempts[0]).toMatchObject({ messageId: pinged.body.id, attempt: 1, statusCode: 204, error: null, durationMs: expect.any(Number) });
    expect((await api(admin, 'GET', `/subscriptions/${made.subscription.id}/messages`)).body.messages[0]).toMatchObject({ id: pinged.body.id, state: 'delivered', attempts: 1 });
    await api(admin, 'DELETE', `/subscriptions/${made.subscription.id}`);
  });

  it('API-02 secret rotation: during the grace both secrets sign (two signatures), the receiver accepts with either; after it only the new one signs', async () => {
    const admin = await adminToken(server);
    const made = await subscribe(admin, { url: receiver.url, eventTypes: ['contract.changed'] });
    const rotated = await api(admin, 'POST', `/subscriptions/${made.subscription.id}/rotate-secret`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(made.secret);
    expect(rotated.body.subscription.previousSecretUntil).toBe(rotated.body.previousSecretUntil);
    const during = (await api(admin, 'POST', `/subscriptions/${made.subscription.id}/ping`)).body.id;
    await server.webhooks.runDue();
    const both = receiver.all.find((message) => message.id === during)!;
    expect(both.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    receiver.secrets = [made.secret];
    expect(receiver.verify(both.body, both.headers)).toBe(0);
    receiver.secrets = [rotated.body.secret];
    expect(receiver.verify(both.body, both.headers)).toBe(0);

    offsetMs += 3601_000; // the grace is over
    const after = (await api(admin, 'POST', `/subscriptions/${made.subscription.id}/ping`)).body.id;
    await server.webhooks.runDue();
    const single = receiver.all.find((message) => message.id === after)!;
    expect(single.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    receiver.secrets = [made.secret, rotated.body.secret];
    expect(receiver.verify(single.body, single.headers)).toBe(1);
    expect((await api(admin, 'GET', `/subscriptions/${made.subscription.id}`)).body.previousSecretUntil).toBeNull();
    await api(admin, 'DELETE', `/subscriptions/${made.subscription.id}`);
  });

  it('API-02 a failing receiver is retried with exponential backoff and jitter for 3 days, then the subscription is paused with the reason the admin sees; resuming and redelivering sends it, same webhook-id', async () => {
    const admin = await adminToken(server);
    const failing = await Receiver.start();
    failing.answer = () => 503;
    try {
      const made = await subscribe(admin, { url: failing.url, eventTypes: ['contract.changed'] });
      const id = made.subscription.id;
      failing.secrets = [made.secret];
      const messageId = (await api(admin, 'POST', `/subscriptions/${id}/ping`)).body.id as string;
      const delays: number[] = [];
      let last = clock().getTime();
      for (let round = 0; round < 100; round++) {
        await server.webhooks.runDue();
        const [message] = (await api(admin, 'GET', `/subscriptions/${id}/messages`)).body.messages;
        if (message.state !== 'pending') break;
        const next = Date.parse(message.nextAttemptAt);
        delays.push((next - last) / 1000);
        // Nothing is sent before its time.
        offsetMs += next - clock().getTime() - 1000;
        expect(await server.webhooks.runDue()).toBe(0);
        offsetMs += 1000;
        last = next;
      }
      // random() = 0.5: each wait is 3/4 of its step; steps double from 30 s up to 6 h.
      expect(delays.slice(0, 4).map(Math.round)).toEqual([0.75 * FIRST_RETRY_SECONDS, 1.5 * FIRST_RETRY_SECONDS, 3 * FIRST_RETRY_SECONDS, 6 * FIRST_RETRY_SECONDS].map(Math.round));
      expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_RETRY_SECONDS);
      const attempts = (await api(admin, 'GET', `/subscriptions/${id}/attempts?limit=500`)).body.attempts;
      expect(attempts.length).toBe(delays.length + 1);
      expect(attempts.length).toBeGreaterThan(15);
      // The last attempt is at the end of the 3-day window, counted from the event.
      const createdAt = Date.parse((await api(admin, 'GET', `/subscriptions/${id}/messages`)).body.messages[0].createdAt);
      expect(Date.parse(attempts[0].at) - createdAt).toBeGreaterThanOrEqual(3 * 86_400_000);
      expect(Date.parse(attempts[1].at) - createdAt).toBeLessThan(3 * 86_400_000);
      expect(attempts[0]).toMatchObject({ messageId, statusCode: 503, error: expect.stringMatching(/answered 503/) });
      const paused = (await api(admin, 'GET', '/subscriptions?status=paused')).body.find((s: { id: string }) => s.id === id);
      expect(paused).toMatchObject({ status: 'paused', failed: 1, pausedReason: expect.stringMatching(new RegExp(`${messageId}.*3 days.*answered 503`)) });

      // While paused, new events queue and nothing is sent.
      const queued = (await api(admin, 'POST', `/subscriptions/${id}/ping`)).body.id as string;
      const sentBefore = failing.all.length;
      expect(await server.webhooks.runDue()).toBe(0);
      expect(failing.all.length).toBe(sentBefore);

      // Fixed receiver: resume (what waited goes) and redeliver the failed one.
      failing.answer = () => 200;
      expect((await api(admin, 'PATCH', `/subscriptions/${id}`, { status: 'active' })).body).toMatchObject({ status: 'active', pausedReason: null });
      expect((await api(admin, 'POST', `/subscriptions/${id}/messages/${messageId}/redeliver`)).body).toMatchObject({ id: messageId, state: 'pending' });
      await server.webhooks.runDue();
      expect([...failing.unique.keys()].sort()).toEqual([messageId, queued].sort());
      const states = (await api(admin, 'GET', `/subscriptions/${id}/messages`)).body.messages.map((m: { state: string }) => m.state);
      expect(states).toEqual(['delivered', 'delivered']);
      expect((await api(admin, 'POST', `/subscriptions/${id}/messages/msg_unknown/redeliver`)).status).toBe(404);
    } finally {
      await failing.close();
    }
  });

  it('API-02 a receiver that does not answer in time is a failed attempt with the reason in the log, retried later', async () => {
    const admin = await adminToken(server);
    const silent = await Receiver.start();
    silent.hold = new Promise(() => undefined);
    try {
      const made = await subscribe(admin, { url: silent.url, eventTypes: ['contract.changed'] });
      await api(admin, 'POST', `/subscriptions/${made.subscription.id}/ping`);
      await server.webhooks.runDue();
      const [attempt] = (await api(admin, 'GET', `/subscriptions/${made.subscription.id}/attempts`)).body.attempts;
      expect(attempt).toMatchObject({ statusCode: null, error: 'no answer within 2000 ms' });
      expect((await api(admin, 'GET', `/subscriptions/${made.subscription.id}/messages`)).body.messages[0]).toMatchObject({ state: 'pending', attempts: 1 });
      await api(admin, 'DELETE', `/subscriptions/${made.subscription.id}`);
    } finally {
      await silent.close();
    }
  });

  it('API-02 a subscription whose key is revoked stops receiving and shows why', async () => {
    const key = await createKey(server, ['webhooks:read', 'webhooks:write', 'billing:read']);
    const made = await subscribe(key.secret, { url: receiver.url, eventTypes: ['contract.changed'] });
    const admin = await adminToken(server);
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/revoke`, { token: admin })).status).toBe(200);
    const sent = receiver.all.length;
    await api(admin, 'POST', `/subscriptions/${made.subscription.id}/ping`);
    expect(await server.webhooks.runDue()).toBe(0);
    expect(receiver.all.length).toBe(sent);
    await server.webhooks.sweep();
    expect((await api(admin, 'GET', `/subscriptions/${made.subscription.id}`)).body).toMatchObject({ status: 'paused', pausedReason: expect.stringMatching(/revoked or expired/) });
  });
});
