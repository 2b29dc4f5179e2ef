import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../sync/schema/index.ts';
import { ACCOUNT_HEADER, SIGNATURE_HEADER, signatureHeader } from '../../sync/server/design/signature.ts';
import { DEMO_DESIGN_PORTAL } from '../../sync/server/seed/design-seed.ts';
import { login, stationSession, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 14: the hostile-input test. Every route of the server's own OpenAPI document gets malformed
 * and hostile requests — wrong types, huge and special numbers, control characters and unpaired
 * surrogates in every string, deep nesting, prototype keys, huge bodies, bad content types, odd path
 * segments — without a token, with garbage, and with an admin's and a cashier's valid tokens (so they
 * reach past authentication, wherever it runs). Every answer must be a 4xx with a problem body, or a
 * success; never a 5xx or a hang. A refused request writes nothing, and /health answers afterwards.
 *
 * FUZZ_SEED and FUZZ_RUNS reproduce or extend a run: the seed is printed at the start.
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
/** Longer than any honest answer of this server takes; a request that exceeds it hangs. */
const HANG_MS = 15_000;
/** Above the server's bodyLimit (32 MB). */
const HUGE_BODY_BYTES = 33 * 1024 * 1024;

interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/v1/customers/{id}. */
  path: string;
  query: { name: string; schema: Schema }[];
  pathParams: string[];
  body: Schema | null;
}

interface Schema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

type Auth = 'admin' | 'cashier' | 'none' | 'garbage' | 'malformed';

interface Case {
  op: Operation;
  auth: Auth;
  pathValues: string[];
  query: string;
  contentType: string | null;
  body: string | null;
  idempotencyKey: string | null;
  sign: boolean;
}

// ── Hostile values ──────────────────────────────────────────────────────────────────────────────

/** JSON.stringify cannot write these numbers or texts; the marker is replaced by the raw text afterwards. */
const raw = (text: string) => `@@RAW@@${text}@@`;
const RAW_MARKER = /"@@RAW@@(.*?)@@"/gs;

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '\u0001\u0002\u001f\u007f',
  '\u0085\u2028\u2029',
  '\u202Eevil',
  '\uFEFF',
  '\uFFFE\uFFFF',
  '',
  ' ',
  '../../etc/passwd',
  '%00',
  "'; DROP TABLE documents; --",
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  '😀'.repeat(50),
  'ç'.repeat(300),
  'x'.repeat(70_000),
  '2026-11-23T13:00:00+20:00',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-14:00',
  '100000000000000000000',
  'NaN',
];

const HOSTILE_NUMBERS = [
  raw('1e400'),
  raw('-1e400'),
  raw('9007199254740993'),
  raw('100000000000000000000'),
  raw('-0'),
  raw('1e-400'),
  raw('1.0000000000000002'),
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  -1,
  0.5,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

const HOSTILE_STRUCTURES = [
  null,
  true,
  [],
  {},
  [[[[]]]],
  raw(deepArray(2_000)),
  raw(deepObject(2_000)),
  raw('{"__proto__":{"polluted":"yes"}}'),
  raw('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  raw('{"id":"a","id":"b"}'),
];

const hostileValue = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_NUMBERS), fc.constantFrom(...HOSTILE_STRUCTURES), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 30 }));

/** Raw JSON texts a body can be instead of a document. */
const RAW_BODIES = [
  '',
  '{',
  '{"a":}',
  '[1,2,',
  '{"a":1}garbage',
  "{'a':1}",
  'NaN',
  '\uFEFF{}',
  'null',
  '"text"',
  '123',
  deepArray(100_000),
  deepObject(20_000),
  '{"__proto__":{"polluted":"yes"}}',
  '[{"__proto__":{"polluted":"yes"},"newDocumentState":{}}]',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '\u0000',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/octet-stream',
  '*/*',
  'application/jsonx',
];

const ODD_SEGMENTS = ['', '%20', '%00', '..', '%2e%2e', '%2F', 'a%2Fb', '%ED%A0%80', '%FF', '%', '%zz', 'x'.repeat(5_000), '%C3%A7%C3%A3o', '__proto__', 'constructor', '%u0000', '%0A%0D', '*', 'p-00010', 'loja1-cx01', 'loja1-caixa'];

/** Ids the demo data has, so some requests find a record and go on into the write path. */
const KNOWN_IDS = ['p-00010', 'p-00011', 'loja1-cx01', 'loja1-caixa', 'loja1-admin', 'loja1-seller-v01', 'loja1-paymentType-dinheiro', 'loja1-financialReason-cancelamento', 'loja1-cli-1', 'loja1-stationGroup-centro', 'loja1'];

// ── From the OpenAPI document to requests ──────────────────────────────────────────────────────

function typeOf(schema: Schema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

const SAMPLE_BY_PATTERN: Record<string, string[]> = {
  '^([0-9]{11}|[0-9]{14})$': ['12345678909', '11222333000181', '00000000000'],
  '^https?://': ['http://127.0.0.1:9/portal'],
};

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.constantFrom(new Date().toISOString(), '2026-11-23T13:00:00.000Z', '2026-11-23T10:00:00-03:00');
  if (schema.pattern && SAMPLE_BY_PATTERN[schema.pattern]) return fc.constantFrom(...SAMPLE_BY_PATTERN[schema.pattern]!);
  const max = Math.min(schema.maxLength ?? 24, 24);
  const min = Math.min(schema.minLength ?? 0, max);
  return fc.oneof(fc.constantFrom(...KNOWN_IDS.filter((id) => id.length >= min && id.length <= (schema.maxLength ?? 64))), fc.string({ minLength: min, maxLength: max }));
}

/** Values that mostly pass the schema, so the hostile parts reach past its first checks. */
function plausible(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((branch) => plausible(branch, depth)));
  switch (typeOf(schema)) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1_000_000_000), max: Math.min(schema.maximum ?? 1000, 1_000_000_000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      // Never empty where it may hold something: an empty push is harmless, a row is where hostile values matter.
      return depth > 5 ? fc.constant([]) : fc.array(plausible(schema.items ?? {}, depth + 1), { minLength: Math.min(Math.max(schema.minItems ?? 0, 1), schema.maxItems ?? 2, 2), maxLength: Math.min(schema.maxItems ?? 2, 2) });
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (depth > 6 || properties.length === 0) return fc.constant({});
      const required = (schema.required ?? []).filter((name) => schema.properties?.[name]);
      return fc.record(Object.fromEntries(properties.map(([name, sub]) => [name, plausible(sub, depth + 1)])), { requiredKeys: required });
    }
    default:
      return fc.constant(null);
  }
}

/** Every place in a JSON value (as paths), the root included. */
function placesIn(value: unknown, at: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(at);
  if (Array.isArray(value)) value.forEach((item, index) => placesIn(item, [...at, index], into));
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) placesIn(child, [...at, key], into);
  return into;
}

function replaceAt(value: unknown, at: readonly (string | number)[], next: unknown): unknown {
  if (at.length === 0) return next;
  const [key, ...rest] = at;
  if (Array.isArray(value)) return value.map((item, index) => (index === key ? replaceAt(item, rest, next) : item));
  return { ...(value as Record<string, unknown>), [key!]: replaceAt((value as Record<string, unknown>)[key!], rest, next) };
}

/** The value with every string (and, given `numbers`, every number) replaced by hostile ones, in turn. */
function everyLeaf(value: unknown, strings: readonly unknown[], numbers: readonly unknown[] = [], counter = { n: 0 }): unknown {
  if (typeof value === 'string') return strings[counter.n++ % strings.length];
  if (typeof value === 'number' && numbers.length > 0) return numbers[counter.n++ % numbers.length];
  if (Array.isArray(value)) return value.map((item) => everyLeaf(item, strings, numbers, counter));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, everyLeaf(child, strings, numbers, counter)]));
  return value;
}

function toJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_MARKER, (_match, text: string) => text.replace(/\\(["\\])/g, '$1'));
}

/** A body: the schema's shape with hostile values in one place or in every string, or a hostile text. */
function bodyFor(op: Operation): fc.Arbitrary<string | null> {
  if (!op.body) return fc.oneof(fc.constant(null), fc.constantFrom(...RAW_BODIES.filter((text) => text.length < 1_000)));
  const shaped = plausible(op.body);
  return fc.oneof(
    { weight: 2, arbitrary: shaped.map(toJson) },
    {
      weight: 4,
      arbitrary: fc.tuple(shaped, fc.nat(), hostileValue).map(([value, where, bad]) => {
        const places = placesIn(value);
        return toJson(replaceAt(value, places[where % places.length]!, bad));
      }),
    },
    { weight: 3, arbitrary: fc.tuple(shaped, fc.array(hostileString, { minLength: 1, maxLength: 4 })).map(([value, strings]) => toJson(everyLeaf(value, strings))) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES) },
  );
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const hostileParam = fc.oneof(
    fc.constantFrom('100000000000000000000', '1e400', '-1', 'NaN', 'Infinity', '0x10', '1.5', '', '9007199254740993', '-9223372036854775809', 'true'),
    hostileString.map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
    fc.constantFrom('%00', '%ED%A0%80', '%FF', '%', '%zz', 'a%00b'),
  );
  const declared = op.query.map((param) =>
    fc.option(fc.oneof(hostileParam, plausible(param.schema).map((value) => encodeURIComponent(String(value)))), { nil: undefined }).map((value) => (value === undefined ? [] : [`${param.name}=${value}`])),
  );
  const extra = fc.constantFrom([], ['__proto__=x'], ['constructor[prototype][polluted]=yes'], ['__proto__[polluted]=yes'], ['limit=1&limit=2'], ['checkpoint=1&checkpoint=2'], ['a=' + 'b'.repeat(5_000)]);
  return fc.tuple(fc.tuple(...declared), extra).map(([parts, more]) => [...parts.flat(), ...more].join('&'));
}

function caseFor(op: Operation): fc.Arbitrary<Case> {
  return fc.record({
    op: fc.constant(op),
    auth: fc.constantFrom<Auth>('admin', 'admin', 'cashier', 'cashier', 'none', 'garbage', 'malformed'),
    pathValues: fc.tuple(...op.pathParams.map(() => fc.oneof(fc.constantFrom(...ODD_SEGMENTS), fc.constantFrom(...KNOWN_IDS)))),
    query: queryFor(op),
    contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom<string | null>(null, ...CONTENT_TYPES) }),
    body: bodyFor(op),
    idempotencyKey: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('k-1', 'x'.repeat(300), 'ç', 'a b') }),
    sign: fc.boolean(),
  });
}

// ── Sending ─────────────────────────────────────────────────────────────────────────────────────

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function send(base: URL, method: string, path: string, headers: Record<string, string>, body: string | Buffer | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Every body goes with its length (Node would send a DELETE's body unannounced, which is not HTTP).
    const sized = body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const request = http.request({ host: base.hostname, port: base.port, method, path, headers: sized, agent, timeout: HANG_MS }, (response) => {
      const contentType = String(response.headers['content-type'] ?? '');
      // The live stream answers headers and then keeps going: that is its job, not a hang.
      if (contentType.startsWith('text/event-stream')) {
        response.destroy();
        resolve({ status: response.statusCode ?? 0, contentType, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${HANG_MS} ms (a hang)`)));
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}

describe('hostile inputs on every route of the OpenAPI document (issue 14)', () => {
  let server: TestServer;
  let base: URL;
  let operations: Operation[];
  /** Answers by status, printed at the end: how many requests got past authentication and validation. */
  const statuses = new Map<number, number>();
  const tokens: Record<Auth, string | null> = { admin: null, cashier: null, none: null, garbage: 'Bearer 0000garbage', malformed: 'Basic YWRtaW46YWRtaW4xMjM=' };

  /**
   * What any write leaves behind; a refused request must leave it as it was. Business refusals keep a
   * record by design, and only that record may change: a document refused for a business reason is
   * kept in quarantine (422 quarantined); a design save refused for a locked project is answered the
   * same on redelivery and marked in the project's history (409 design_locked, design_events). A
   * refusal a route made under an Idempotency-Key is recorded on that key, to be replayed (API-05).
   */
  const fingerprint = async (): Promise<{ documents: string; quarantine: string; designEvents: string; idempotency: string; other: string }> => {
    const [row] = await server.db.query<{ documents: string; quarantine: string; designEvents: string; idempotency: string; other: string }>(
      `SELECT (SELECT string_agg(store_id || ':' || last, ',' ORDER BY store_id) FROM store_seq) AS documents,
              (SELECT count(*) || ':' || coalesce(sum(attempts), 0) || ':' || count(resolved_at) FROM quarantine) AS quarantine,
              (SELECT count(*)::text FROM design_events) AS "designEvents",
              (SELECT count(*)::text FROM idempotency_keys) AS idempotency,
              concat_ws(' | ',
                (SELECT count(*) FROM design_jobs),
                (SELECT count(*) FROM sessions),
                (SELECT md5(coalesce(string_agg(user_id || design_user_id || design_user_name || credential_version || needs_relink, ',' ORDER BY user_id), '')) FROM design_links),
                (SELECT md5(coalesce(string_agg(id || coalesce(group_id, '') || coalesce(device_key_hash, '') || pending_uploads || coalesce(app_version, '') || coalesce(last_error, ''), ',' ORDER BY id), '')) FROM stations),
                (SELECT md5(coalesce(string_agg(store_id || account_id || portal_url || signing_secret || store_tax_id, ',' ORDER BY store_id), '')) FROM design_portal_accounts),
                (SELECT md5(coalesce(string_agg(store_id || markup_bp || ':' || discount_bp, ',' ORDER BY store_id), '')) FROM design_settings)
              ) AS other`,
    );
    return row!;
  };

  /** What a refusal with this code and status may leave behind (see fingerprint). */
  const mayRecord = (code: string | undefined, status: number, path: string, keyed: boolean): (keyof Awaited<ReturnType<typeof fingerprint>>)[] => {
    const replayed = keyed ? (['idempotency'] as const) : [];
    if (code === 'quarantined') return [...replayed, 'quarantine'];
    if (code === 'design_locked') return [...replayed, 'designEvents', 'documents'];
    if (path.startsWith('/api/design/events') && status === 422) return [...replayed, 'designEvents'];
    return [...replayed];
  };

  const headersOf = (c: Pick<Case, 'auth' | 'contentType' | 'idempotencyKey' | 'sign' | 'op'>, body: string | Buffer | null): Record<string, string> => {
    const headers: Record<string, string> = {};
    const token = c.auth === 'admin' || c.auth === 'cashier' ? `Bearer ${tokens[c.auth]}` : tokens[c.auth];
    if (token) headers.authorization = token;
    if (c.contentType && body !== null) headers['content-type'] = c.contentType;
    if (c.idempotencyKey) headers['idempotency-key'] = Buffer.from(c.idempotencyKey, 'utf8').toString('latin1');
    // The design portal's events are signed instead: a valid signature lets the body reach validation.
    if (c.sign && c.op.path === '/api/design/events') {
      headers[ACCOUNT_HEADER] = DEMO_DESIGN_PORTAL.accountId;
      headers[SIGNATURE_HEADER] = signatureHeader(DEMO_DESIGN_PORTAL.signingSecret, body === null ? '' : body.toString());
    }
    return headers;
  };

  /**
   * A generated request may end the sessions the test uses (a logout, a station unpaired or re-paired):
   * after a write that was carried out, a token the server no longer accepts is replaced, so the rest
   * of the run still reaches past authentication.
   */
  const keepSessions = async (): Promise<void> => {
    const alive = async (token: string | null) => (await send(base, 'GET', '/api/auth/me', { authorization: `Bearer ${token}` }, null)).status === 200;
    if (!(await alive(tokens.admin))) tokens.admin = (await login(server, 'admin', 'admin123')).token;
    if (!(await alive(tokens.cashier))) tokens.cashier = (await stationSession(server, 'cx01')).token;
  };

  /** Sends one request and checks what the issue asks of every answer. */
  const check = async (method: string, path: string, headers: Record<string, string>, body: string | Buffer | null, what: string): Promise<Answer> => {
    const before = await fingerprint();
    const answer = await send(base, method, path, headers, body);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (process.env.FUZZ_TRACE) console.log(`${what}: ${method} ${path.slice(0, 120)} [${headers['content-type'] ?? '-'}; ${body === null ? 'no body' : `${body.length} bytes`}] → ${answer.status}`);
    const context = `${what}: ${method} ${path.slice(0, 200)} → ${answer.status} ${answer.body.slice(0, 300)}`;
    expect(answer.status, context).toBeGreaterThanOrEqual(200);
    // The one 5xx that is no failure of this server: the design portal the store registered (a fuzzed
    // admin may register any http URL) cannot be reached, and the answer says so.
    if (!(answer.status === 502 && answer.body.includes('"portal_unavailable"'))) expect(answer.status, context).toBeLessThan(500);
    if (answer.status >= 400) {
      expect(answer.contentType, context).toMatch(/^application\/(problem\+)?json/);
      const problem = JSON.parse(answer.body) as { error?: { code?: string; message?: string } };
      expect(ERROR_CODES, context).toContain(problem.error?.code);
      expect(typeof problem.error?.message, context).toBe('string');
      const after = await fingerprint();
      const recorded = mayRecord(problem.error?.code, answer.status, path, headers['idempotency-key'] !== undefined);
      for (const part of ['documents', 'quarantine', 'designEvents', 'idempotency', 'other'] as const) {
        if (!recorded.includes(part)) expect(after[part], `${context}\nA refused request changed what the server stores (${part}).`).toBe(before[part]);
      }
    } else if (method !== 'GET') {
      await keepSessions();
    }
    return answer;
  };

  const urlOf = (op: Operation, values: readonly string[], query: string): string => {
    let index = 0;
    const path = op.path.replace(/\{[^}]+\}/g, () => values[index++] ?? 'x');
    return query ? `${path}?${query}` : path;
  };

  beforeAll(async () => {
    server = await startTestServer('pglite');
    base = new URL(server.url);
    tokens.admin = (await login(server, 'admin', 'admin123')).token;
    tokens.cashier = (await stationSession(server, 'cx01')).token;
    const document = JSON.parse((await send(base, 'GET', '/docs/json', {}, null)).body) as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    };
    operations = Object.entries(document.paths)
      .filter(([path]) => !path.startsWith('/docs'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          query: (op.parameters ?? []).filter((param) => param.in === 'query').map((param) => ({ name: param.name, schema: param.schema })),
          pathParams: (op.parameters ?? []).filter((param) => param.in === 'path').map((param) => param.name),
          body: op.requestBody?.content['application/json']?.schema ?? null,
        })),
      );
    console.log(`hostile-input test: ${operations.length} operations, FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (set both to reproduce)`);
  });
  afterAll(async () => {
    const total = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    console.log(`hostile-input test: ${total} requests; answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
    agent.destroy();
    await server?.close();
  });

  it('API-01 the OpenAPI document lists every route the server has', () => {
    expect(operations.length).toBeGreaterThan(70);
    expect(operations.some((op) => op.path === '/api/sync/sales/push' && op.body)).toBe(true);
  });

  it('API-01 each route refuses the same hostile requests with a 4xx problem and writes nothing', async () => {
    const hostileBody = (op: Operation) =>
      op.body ? toJson(everyLeaf(fc.sample(plausible(op.body), { numRuns: 1, seed: SEED })[0], ['a\u0000b', '\uD800', '\u0001'], [raw('1e400'), 2 ** 31, raw('9007199254740993')])) : '{"a":"\\u0000"}';
    for (const op of operations) {
      const odd = op.pathParams.map(() => '%00');
      const numbers = op.query.map((param) => `${param.name}=${typeOf(param.schema) === 'integer' ? '100000000000000000000' : '%00'}`).join('&');
      const cases: [Auth, string, string | null, string | null, string][] = [
        ['none', urlOf(op, odd, numbers), 'application/json', hostileBody(op), 'no token'],
        ['garbage', urlOf(op, op.pathParams.map(() => 'p-00010'), ''), 'application/json', '{', 'garbage token'],
        ['admin', urlOf(op, odd, numbers), 'application/json', hostileBody(op), 'admin, NUL and huge numbers'],
        ['cashier', urlOf(op, op.pathParams.map(() => '..'), numbers), 'application/json', hostileBody(op), 'cashier, odd segments'],
        ['admin', urlOf(op, op.pathParams.map(() => 'p-00010'), ''), 'text/plain', 'not json', 'admin, wrong content type'],
      ];
      for (const [auth, path, contentType, body, what] of cases) {
        const sent = ['GET', 'DELETE'].includes(op.method) && op.body === null ? null : body;
        const answer = await check(op.method, path, headersOf({ auth, contentType, idempotencyKey: null, sign: true, op }, sent), sent, `${op.method} ${op.path} (${what})`);
        // Hostile values never pass as a success.
        if (contentType === 'application/json' && (numbers || op.pathParams.length > 0 || op.body)) expect(answer.status, `${op.method} ${op.path} (${what})`).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('API-01 generated hostile requests (fast-check) never get a 5xx or hang, and refused ones write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations).chain(caseFor), async (c) => {
        const path = urlOf(c.op, c.pathValues, c.query);
        const body = c.body !== null && !['GET', 'HEAD'].includes(c.op.method) ? c.body : null;
        await check(c.op.method, path, headersOf(c, body), body, `${c.op.method} ${c.op.path} as ${c.auth}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 120_000);

  it('API-01 a body above the size limit is refused with 413, a half-sent one does not break the server, and /health answers after', async () => {
    const huge = Buffer.alloc(HUGE_BODY_BYTES, 'a');
    for (const auth of ['none', 'cashier'] as const) {
      const answer = await check('POST', '/api/sync/customers/push', headersOf({ auth, contentType: 'application/json', idempotencyKey: null, sign: false, op: operations[0]! }, huge), huge, `huge body (${auth})`);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    // Nothing reached the prototype of every object in the server's process.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const health = await send(base, 'GET', '/health', {}, null);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
  });
});
