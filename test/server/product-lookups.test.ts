import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';
import { createKey } from './support/api-keys.ts';
import type { Queryable } from '../../sync/server/db/database.ts';
import { MAX_BATCH, productLookups } from '../../sync/server/integration/product-lookups.ts';
import { documentLookups } from '../../sync/server/integration/document-lookups.ts';
import { loadDocuments } from '../../sync/server/db/documents.ts';

/**
 * Issue 12's single GETs (by sku, and GET /api/v1/:collection/:id), answered in batches
 * (sync/server/integration/batched-lookups.ts): lookups that arrive
 * together share one query; each still gets exactly its own store's product, sees every write that committed
 * before it, and a key or session revoked between two GETs is refused on the second.
 */
describe.each(DATABASE_KINDS)('GET /api/v1/products/sku/:sku in batches on %s', (kind) => {
  let server: TestServer;
  let admin1: { token: string; storeId: string };
  let admin2: { token: string; storeId: string };
  /** Ids of TWIN-0…39 in store 1 and in store 2. */
  const ids: { one: string[]; two: string[] } = { one: [], two: [] };
  beforeAll(async () => {
    server = await startTestServer(kind);
    const one = await login(server, 'admin', 'admin123', 'loja1');
    const two = await login(server, 'admin', 'admin123', 'loja2');
    admin1 = { token: one.token, storeId: one.store.id };
    admin2 = { token: two.token, storeId: two.store.id };
    // The same skus in both stores, at different prices; one sku only in store 2.
    const items = (store: string, priceCents: number, skus: string[]) => skus.map((sku, n) => ({ sku, name: `Produto ${sku}`, unit: 'UN', priceCents: priceCents + n, groupId: `${store}-grp-hidraulica`, stock: 5 }));
    const skus = Array.from({ length: 40 }, (_v, n) => `TWIN-${n}`);
    for (const [token, body] of [
      [admin1.token, { items: items('loja1', 1_000, skus) }],
      [admin2.token, { items: [...items('loja2', 2_000, skus), ...items('loja2', 9_000, ['ONLY-2'])] }],
    ] as const) {
      const answer = await call(server.url, 'POST', '/api/v1/products/batch', { token, body });
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
      expect(answer.body.summary.error).toBe(0);
      (token === admin1.token ? ids.one : ids.two).push(...answer.body.results.slice(0, 40).map((result: { id: string }) => result.id));
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  /** server.db, counting the queries sent through it. */
  function counted(): { db: Queryable; queries: () => number } {
    let queries = 0;
    const db: Queryable = {
      query: (sql, params) => {
        queries += 1;
        return server.db.query(sql, params);
      },
    };
    return { db, queries: () => queries };
  }

  it('API-04 lookups of two stores made together: one query per store, each answered with its own store\'s product or null', async () => {
    const { db, queries } = counted();
    const lookup = productLookups(db);
    const asks = [
      ...Array.from({ length: 40 }, (_v, n) => [admin1.storeId, `TWIN-${n}`] as const),
      ...Array.from({ length: 40 }, (_v, n) => [admin2.storeId, `TWIN-${n}`] as const),
      [admin1.storeId, 'ONLY-2'] as const,
      [admin2.storeId, 'ONLY-2'] as const,
      [admin1.storeId, 'TWIN-3'] as const,
      [admin1.storeId, 'NOPE'] as const,
    ];
    const answers = await Promise.all(asks.map(([store, sku]) => lookup(store, sku)));
    expect(queries()).toBe(2);
    expect(answers.slice(0, 40).map((product) => product?.priceCents)).toEqual(Array.from({ length: 40 }, (_v, n) => 1_000 + n));
    expect(answers.slice(40, 80).map((product) => product?.priceCents)).toEqual(Array.from({ length: 40 }, (_v, n) => 2_000 + n));
    expect(answers.slice(80).map((product) => product?.priceCents ?? null)).toEqual([null, 9_000, 1_003, null]);
  });

  it(`API-04 more than ${MAX_BATCH} lookups at once go in several queries, every one answered`, async () => {
    const { db, queries } = counted();
    const lookup = productLookups(db);
    const asks = Array.from({ length: MAX_BATCH + 20 }, (_v, n) => (n < 40 ? `TWIN-${n}` : `MISSING-${n}`));
    const answers = await Promise.all(asks.map((sku) => lookup(admin1.storeId, sku)));
    expect(queries()).toBe(2);
    expect(answers.filter((product) => product !== null)).toHaveLength(40);
  });

  it('API-04 GETs by sku from two stores at once, over HTTP: each sees only its own store', async () => {
    const key2 = await createKey(server, ['products:read'], { storeCode: 'loja2' });
    const gets = [
      ...Array.from({ length: 20 }, (_v, n) => ({ token: admin1.token, sku: `TWIN-${n}`, price: 1_000 + n })),
      ...Array.from({ length: 20 }, (_v, n) => ({ token: key2.secret, sku: `TWIN-${n}`, price: 2_000 + n })),
      { token: admin1.token, sku: 'ONLY-2', price: null },
      { token: key2.secret, sku: 'ONLY-2', price: 9_000 },
    ];
    const answers = await Promise.all(gets.map(({ token, sku }) => call(server.url, 'GET', `/api/v1/products/sku/${sku}`, { token })));
    expect(answers.map((answer) => (answer.status === 200 ? answer.body.priceCents : answer.status))).toEqual(gets.map(({ price }) => price ?? 404));
  });

  it('API-04 a GET by sku after a write answers the written price, also among GETs answered together', async () => {
    for (const priceCents of [4_321, 4_322]) {
      const written = await call(server.url, 'POST', '/api/v1/products/batch', { token: admin1.token, body: { items: [{ sku: 'TWIN-7', priceCents }] } });
      expect(written.body.summary.updated).toBe(1);
      const answers = await Promise.all(['TWIN-6', 'TWIN-7', 'TWIN-8'].map((sku) => call(server.url, 'GET', `/api/v1/products/sku/${sku}`, { token: admin1.token })));
      expect(answers.map((answer) => answer.body.priceCents)).toEqual([1_006, priceCents, 1_008]);
    }
  });

  it('API-08 a key revoked and a session ended between two GETs by sku are refused on the second, though their lookups are cached', async () => {
    const key = await createKey(server, ['products:read']);
    const person = (await login(server, 'admin', 'admin123', 'loja1')).token;
    for (const token of [key.secret, person]) {
      // Several GETs at once, then one more: the later ones are answered from the in-process lookup cache.
      const answers = await Promise.all(['TWIN-1', 'TWIN-2', 'TWIN-3'].map((sku) => call(server.url, 'GET', `/api/v1/products/sku/${sku}`, { token })));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect((await call(server.url, 'GET', '/api/v1/products/sku/TWIN-1', { token })).status).toBe(200);
    }
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/revoke`, { token: admin1.token, body: {} })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/auth/logout', { token: person, body: {} })).status).toBeLessThan(300);
    for (const token of [key.secret, person]) expect((await call(server.url, 'GET', '/api/v1/products/sku/TWIN-1', { token })).status).toBe(401);
    // The store's other callers go on.
    expect((await call(server.url, 'GET', '/api/v1/products/sku/TWIN-1', { token: admin1.token })).status).toBe(200);
  });

  it('API-04 GETs by id of two stores at once: one query per store, each sees only its own store\'s documents', async () => {
    const { db, queries } = counted();
    const lookup = documentLookups(db, 'products');
    const answers = await Promise.all([
      ...ids.one.map((id) => lookup(admin1.storeId, id)),
      ...ids.two.map((id) => lookup(admin2.storeId, id)),
      lookup(admin1.storeId, ids.two[0]!),
      lookup(admin2.storeId, ids.one[0]!),
    ]);
    expect(queries()).toBe(2);
    // Each answer is what a query of its own answers: store 1's documents, then store 2's, then nothing.
    const alone = async (storeId: string, id: string) => (await loadDocuments(server.db, storeId, 'products', [id])).get(id) ?? null;
    const expected = [...(await Promise.all(ids.one.map((id) => alone(admin1.storeId, id)))), ...(await Promise.all(ids.two.map((id) => alone(admin2.storeId, id))))];
    expect(answers.slice(0, 80)).toEqual(expected);
    expect(answers.slice(0, 80).map((found) => found?.data.sku)).toEqual([...ids.one.map((_id, n) => `TWIN-${n}`), ...ids.two.map((_id, n) => `TWIN-${n}`)]);
    expect(answers.slice(80)).toEqual([null, null]);

    // The same over HTTP, with ETags: every GET answers its own store's version, a foreign id 404.
    const key2 = await createKey(server, ['products:read'], { storeCode: 'loja2' });
    const gets = [...ids.one.slice(0, 10).map((id) => ({ token: admin1.token, id })), ...ids.two.slice(0, 10).map((id) => ({ token: key2.secret, id })), { token: key2.secret, id: ids.one[0]! }];
    const overHttp = await Promise.all(gets.map(({ token, id }) => call(server.url, 'GET', `/api/v1/products/${id}`, { token })));
    expect(overHttp.map((answer) => (answer.status === 200 ? answer.body.id : answer.status))).toEqual([...ids.one.slice(0, 10), ...ids.two.slice(0, 10), 404]);
    expect(overHttp.slice(0, 20).map((answer) => answer.headers.get('etag'))).toEqual(expected.filter((_v, n) => n < 10 || (n >= 40 && n < 50)).map((found) => `"${found!.seq}"`));
  });

  it('API-04 a key whose query fails, or that PostgreSQL cannot hold (NUL), answers alone: the GETs sharing its batch are answered', async () => {
    let queries = 0;
    const failing: Queryable = {
      query: (sql, params) => {
        queries += 1;
        if (JSON.stringify(params).includes('BOOM')) return Promise.reject(new Error('this query fails'));
        return server.db.query(sql, params);
      },
    };
    const lookup = productLookups(failing);
    const answers = await Promise.allSettled(['TWIN-1', 'BOOM', 'TWIN-2', 'NUL\u0000'].map((sku) => lookup(admin1.storeId, sku)));
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? (answer.value?.sku ?? null) : String(answer.reason)))).toEqual(['TWIN-1', 'Error: this query fails', 'TWIN-2', null]);
    // The batch, then each of its three keys PostgreSQL can hold alone.
    expect(queries).toBe(4);

    const gets = ['/products/sku/TWIN-1', '/products/sku/NUL%00', `/products/${ids.one[2]!}`, '/products/x%00y', '/products/sku/TWIN-3'];
    const overHttp = await Promise.all(gets.map((path) => call(server.url, 'GET', `/api/v1${path}`, { token: admin1.token })));
    // Over HTTP a NUL is refused before any lookup (400); the GETs sent with it are answered.
    expect(overHttp.map((answer) => answer.status)).toEqual([200, 400, 200, 400, 200]);
  });
});
