/**
 * GET /api/sync/:collection/pull-stream (issue 16): the pull as one request of NDJSON pages. Each line
 * is exactly what the paged pull answers from the same checkpoint, and the stream reads with the same
 * scope and refusals as the paged pull (the device-side behaviour: sync-client-pull-stream.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../sync/schema/index.ts';
import { call, DATABASE_KINDS, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { saleDoc } from './support/documents.ts';
import { forgetLookups } from '../../sync/server/auth/auth-cache.ts';

async function stream(server: TestServer, path: string, token?: string): Promise<{ status: number; type: string; remaining: string | null; pages: PullResponse[]; text: string }> {
  const response = await fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  const pages = response.ok ? text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as PullResponse) : [];
  return { status: response.status, type: response.headers.get('content-type') ?? '', remaining: response.headers.get('balcao-remaining'), pages, text };
}

describe.each(DATABASE_KINDS)('streamed pull on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('POS-03 each line is the page the paged pull answers from the same checkpoint, up to the first short page, with the count of what was left', async () => {
    const { token } = await login(server, 'admin', 'admin123');
    const answer = await stream(server, '/api/sync/products/pull-stream?limit=700&progress=true', token);
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('application/x-ndjson');
    const total = answer.pages.reduce((sum, page) => sum + page.documents.length, 0);
    expect(Number(answer.remaining)).toBe(total);
    expect(answer.pages.slice(0, -1).every((page) => page.documents.length === 700)).toBe(true);
    expect(answer.pages.at(-1)!.documents.length).toBeLessThan(700);
    let checkpoint = 0;
    for (const page of answer.pages) {
      const paged = await call(server.url, 'GET', `/api/sync/products/pull?limit=700&checkpoint=${checkpoint}`, { token });
      expect(page).toEqual(paged.body);
      checkpoint = page.checkpoint!.seq;
    }
    // From the end: one empty page, nothing left; without progress=true no count is made.
    const after = await stream(server, `/api/sync/products/pull-stream?limit=700&checkpoint=${checkpoint}&epoch=${answer.pages.at(-1)!.checkpoint!.epoch}`, token);
    expect(after.pages).toEqual([{ documents: [], checkpoint: answer.pages.at(-1)!.checkpoint }]);
    expect(after.remaining).toBeNull();
  });

  it('POS-03 the app reads the count from another origin: the header is exposed to it by CORS', async () => {
    const { token } = await login(server, 'admin', 'admin123');
    const response = await fetch(`${server.url}/api/sync/products/pull-stream?limit=10000&progress=true`, { headers: { authorization: `Bearer ${token}`, origin: 'app://balcao' } });
    await response.text();
    expect(response.headers.get('access-control-allow-origin')).toBe('app://balcao');
    expect((response.headers.get('access-control-expose-headers') ?? '').split(',').map((name) => name.trim())).toContain('balcao-remaining');
  });

  it('POS-03 a checkpoint this server never issued starts the stream from the beginning, marked resync', async () => {
    const { token } = await login(server, 'admin', 'admin123');
    const answer = await stream(server, '/api/sync/products/pull-stream?limit=5000&checkpoint=999999999&progress=true', token);
    expect(answer.pages[0]!.resync).toBe(true);
    expect(answer.pages[0]!.documents.length).toBeGreaterThan(0);
    expect(Number(answer.remaining)).toBe(answer.pages.reduce((sum, page) => sum + page.documents.length, 0));
  });

  it('ADM-02 a streamed pull whose session was resolved before a role change committed, and that was tracked after the notice went, sends nothing of the old scope', async () => {
    const admin = (await login(server, 'admin', 'admin123')).token;
    const code = `pull${kind.length}`;
    expect((await call(server.url, 'POST', '/api/users', { token: admin, body: { code, name: 'Pull Boss', password: 'pull-pass-123', roles: ['admin'] } })).status).toBe(201);
    const boss = await login(server, code, 'pull-pass-123');
    // Its lookup is cached now: the pull below passes authentication (and the roles check) without the database.
    expect((await call(server.url, 'GET', '/api/users', { token: boss.token })).status).toBe(200);
    const service = { id: `svc-pull-${kind}`, kind: 'service', code: `PULL${kind.length}`, name: 'Serviço restrito', active: true, monthlyFeeCents: 12_345, updatedAt: new Date().toISOString() };
    expect((await call(server.url, 'PUT', `/api/v1/backoffice/${service.id}`, { token: admin, body: service })).status).toBe(200);
    const userId = `loja1-${code}`;
    let pulling: Promise<{ pages: PullResponse[] } | { failed: string }> | undefined;
    await server.db.transaction(async (tx) => {
      // The pull's first read waits behind this transaction: on PGlite its one connection, on PostgreSQL this lock.
      if (kind === 'postgresql') await tx.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
      pulling = stream(server, '/api/sync/backoffice/pull-stream?limit=1000', boss.token).catch((error: unknown) => ({ failed: String(error) }));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // The roles route's own change (routes-store-settings.ts): the notice goes at commit, before the pull is tracked.
      await tx.query('UPDATE users SET roles = $2 WHERE id = $1', [userId, ['cashier']]);
      await forgetLookups(tx, [`user:${userId}`]);
    });
    const answer = await pulling!;
    const leaked = 'pages' in answer && answer.pages.some((page) => page.documents.some((doc) => doc.id === service.id));
    expect(leaked).toBe(false);
  });

  it("a station's stream of sales holds only its own station's sales", async () => {
    const one = await stationSession(server, 'cx01');
    const two = await stationSession(server, 'cx02');
    expect((await call(server.url, 'POST', '/api/sync/sales/push', { token: one.token, body: [{ newDocumentState: saleDoc('s-stream-one', one.station.stationId) }] })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/sync/sales/push', { token: two.token, body: [{ newDocumentState: saleDoc('s-stream-two', two.station.stationId) }] })).status).toBe(200);
    const ids = (await stream(server, '/api/sync/sales/pull-stream', one.token)).pages.flatMap((page) => page.documents.map((doc) => doc.id));
    expect(ids).toContain('s-stream-one');
    expect(ids).not.toContain('s-stream-two');
  });

  it('refuses, before any line, a caller without a session or whose roles may not read the collection', async () => {
    const anonymous = await stream(server, '/api/sync/products/pull-stream');
    expect(anonymous.status).toBe(401);
    const designer = await login(server, 'projetista', 'projetista123');
    const refused = await stream(server, '/api/sync/sales/pull-stream', designer.token);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error.code).toBe('forbidden');
    const badLimit = await stream(server, '/api/sync/products/pull-stream?limit=0', designer.token);
    expect(badLimit.status).toBe(400);
  });
});
