import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { openStream } from './support/stream.ts';

describe.each(DATABASE_KINDS)('operations on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { rateLimit: { credentialsPerMinute: 3 }, corsOrigins: ['http://localhost:4011'] });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('GET /health answers with the version and the database kind', async () => {
    const health = await call(server.url, 'GET', '/health');
    expect(health.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: kind });
  });

  it('GET /metrics speaks Prometheus and counts replication work (read by an administrator)', async () => {
    const { token } = await stationSession(server);
    await call(server.url, 'GET', '/api/sync/products/pull?limit=10', { token });
    const metrics = await call(server.url, 'GET', '/metrics', { token: await adminToken(server) });
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(/balcao_documents_pulled_total\{collection="products"\} 10/);
    expect(metrics.body).toMatch(/balcao_http_request_duration_seconds_count\{method="GET",route="\/api\/sync\/products\/pull",status="200"\} 1/);
  });

  it('limits login attempts per account and answers rate_limited', async () => {
    const attempt = () => call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'retaguarda', password: 'wrong' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt();
    expect(limited.body.error.code).toBe('rate_limited');
    // Another account from the same address is not locked out by it.
    expect((await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'revisor', password: 'revisor123' } })).status).toBe(200);
  });

  it("answers CORS preflights so the browser host (an origin the server was given) can call it", async () => {
    const preflight = await fetch(`${server.url}/api/sync/products/pull`, { method: 'OPTIONS', headers: { origin: 'http://localhost:4011', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:4011');
  });

  it('POS-13 a heartbeat feeds the station monitor, and an open stream counts as online', async () => {
    const { token, station } = await stationSession(server, 'cx02');
    const beat = await call(server.url, 'POST', '/api/stations/heartbeat', { token, body: { pendingUploads: 7, appVersion: '0.1.0', lastError: null } });
    expect(beat.status).toBe(204);
    const admin = (await login(server, 'admin', 'admin123')).token;
    const stations = (await call(server.url, 'GET', '/api/stations', { token: admin })).body;
    expect(stations.find((row: { id: string }) => row.id === station.stationId)).toMatchObject({ online: true, pendingUploads: 7, appVersion: '0.1.0', paired: true });
    expect(stations.find((row: { code: string }) => row.code === 'cx01')).toMatchObject({ online: false });

    const cx01 = await stationSession(server, 'cx01');
    const stream = await openStream(server.url, cx01.token);
    try {
      await stream.waitFor((event) => event.event === 'resync', 'resync');
      const now = (await call(server.url, 'GET', '/api/stations', { token: admin })).body;
      expect(now.find((row: { code: string }) => row.code === 'cx01').online).toBe(true);
    } finally {
      await stream.close();
    }
    expect((await call(server.url, 'GET', '/api/stations', { token })).status).toBe(403);
  });

  it('unknown routes and collections answer with what to do', async () => {
    const { token } = await login(server, 'projetista', 'projetista123');
    const unknown = await call(server.url, 'GET', '/api/sync/nope/pull', { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_collection');
    const badQuery = await call(server.url, 'GET', '/api/sync/products/pull?limit=0', { token });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.field).toBe('/limit');
  });
});
