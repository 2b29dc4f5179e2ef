import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRYPT_PARAMS } from '../../sync/server/auth/secrets.ts';
import { startServer } from '../../sync/server/node/start.ts';
import { TEST_PASSWORD_HASHING } from './support/password-hashing.ts';
import { adminToken, call, DATABASE_KINDS, login, startTestServer, stationSession, type TestServer } from './support/servers.ts';
import { customerDoc } from './support/documents.ts';
import { changeOf, openStream } from './support/stream.ts';

/** A POST from a chosen loopback address (Linux routes all of 127.0.0.0/8 to this machine). */
function postFrom(localAddress: string, url: string, path: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON
  const target = new URL(path, url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Opens a raw connection, writes `text`, then stays silent; resolves with what the server sent once it closed the socket. */
function silentClient(port: number, text: string): Promise<{ received: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    // We never end or destroy the socket ourselves: a close can only come from the server.
    socket.on('close', () => resolve({ received, closedByServer: true }));
    socket.on('connect', () => socket.write(text));
  });
}

describe('authentication runs before the body is read or validated', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an anonymous or forged caller gets 401, never a schema error, on every kind of protected route', async () => {
    const attempts: [string, string, { body?: unknown; raw?: string }][] = [
      ['PUT', '/api/v1/customers/x', { body: { id: 'x', name: 7 } }],
      ['DELETE', '/api/v1/customers/x', {}],
      ['POST', '/api/sync/sales/push', { body: [{ nonsense: true }] }],
      ['POST', '/api/sync/sales/push', { raw: '{not json' }],
      ['GET', '/api/sync/products/pull?limit=0&checkpoint=-1', {}],
      ['POST', '/api/stations/heartbeat', { body: { pendingUploads: -1 } }],
      ['PUT', '/api/stations/loja1-cx01/group', { body: {} }],
      ['POST', '/api/stations', { body: { code: 'NOT VALID' } }],
      ['POST', '/api/stations/loja1-cx01/pairing-code', { body: { expiresInMinutes: 'soon' } }],
      ['PUT', '/api/design/settings', { body: { markupBp: 'x' } }],
      ['GET', '/api/pos/sales?from=yesterday', {}],
      ['POST', '/api/auth/logout', { body: { what: 1 } }],
      ['GET', '/api/admin/events?limit=0', {}],
    ];
    for (const token of [undefined, 'forged-token']) {
      for (const [method, path, options] of attempts) {
        const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.raw || options.body !== undefined ? { 'content-type': 'application/json' } : {}) };
        const response = await fetch(server.url + path, { method, headers, body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined) });
        const body = (await response.json()) as { error: { code: string; field?: string } };
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(body.error.code, `${method} ${path}`).toBe('unauthorized');
        expect(body.error.field, `${method} ${path}`).toBeUndefined();
      }
    }
    // Public routes still validate (there is nothing to hide in their schema).
    const login = await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1' } });
    expect(login.status).toBe(400);
  });

  it('API-01 the auth and administration routes are in the OpenAPI document, the public ones without the bearer requirement', async () => {
    const doc = (await call(server.url, 'GET', '/docs/json')).body;
    const operations: [string, string, boolean][] = [
      ['/api/stations/pair', 'post', true],
      ['/api/auth/login', 'post', true],
      ['/api/setup', 'get', true],
      ['/api/setup', 'post', true],
      ['/api/auth/logout', 'post', false],
      ['/api/auth/me', 'get', false],
      ['/api/stations', 'post', false],
      ['/api/stations/{id}/pairing-code', 'post', false],
      ['/api/stations/{id}/pairing-code', 'delete', false],
      ['/api/stations/{id}/pairing', 'delete', false],
      ['/api/admin/events', 'get', false],
      ['/metrics', 'get', false],
    ];
    for (const [path, method, isPublic] of operations) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation.summary, `${method} ${path}`).toMatch(/\w/);
      expect(operation.security, `${method} ${path}`).toEqual(isPublic ? [] : undefined);
      const refusal = operation.responses['4XX'] ?? operation.responses['4xx'];
      expect(refusal, `${method} ${path}: problem body documented`).toBeDefined();
    }
  });

  it('/metrics answers only the metrics token or an administrator', async () => {
    const withToken = await startTestServer('pglite', { metricsToken: 'scrape-secret-1234' });
    try {
      const cashier = (await stationSession(withToken)).token;
      const admin = await adminToken(withToken);
      expect((await call(withToken.url, 'GET', '/metrics')).status).toBe(401);
      expect((await call(withToken.url, 'GET', '/metrics', { token: 'wrong' })).status).toBe(401);
      const refused = await call(withToken.url, 'GET', '/metrics', { token: cashier });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      for (const token of [admin, 'scrape-secret-1234']) {
        const metrics = await call(withToken.url, 'GET', '/metrics', { token });
        expect(metrics.status).toBe(200);
        expect(metrics.body).toMatch(/balcao_http_request_duration_seconds/);
      }
    } finally {
      await withToken.close();
    }
  });
});

describe('CORS: only the app itself may call from a browser', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { corsOrigins: ['http://127.0.0.1:4011'] });
  });
  afterAll(async () => {
    await server?.close();
  });

  const preflight = (origin: string) =>
    fetch(`${server.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it("grants the web host's origin and app://balcao, and nothing else", async () => {
    for (const origin of ['http://127.0.0.1:4011', 'app://balcao']) {
      const answer = await preflight(origin);
      expect(answer.status, origin).toBe(204);
      expect(answer.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
    for (const origin of ['http://evil.example', 'http://127.0.0.1:4012', 'app://balcao.evil', 'null']) {
      const answer = await preflight(origin);
      expect(answer.headers.get('access-control-allow-origin'), origin).toBeNull();
      // A request sent anyway (a simple request needs no preflight) is refused and granted nothing.
      const sent = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'admin', password: 'admin123' }) });
      expect(sent.status, origin).toBe(403);
      expect(sent.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(((await sent.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    // Callers without an Origin (integrations, devices' Node code) are not browsers: no change for them.
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
  });

  it('an origin added at run time (a web host started after the server) is granted from then on', async () => {
    expect((await preflight('http://localhost:4999')).headers.get('access-control-allow-origin')).toBeNull();
    server.allowOrigin('http://localhost:4999');
    expect((await preflight('http://localhost:4999')).headers.get('access-control-allow-origin')).toBe('http://localhost:4999');
  });
});

describe('credential guessing is slowed down whatever the address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { rateLimit: { credentialsPerMinute: 3, accountsPerPasswordPerMinute: 3, credentialsPerAddressPerMinute: 1000 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  const loginFrom = (address: string, userCode: string, password: string, extra: Record<string, unknown> = {}) =>
    postFrom(address, server.url, '/api/auth/login', { storeCode: 'loja1', userCode, password, ...extra });

  it('failures on one account from many addresses lock that account, not others', async () => {
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) expect((await loginFrom(address, 'retaguarda', 'wrong-1')).status).toBe(401);
    const locked = await loginFrom('127.0.0.5', 'retaguarda', 'retaguarda123');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await loginFrom('127.0.0.5', 'revisor', 'revisor123')).status).toBe(200);
  });

  it('one password tried across many user names is refused on every account for a while', async () => {
    const sprayed = 'Verao2026!';
    expect((await loginFrom('127.0.0.6', 'caixa', sprayed)).status).toBe(401);
    expect((await loginFrom('127.0.0.7', 'projetista', sprayed)).status).toBe(401);
    expect((await loginFrom('127.0.0.8', 'ghost-user', sprayed)).status).toBe(401);
    const next = await loginFrom('127.0.0.9', 'admin', sprayed);
    expect(next.status).toBe(429);
    // The account itself is not locked: its own password still works.
    expect((await loginFrom('127.0.0.9', 'admin', 'admin123')).status).toBe(200);
  });

  it('failed pairings and device keys are limited per station', async () => {
    for (const address of ['127.0.0.10', '127.0.0.11', '127.0.0.12']) {
      expect((await postFrom(address, server.url, '/api/stations/pair', { storeCode: 'loja1', stationCode: 'cx02', pairingCode: 'AAAA-BBBB-CCCC' })).status).toBe(401);
    }
    expect((await postFrom('127.0.0.13', server.url, '/api/stations/pair', { storeCode: 'loja1', stationCode: 'cx02', pairingCode: 'cx02-pair' })).status).toBe(429);
    expect((await postFrom('127.0.0.13', server.url, '/api/stations/pair', { storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' })).status).toBe(200);

    for (const address of ['127.0.0.14', '127.0.0.15', '127.0.0.16']) {
      expect((await loginFrom(address, 'caixa', 'caixa123', { stationId: 'loja1-cx01', deviceKey: 'stolen-guess' })).status).toBe(401);
    }
    expect((await loginFrom('127.0.0.17', 'caixa', 'caixa123', { stationId: 'loja1-cx01', deviceKey: 'another-guess' })).status).toBe(429);
  });
});

describe('slow and silent clients are cut off; the event stream is not', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Short head and request deadlines; the idle timeout stays long, since a login (scrypt) keeps the
    // socket silent while the server works, and the deadlines alone must cut the slow clients off.
    server = await startTestServer('pglite', { timeouts: { headersMs: 300, requestMs: 600, idleMs: 60_000, keepAliveMs: 300 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a request that announces 100 bytes, sends one and goes silent is closed by the server, as is an unfinished head', async () => {
    const { token } = await stationSession(server, 'cx01');
    const stream = await openStream(server.url, token);
    try {
      await stream.waitFor((event) => event.event === 'resync', 'resync');
      const slowBody = await silentClient(
        server.port,
        `POST /api/sync/customers/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[`,
      );
      expect(slowBody.closedByServer).toBe(true);
      const slowHead = await silentClient(server.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      expect(slowHead.closedByServer).toBe(true);
      expect(slowHead.received).not.toMatch(/"status":"ok"/);

      // Both deadlines have passed, yet the long-lived stream still carries changes.
      const pushed = await call(server.url, 'POST', '/api/sync/customers/push', { token, body: [{ newDocumentState: customerDoc(901) }] });
      expect(pushed.status).toBe(200);
      await stream.waitFor((event) => changeOf(event)?.documents.some((doc) => doc.id === 'cust-901') ?? false, 'the change after the timeouts');
    } finally {
      await stream.close();
    }
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
  });
});

/** A stored hash at other parameters, as an older server (or a tampered row) left it. */
function scryptHash(password: string, N: number, r = 8, p = 1): string {
  const salt = Buffer.from('0123456789abcdef');
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

describe.each(DATABASE_KINDS)('password hashes on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // The production cost (the other suites' servers hash at TEST_PASSWORD_HASHING, and so do the templates' demo users).
    server = await startTestServer(kind, { passwordHashing: SCRYPT_PARAMS });
  });
  afterAll(async () => {
    await server?.close();
  });

  const hashOf = async (code: string) => (await server.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [`loja1-${code}`]))[0]!.password_hash;

  it('passwords are hashed with scrypt N=2^17, r=8, p=1; a weaker stored hash is replaced at the next successful login', async () => {
    // The template stores the demo admin at the tests' cost: its first sign-in here replaces it.
    expect(await hashOf('admin')).toMatch(new RegExp(`^scrypt\\$${TEST_PASSWORD_HASHING.N}\\$`));
    const admin = await login(server, 'admin', 'admin123');
    expect(await hashOf('admin')).toMatch(/^scrypt\$131072\$8\$1\$/);
    const added = await call(server.url, 'POST', '/api/users', { token: admin.token, body: { code: 'nova', name: 'Nova', password: 'uma senha longa 42', roles: ['cashier'] } });
    expect(added.status).toBe(201);
    expect(await hashOf('nova')).toMatch(/^scrypt\$131072\$8\$1\$/);
    await server.query('UPDATE users SET password_hash = $2 WHERE id = $1', ['loja1-caixa', scryptHash('caixa123', 2 ** 14)]);
    const wrong = await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'caixa', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(await hashOf('caixa')).toMatch(/^scrypt\$16384\$/);
    await login(server, 'caixa', 'caixa123');
    const upgraded = await hashOf('caixa');
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    await login(server, 'caixa', 'caixa123');
    expect(await hashOf('caixa')).toBe(upgraded);
  });

  it('absurd or malformed stored parameters are refused without deriving anything', async () => {
    const hostile = [
      'scrypt$1073741824$8$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$131072$1000$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$131072$8$64$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$100000$8$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `scrypt$131072$8$1$MDEyMzQ1Njc4OWFiY2RlZg$${'A'.repeat(10_000)}`,
      'scrypt$131072$8$1$$',
      'plain:revisor123',
    ];
    for (const stored of hostile) {
      await server.query('UPDATE users SET password_hash = $2 WHERE id = $1', ['loja1-revisor', stored]);
      const answer = await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'revisor', password: 'revisor123' } });
      expect(answer.status, stored.slice(0, 40)).toBe(401);
      expect(await hashOf('revisor')).toBe(stored);
    }
  });
});

describe.each(DATABASE_KINDS)('a real first start on %s', (kind) => {
  let server: TestServer;
  const announced: string[] = [];
  beforeAll(async () => {
    server = await startTestServer(kind, { seedDemo: false, announce: (line) => announced.push(line) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('seeds no demo data: no demo accounts, no demo pairing codes', async () => {
    expect(server.seeded).toBe(false);
    expect(await server.query('SELECT id FROM stores')).toEqual([]);
    expect((await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'admin', password: 'admin123' } })).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/stations/pair', { body: { storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' } })).status).toBe(401);
  });

  it('prints a one-time setup code; POST /api/setup with it makes the first administrator choose a password, once', async () => {
    const code = server.setupCode!;
    expect(code).toMatch(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
    expect(announced.join('\n')).toContain(code);
    expect((await call(server.url, 'GET', '/api/setup')).body).toEqual({ needed: true });
    const request = { setupCode: code, storeCode: 'matriz', storeName: 'Loja Matriz', adminCode: 'gerente', adminName: 'Gabriela Gerente', password: 'uma senha longa 42' };

    const wrongCode = await call(server.url, 'POST', '/api/setup', { body: { ...request, setupCode: 'AAAA-BBBB-CCCC-DDDD' } });
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.body.error.code).toBe('invalid_credentials');
    const short = await call(server.url, 'POST', '/api/setup', { body: { ...request, password: 'admin123' } });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('/password');
    const withCode = await call(server.url, 'POST', '/api/setup', { body: { ...request, password: 'gerente-2026-x' } });
    expect(withCode.status).toBe(400);

    const done = await call(server.url, 'POST', '/api/setup', { body: { ...request, setupCode: code.toLowerCase() } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ user: { id: 'matriz-gerente', roles: ['admin'] }, store: { code: 'matriz', name: 'Loja Matriz' }, stationId: null });
    expect((await call(server.url, 'GET', '/api/auth/me', { token: done.body.token })).status).toBe(200);
    expect((await login(server, 'gerente', request.password, 'matriz')).user.roles).toEqual(['admin']);
    const trail = await call(server.url, 'GET', '/api/admin/events', { token: done.body.token });
    expect(trail.body.map((event: { action: string }) => event.action)).toEqual(['setup_completed']);

    // Usable only while no administrator exists.
    const again = await call(server.url, 'POST', '/api/setup', { body: { ...request, storeCode: 'outra' } });
    expect(again.status).toBe(409);
    expect((await call(server.url, 'GET', '/api/setup')).body).toEqual({ needed: false });
    expect(server.setupCode).toBeNull();
  });

  it.skipIf(kind === 'pglite')('a restart of a set-up server prints no setup code (PostgreSQL: a second process on the same database)', async () => {
    const lines: string[] = [];
    const second = await startServer({ port: 0, databaseUrl: server.databaseUrl!, logLevel: 'error', rateLimit: false, announce: (line) => lines.push(line) });
    try {
      expect(second.setupCode).toBeNull();
      expect(lines).toEqual([]);
      expect((await call(second.url, 'POST', '/api/setup', { body: { setupCode: 'AAAA-BBBB-CCCC-DDDD', storeCode: 'x', storeName: 'x', adminCode: 'y', adminName: 'y', password: 'uma senha longa 42' } })).status).toBe(409);
    } finally {
      await second.close();
    }
  });
});
