import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../sync/schema/index.ts';
import { digest } from '../../sync/server/auth/secrets.ts';
import { purgeIdempotencyKeys } from '../../sync/server/http/idempotency.ts';
import { stableJson } from '../../sync/server/sync/stable-json.ts';
import { adminToken, call, DATABASE_KINDS, startTestServer, type Call, type TestServer } from './support/servers.ts';
import { createKey } from './support/api-keys.ts';
import { cpf } from './support/documents.ts';
import { openApiChecker, type ResponseChecker } from './support/openapi-responses.ts';

const CUSTOMERS = '/api/v1/billing/customers';

describe.each(DATABASE_KINDS)('integration API conventions on %s', (kind) => {
  let server: TestServer;
  let erp: { id: string; secret: string };
  let checkResponse: ResponseChecker;
  beforeAll(async () => {
    server = await startTestServer(kind);
    erp = await createKey(server, ['billing:read', 'billing:write', 'masterdata:read', 'masterdata:write', 'products:read']);
    checkResponse = await openApiChecker(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A call whose answer must match the OpenAPI document (issue 12: every response the tests see). */
  const send = async (method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Call> => {
    const answer = await call(server.url, method, path, options);
    expect(checkResponse(method, path, answer), `${method} ${path} → ${answer.status} matches the OpenAPI document`).toEqual([]);
    return answer;
  };
  const newCustomer = (name: string, n: number) => ({ name, taxId: cpf(n) });

  it('API-05 the same Idempotency-Key and body replays the first answer, marked Idempotent-Replayed, and writes once', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const first = await send('POST', CUSTOMERS, { token: erp.secret, body: newCustomer('Cliente Idempotente', 501), headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send('POST', CUSTOMERS, { token: erp.secret, body: newCustomer('Cliente Idempotente', 501), headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const found = await send('GET', `${CUSTOMERS}?q=Cliente%20Idempotente`, { token: erp.secret });
    expect(found.body.customers).toHaveLength(1);
  });

  it('API-05 the same Idempotency-Key with another body answers 422; after an invalid request (400) the key may be sent again', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    expect((await send('POST', CUSTOMERS, { token: erp.secret, body: newCustomer('Cliente A', 502), headers })).status).toBe(201);
    const other = await send('POST', CUSTOMERS, { token: erp.secret, body: newCustomer('Cliente B', 503), headers });
    expect(other).toMatchObject({ status: 422, body: { status: 422, error: { code: 'idempotency_conflict' } } });

    // A request refused as invalid (400: nothing was carried out) is not remembered: the fixed request goes through under the same key.
    const retry = { 'idempotency-key': randomUUID() };
    const refused = await send('POST', CUSTOMERS, { token: erp.secret, body: { name: 'Cliente C', taxId: '11111111111' }, headers: retry });
    expect(refused.status).toBe(400);
    expect((await send('POST', CUSTOMERS, { token: erp.secret, body: newCustomer('Cliente C', 504), headers: retry })).status).toBe(201);
  });

  it('API-05 the same Idempotency-Key while the first request still runs answers 409 with Retry-After', async () => {
    const key = randomUUID();
    const body = newCustomer('Cliente Em Andamento', 505);
    // The first request, still running: its reservation, exactly as withIdempotency makes it.
    const [store] = await server.db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
    await server.db.query("INSERT INTO idempotency_keys (store_id, caller, key, request_hash, state) VALUES ($1, $2, $3, $4, 'running')", [
      store!.id,
      `key:${erp.id}`,
      key,
      digest(`POST ${CUSTOMERS}\n${stableJson(body)}`),
    ]);
    const busy = await send('POST', CUSTOMERS, { token: erp.secret, body, headers: { 'idempotency-key': key } });
    expect(busy).toMatchObject({ status: 409, body: { error: { code: 'idempotency_in_progress' } } });
    expect(busy.headers.get('retry-after')).toBe('1');
    expect((await send('GET', `${CUSTOMERS}?q=Em%20Andamento`, { token: erp.secret })).body.customers).toHaveLength(0);

    // A reservation whose server died mid-request is taken over once it is old enough.
    await server.db.query("UPDATE idempotency_keys SET created_at = now() - interval '10 minutes' WHERE key = $1", [key]);
    expect((await send('POST', CUSTOMERS, { token: erp.secret, body, headers: { 'idempotency-key': key } })).status).toBe(201);
  });

  it('API-05 parallel requests with one Idempotency-Key carry out the write once', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = newCustomer('Cliente Concorrente', 506);
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(server.url, 'POST', CUSTOMERS, { token: erp.secret, body, headers })));
    const carriedOut = answers.filter((answer) => answer.status === 201 && answer.headers.get('idempotent-replayed') === null);
    expect(carriedOut).toHaveLength(1);
    for (const answer of answers) {
      expect([201, 409]).toContain(answer.status);
      if (answer.status === 201) expect(answer.body.id).toBe(carriedOut[0]!.body.id);
      else expect(answer.body.error.code).toBe('idempotency_in_progress');
    }
    expect((await send('GET', `${CUSTOMERS}?q=Cliente%20Concorrente`, { token: erp.secret })).body.customers).toHaveLength(1);
  });

  it('API-05 Idempotency-Keys are kept 7 days, then purged', async () => {
    const [store] = await server.db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
    for (const [key, age] of [['six-days-old', '6 days'], ['eight-days-old', '8 days']] as const) {
      await server.db.query(`INSERT INTO idempotency_keys (store_id, caller, key, request_hash, state, status, body, created_at) VALUES ($1, 'user:x', $2, 'h', 'done', 200, '{}', now() - interval '${age}')`, [store!.id, key]);
    }
    expect(await purgeIdempotencyKeys(server.db)).toBeGreaterThanOrEqual(1);
    const left = (await server.db.query<{ key: string }>("SELECT key FROM idempotency_keys WHERE caller = 'user:x'")).map((row) => row.key);
    expect(left).toEqual(['six-days-old']);
  });

  it('API-05 a single resource answers an ETag; If-Match with a stale tag answers 412 and the other writer\'s change is kept', async () => {
    const admin = await adminToken(server);
    const seller = { id: 'etag-seller', kind: 'seller', code: 'ET1', name: 'Vendedor', active: true };
    expect((await send('PUT', '/api/v1/masterdata/etag-seller', { token: admin, body: seller })).status).toBe(200);
    const read = await send('GET', '/api/v1/masterdata/etag-seller', { token: erp.secret });
    const tag = read.headers.get('etag');
    expect(tag).toMatch(/^"\d+"$/);

    // The back-office user changes it first, with the tag both read.
    const byUser = await send('PUT', '/api/v1/masterdata/etag-seller', { token: admin, body: { ...seller, name: 'Mudado na retaguarda' }, headers: { 'if-match': tag! } });
    expect(byUser.status).toBe(200);
    const newTag = byUser.headers.get('etag');
    expect(newTag).not.toBe(tag);
    // The ERP's write on its stale read is refused, and loses nothing.
    const byErp = await send('PUT', '/api/v1/masterdata/etag-seller', { token: erp.secret, body: { ...seller, name: 'Mudado pelo ERP' }, headers: { 'if-match': tag! } });
    expect(byErp).toMatchObject({ status: 412, body: { error: { code: 'precondition_failed' } } });
    expect((await send('DELETE', '/api/v1/masterdata/etag-seller', { token: erp.secret, headers: { 'if-match': tag! } })).status).toBe(412);
    const now = await send('GET', '/api/v1/masterdata/etag-seller', { token: erp.secret });
    expect(now.body).toMatchObject({ name: 'Mudado na retaguarda', _deleted: false });
    expect(now.headers.get('etag')).toBe(newTag);
    expect((await send('PUT', '/api/v1/masterdata/etag-seller', { token: erp.secret, body: { ...seller, name: 'Mudado pelo ERP' }, headers: { 'if-match': newTag! } })).status).toBe(200);
  });

  it('API-05 billing resources answer an ETag and refuse a stale If-Match with 412', async () => {
    const created = await send('POST', CUSTOMERS, { token: erp.secret, body: newCustomer('Cliente ETag', 507) });
    const id = created.body.id as string;
    const read = await send('GET', `${CUSTOMERS}/${id}`, { token: erp.secret });
    const tag = read.headers.get('etag')!;
    expect(tag).toMatch(/^"\d+"$/);
    const changed = await send('POST', `${CUSTOMERS}/${id}`, { token: await adminToken(server), body: { city: 'Campinas' }, headers: { 'if-match': tag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
    const stale = await send('POST', `${CUSTOMERS}/${id}`, { token: erp.secret, body: { city: 'Santos' }, headers: { 'if-match': tag } });
    expect(stale).toMatchObject({ status: 412, body: { error: { code: 'precondition_failed' } } });
    expect((await send('DELETE', `${CUSTOMERS}/${id}`, { token: erp.secret, body: { reason: 'teste' }, headers: { 'if-match': tag } })).status).toBe(412);
    expect((await send('GET', `${CUSTOMERS}/${id}`, { token: erp.secret })).body).toMatchObject({ city: 'Campinas', active: true });
  });

  it('API-01 errors are RFC 9457 problem details: stable type, pt-BR or English by Accept-Language, a pointer per field', async () => {
    const pt = await send('GET', '/api/v1/masterdata/nao-existe', { token: erp.secret, headers: { 'accept-language': 'pt-BR,pt;q=0.9,en;q=0.5' } });
    expect(pt.status).toBe(404);
    expect(pt.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(pt.body).toMatchObject({ type: '/docs/conventions#problem-not_found', title: 'Não encontrado', status: 404, detail: expect.stringMatching(/não foi encontrado/), error: { code: 'not_found' } });
    const en = await send('GET', '/api/v1/masterdata/nao-existe', { token: erp.secret, headers: { 'accept-language': 'en-US' } });
    expect(en.body).toMatchObject({ type: pt.body.type, title: 'Not found', detail: expect.stringMatching(/was not found/) });

    const invalid = await send('PUT', '/api/v1/masterdata/bad', { token: erp.secret, body: { id: 'bad', kind: 'seller' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.type).toBe('/docs/conventions#problem-validation_failed');
    expect(invalid.body.errors[0]).toMatchObject({ pointer: expect.stringMatching(/^\//) });
    expect(invalid.body.errors[0].pointer).toBe(invalid.body.error.field);

    const anonymous = await send('GET', '/api/v1/masterdata/x', { headers: { 'accept-language': 'pt' } });
    expect(anonymous).toMatchObject({ status: 401, body: { title: 'Sem autenticação', detail: expect.stringMatching(/^Autentique-se/) } });
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('API-01 the conventions are documented once, at /docs/conventions, with a section for every problem type', async () => {
    const page = await call(server.url, 'GET', '/docs/conventions');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/markdown/);
    for (const code of ERROR_CODES) expect(page.body).toContain(`id="problem-${code}"`);
    for (const topic of ['Idempotency-Key', 'If-Match', 'RateLimit-Limit', 'Retry-After', 'application/problem+json', 'products:read']) expect(page.body).toContain(topic);
  });
});

describe('integration API rate limits per key', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { rateLimit: {} });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-08 each key has its own budget with RateLimit-* headers, and a 429 problem with Retry-After', async () => {
    const small = await createKey(server, ['products:read'], { rateLimitPerMinute: 3 });
    const other = await createKey(server, ['products:read'], { rateLimitPerMinute: 3 });
    const remaining: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const answer = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: small.secret });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit-limit')).toBe('3');
      expect(Number(answer.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      remaining.push(answer.headers.get('ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: small.secret, headers: { 'accept-language': 'pt-BR' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, title: 'Requisições demais', error: { code: 'rate_limited' } });
    // Another key (another integrator) is not affected.
    const fine = await call(server.url, 'GET', '/api/v1/products/p-00001', { token: other.secret });
    expect(fine.status).toBe(200);
    expect(fine.headers.get('ratelimit-remaining')).toBe('2');
  });
});
