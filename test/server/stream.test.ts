import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../sync/server/node/start.ts';
import { TEST_PASSWORD_HASHING } from './support/password-hashing.ts';
import { call, DATABASE_KINDS, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { cpf, saleDoc } from './support/documents.ts';
import { changeOf, endsWithin, openStream } from './support/stream.ts';
import { collectionsFor, type StreamResync } from '../../sync/schema/index.ts';
import { forgetLookups } from '../../sync/server/auth/auth-cache.ts';
import { digest } from '../../sync/server/auth/secrets.ts';
import { revokeSessions } from '../../sync/server/auth/sessions.ts';

describe.each(DATABASE_KINDS)('change stream on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = (await login(server, 'admin', 'admin123')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('POS-02 says RESYNC on connect, then carries a server change with its checkpoint', async () => {
    const { token } = await stationSession(server, 'cx01');
    const stream = await openStream(server.url, token);
    try {
      expect(stream.contentType).toMatch(/text\/event-stream/);
      const first = await stream.waitFor(() => true, 'first event');
      // On connect the RESYNC says where each collection stood (StreamResync); older devices ignore the data.
      expect(first.event).toBe('resync');
      const opened = JSON.parse(first.data) as StreamResync;
      expect(opened.positions.products).toEqual({ seq: expect.any(Number), epoch: expect.any(String) });
      expect(opened.positions.products!.seq).toBeGreaterThan(0);

      const product = (await call(server.url, 'GET', '/api/v1/products/p-00005', { token: admin })).body;
      const { _deleted, ...fields } = product;
      const put = await call(server.url, 'PUT', '/api/v1/products/p-00005', { token: admin, body: { ...fields, priceCents: 12_345 } });
      expect(put.status).toBe(200);
      const event = await stream.waitFor((e) => changeOf(e)?.documents.some((doc) => doc.id === 'p-00005') ?? false, 'product change');
      const change = changeOf(event)!;
      expect(change.collection).toBe('products');
      expect(change.documents).toEqual([{ ...fields, priceCents: 12_345, _deleted: false }]);
      expect(change.checkpoint.seq).toBeGreaterThan(0);
    } finally {
      await stream.close();
    }
  });

  it('ADM-02 a stream whose session was resolved before a role change committed, and that was tracked after the notice went, ends without streaming the old scope', async () => {
    const code = `race${kind.length}`;
    expect((await call(server.url, 'POST', '/api/users', { token: admin, body: { code, name: 'Race Boss', password: 'race-pass-123', roles: ['admin'] } })).status).toBe(201);
    const boss = await login(server, code, 'race-pass-123');
    // Its lookup is cached now: the stream's request below passes authentication without the database.
    expect((await call(server.url, 'GET', '/api/users', { token: boss.token })).status).toBe(200);
    const userId = `loja1-${code}`;
    let opening: Promise<Awaited<ReturnType<typeof openStream>>> | undefined;
    await server.db.transaction(async (tx) => {
      // The stream's first read (where each collection stands) waits behind this transaction: on PGlite its
      // one connection, on PostgreSQL this lock.
      if (kind === 'postgresql') await tx.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
      opening = openStream(server.url, boss.token);
      opening.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // The roles route's own change (routes-store-settings.ts): the notice goes at commit, before the stream is tracked.
      await tx.query('UPDATE users SET roles = $2 WHERE id = $1', [userId, ['cashier']]);
      await forgetLookups(tx, [`user:${userId}`]);
    });
    const stream = await opening!;
    try {
      const ended = await endsWithin(stream.ended, 5_000);
      const service = { id: `svc-race-${kind}`, kind: 'service', code: `RACE${kind.length}`, name: 'Serviço restrito', active: true, monthlyFeeCents: 12_345, updatedAt: new Date().toISOString() };
      expect((await call(server.url, 'PUT', `/api/v1/backoffice/${service.id}`, { token: admin, body: service })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const cashierCollections: readonly string[] = collectionsFor(['cashier']);
      const resync = stream.events.find((event) => event.event === 'resync');
      const openedWith = resync ? Object.keys((JSON.parse(resync.data) as StreamResync).positions) : [];
      const leaked = stream.events.some((event) => changeOf(event)?.documents.some((doc) => doc.id === service.id));
      // Ended (it had the old scope), or opened with the new one: never streaming what the user may no longer read.
      expect({ ended: ended || openedWith.every((collection) => cashierCollections.includes(collection)), leaked }).toEqual({ ended: true, leaked: false });
    } finally {
      await stream.close();
    }
  });

  it('API-08 a stream whose session was looked up before a logout committed, and that was tracked after the notice went, ends without streaming', async () => {
    const { token } = await stationSession(server, 'cx02');
    // Its lookup is cached now: the stream's request below passes authentication without the database.
    expect((await call(server.url, 'GET', '/api/sync/products/pull?limit=1', { token })).status).toBe(200);
    let opening: Promise<Awaited<ReturnType<typeof openStream>> | null> | undefined;
    await server.db.transaction(async (tx) => {
      if (kind === 'postgresql') await tx.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
      // Refused outright (401) when the request came too late to race: no stream, nothing to check.
      opening = openStream(server.url, token).catch((error: unknown) => {
        if (String(error).includes('401')) return null;
        throw error;
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // The logout route's own revocation (routes-auth.ts): the notice goes at commit, before the stream is tracked.
      await revokeSessions(tx, { tokenHash: digest(token) });
    });
    const stream = await opening!;
    if (!stream) return;
    try {
      const ended = await endsWithin(stream.ended, 5_000);
      expect((await call(server.url, 'POST', '/api/v1/products/batch', { token: admin, body: { items: [{ sku: 'P000007', priceCents: 7_077 }] } })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const leaked = stream.events.some((event) => changeOf(event)?.documents.some((doc) => doc.id === 'p-00007'));
      expect({ ended, leaked }).toEqual({ ended: true, leaked: false });
    } finally {
      await stream.close();
    }
  });

  it("a station's stream never carries another station's sales", async () => {
    const one = await stationSession(server, 'cx01');
    const two = await stationSession(server, 'cx02');
    const stream = await openStream(server.url, one.token);
    try {
      await stream.waitFor((e) => e.event === 'resync', 'resync');
      await call(server.url, 'POST', '/api/sync/sales/push', { token: two.token, body: [{ newDocumentState: saleDoc('s-other', two.station.stationId) }] });
      await call(server.url, 'POST', '/api/sync/sales/push', { token: one.token, body: [{ newDocumentState: saleDoc('s-mine', one.station.stationId) }] });
      await stream.waitFor((e) => changeOf(e)?.documents.some((doc) => doc.id === 's-mine') ?? false, 'own sale');
      const salesSeen = stream.events.flatMap((e) => (changeOf(e)?.collection === 'sales' ? changeOf(e)!.documents.map((doc) => doc.id) : []));
      expect(salesSeen).toEqual(['s-mine']);
    } finally {
      await stream.close();
    }
  });
});

describe('two server instances on one PostgreSQL', () => {
  it('POS-02 a write through one instance reaches a device streaming from the other (LISTEN/NOTIFY)', async () => {
    const first = await startTestServer('postgresql');
    const second = await startServer({ port: 0, databaseUrl: first.databaseUrl, seedDemo: false, logLevel: 'error', rateLimit: false, passwordHashing: TEST_PASSWORD_HASHING });
    try {
      const device = await stationSession(second, 'cx01');
      const stream = await openStream(second.url, device.token);
      try {
        await stream.waitFor((e) => e.event === 'resync', 'resync');
        const admin = (await login(first, 'admin', 'admin123')).token;
        // A CPF of its own: the demo's Maria holds 52998224725, and a CPF/CNPJ identifies one customer (BO-01).
        const customer = { id: 'c-from-first', name: 'Via instância 1', taxId: cpf(90_001), active: true, updatedAt: '2026-11-23T10:00:00.000Z' };
        expect((await call(first.url, 'PUT', '/api/v1/customers/c-from-first', { token: admin, body: customer })).status).toBe(200);
        const event = await stream.waitFor((e) => changeOf(e)?.documents.some((doc) => doc.id === 'c-from-first') ?? false, 'change written through the other instance');
        expect(changeOf(event)!.collection).toBe('customers');
      } finally {
        await stream.close();
      }
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('ADM-02 a user demoted through one instance loses the open stream they hold on the other at once; a back-office record written after never reaches it', async () => {
    const first = await startTestServer('postgresql');
    const second = await startServer({ port: 0, databaseUrl: first.databaseUrl, seedDemo: false, logLevel: 'error', rateLimit: false, passwordHashing: TEST_PASSWORD_HASHING });
    try {
      const admin = (await login(first, 'admin', 'admin123')).token;
      expect((await call(first.url, 'POST', '/api/users', { token: admin, body: { code: 'boss2', name: 'Boss Two', password: 'boss2-pass-123', roles: ['admin'] } })).status).toBe(201);
      const boss = await login(second, 'boss2', 'boss2-pass-123');
      const demoted = await openStream(second.url, boss.token);
      const other = await openStream(second.url, admin);
      try {
        for (const stream of [demoted, other]) await stream.waitFor((e) => e.event === 'resync', 'resync');
        expect((await call(first.url, 'PUT', '/api/users/loja1-boss2/roles', { token: admin, body: { roles: ['cashier'] } })).status).toBe(200);
        expect(await endsWithin(demoted.ended, 5_000)).toBe(true);
        const service = { id: 'svc-two-instances', kind: 'service', code: 'SECRET2', name: 'Serviço restrito', active: true, monthlyFeeCents: 12_345, updatedAt: new Date().toISOString() };
        expect((await call(first.url, 'PUT', '/api/v1/backoffice/svc-two-instances', { token: admin, body: service })).status).toBe(200);
        await other.waitFor((e) => changeOf(e)?.documents.some((doc) => doc.id === 'svc-two-instances') ?? false, 'the back-office record on the other admin\'s stream');
        expect(demoted.events.some((e) => changeOf(e)?.documents.some((doc) => doc.id === 'svc-two-instances'))).toBe(false);
      } finally {
        await demoted.close();
        await other.close();
      }
    } finally {
      await second.close();
      await first.close();
    }
  });
});
