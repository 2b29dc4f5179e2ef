import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, demoDatabase, login, pair, pullAll, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { saleDoc } from './support/documents.ts';

describe.each(DATABASE_KINDS)('auth and scoping on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('POS-04 a station pairs once with its code and then signs in with its device key', async () => {
    const wrong = await call(server.url, 'POST', '/api/stations/pair', { body: { storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_pairing');

    const station = await pair(server, 'cx01', 'cx01-pair');
    expect(station.stationId).toBe('loja1-cx01');
    const session = await login(server, 'caixa', 'caixa123', 'loja1', station);
    expect(session.stationId).toBe('loja1-cx01');
    expect(session.user.roles).toEqual(['cashier']);

    const forged = await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: station.stationId, deviceKey: 'forged' } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('invalid_pairing');
  });

  it('refuses a wrong password with a message that says what to do', async () => {
    const answer = await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'caixa', password: 'wrong' } });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('invalid_credentials');
    expect(answer.body.error.message).toMatch(/try again/);
  });

  it('every sync and API route needs a valid token', async () => {
    for (const path of ['/api/sync/products/pull', '/api/sync/stream', '/api/v1/products', '/api/auth/me', '/api/sync/errors', '/api/stations']) {
      const anonymous = await call(server.url, 'GET', path);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.body.error.code, path).toBe('unauthorized');
      const forged = await call(server.url, 'GET', path, { token: 'not-a-token' });
      expect(forged.status, path).toBe(401);
    }
  });

  it("another store's data is never served", async () => {
    const north = await login(server, 'admin', 'admin123', 'loja2');
    const products = await pullAll(server, north.token, 'products');
    expect(products).toHaveLength(50);
    expect(products.every((product) => String(product.id).startsWith('n-'))).toBe(true);

    const centre = await login(server, 'admin', 'admin123', 'loja1');
    const viaApi = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: north.token });
    expect(viaApi.status).toBe(404);
    const own = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: centre.token });
    expect(own.status).toBe(200);
    expect(own.body.id).toBe('p-00001');
  });

  it('a device receives only the collections its roles need', async () => {
    const designer = await login(server, 'projetista', 'projetista123');
    const sales = await call(server.url, 'GET', '/api/sync/sales/pull', { token: designer.token });
    expect(sales.status).toBe(403);
    expect(sales.body.error.code).toBe('forbidden');
    const products = await call(server.url, 'GET', '/api/sync/products/pull?limit=1', { token: designer.token });
    expect(products.status).toBe(200);
  });

  it("a station sees only its own sales; the store admin sees every station's", async () => {
    const one = await stationSession(server, 'cx01');
    const two = await stationSession(server, 'cx02');
    expect((await call(server.url, 'POST', '/api/sync/sales/push', { token: one.token, body: [{ newDocumentState: saleDoc('s-one', one.station.stationId) }] })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/sync/sales/push', { token: two.token, body: [{ newDocumentState: saleDoc('s-two', two.station.stationId) }] })).status).toBe(200);

    const seenByOne = await pullAll(server, one.token, 'sales');
    expect(seenByOne.map((sale) => sale.id)).toEqual(['s-one']);
    const admin = await login(server, 'admin', 'admin123');
    const seenByAdmin = await pullAll(server, admin.token, 'sales');
    expect(seenByAdmin.map((sale) => sale.id).sort()).toEqual(['s-one', 's-two']);

    const foreign = await call(server.url, 'POST', '/api/sync/sales/push', { token: one.token, body: [{ newDocumentState: saleDoc('s-fake', two.station.stationId) }] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/own station/);
  });

  it('a device may not push into a read-only collection', async () => {
    const { token } = await stationSession(server, 'cx01');
    const product = (await call(server.url, 'GET', '/api/sync/products/pull?limit=1', { token })).body.documents[0];
    const answer = await call(server.url, 'POST', '/api/sync/products/push', { token, body: [{ newDocumentState: { ...product, priceCents: 1 } }] });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('read_only_collection');
  });

  it('passwords, pairing codes and tokens are stored hashed', async () => {
    // PGlite's data is private to the server that opened it: that kind gets a server of its own on a
    // data folder, which the test reads once the server has stopped. PostgreSQL is read while it runs.
    // (A copy of the run's demo template: the same data a seeded first start writes, without its initdb.)
    const place = kind === 'pglite' ? await demoDatabase('pglite') : null;
    const dataDir = place?.dataDir ?? null;
    const own = dataDir ? await startTestServer('pglite', { dataDir }) : server;
    try {
      const session = await login(own, 'caixa', 'caixa123');
      if (dataDir) await own.close();
      const db = await import('../../sync/server/db/database.ts');
      const handle = await db.openDatabase(dataDir ? { dataDir } : { databaseUrl: server.databaseUrl! });
      try {
        const users = await handle.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE code = 'caixa'");
        expect(users).toHaveLength(1);
        expect(users[0]!.password_hash).toMatch(/^scrypt\$/);
        expect(users[0]!.password_hash).not.toContain('caixa123');
        const sessions = await handle.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
        expect(sessions.length).toBeGreaterThan(0);
        expect(sessions.map((row) => row.token_hash)).not.toContain(session.token);
        // Pairing codes are random, single-use and short-lived: a SHA-256 of the normalised code, cleared once used.
        const stations = await handle.query<{ pairing_code_hash: string | null }>('SELECT pairing_code_hash FROM stations');
        expect(stations.some((row) => row.pairing_code_hash !== null)).toBe(true);
        expect(stations.every((row) => row.pairing_code_hash === null || /^[0-9a-f]{64}$/.test(row.pairing_code_hash))).toBe(true);
      } finally {
        await handle.close();
      }
    } finally {
      if (dataDir) {
        await own.close();
        await place?.drop();
      }
    }
  });
});
