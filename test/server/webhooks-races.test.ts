import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Changes of one webhook subscription sent at once (API-02): each is checked against the subscription as
 * it stands when it is written (read locked in the change's transaction), so two changes that are each
 * fine alone but not together cannot both pass. PostgreSQL is where requests interleave (PGlite has one
 * connection); both run the same checks.
 */
describe.each(DATABASE_KINDS)('webhook subscription races on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  const ROUNDS = 8;
  beforeAll(async () => {
    // Nothing is delivered: the worker does not run by itself.
    server = await startTestServer(kind, { webhooks: { autoStart: false } });
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1/webhooks${path}`, { token: admin, body });

  it('API-02 adding stock.below_level while its level is removed: one change answers 422, and the subscription never fires without a level', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const made = await api('POST', '/subscriptions', { url: `https://erp.example.com/hooks/${round}`, eventTypes: ['order.status_changed'], stockLevel: 5 });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const path = `/subscriptions/${made.body.subscription.id as string}`;
      const [typed, unlevelled] = await Promise.all([
        api('PATCH', path, { eventTypes: ['order.status_changed', 'stock.below_level'] }),
        api('PATCH', path, { stockLevel: null }),
      ]);
      // Either order, the second is judged on what the first left: stock.below_level needs a level.
      expect([typed.status, unlevelled.status].sort()).toEqual([200, 422]);
      expect((typed.status === 422 ? typed : unlevelled).body).toMatchObject({ error: { code: 'validation_failed' } });
      const now = (await api('GET', path)).body;
      if (typed.status === 200) expect(now).toMatchObject({ eventTypes: ['order.status_changed', 'stock.below_level'], stockLevel: 5 });
      else expect(now).toMatchObject({ eventTypes: ['order.status_changed'], stockLevel: null });
      expect((await api('DELETE', path)).status).toBe(204);
    }
  });
});
