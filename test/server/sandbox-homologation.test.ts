import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES, type CreatedApiKey, type HomologationRun } from '../../sync/schema/index.ts';
import { CONFORMING } from '../homologate/http.ts';
import { runHomologation, STEPS, type RunOptions } from '../homologate/runner.ts';
import { textReport } from '../homologate/report.ts';
import { testClock } from './support/test-clock.ts';
import { adminToken, call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 13, API-06 and API-07 on the server: the admin makes the sandbox and sandbox keys (never a
 * production key directly), the conformance script posts its report, the server corroborates it from
 * what the key did, and only a passing run lets the admin promote the key to production.
 * Rate-limit window 10 s on the test's clock and a key budget of 100, as in homologate.test.ts (the
 * walk's 429 step waits out Retry-After by moving that clock, not in real time).
 */
const WINDOW_SECONDS = 10;
const KEY_LIMIT = 100;

describe.each(DATABASE_KINDS)('sandbox and homologation on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  const clock = testClock();
  const walk = (options: Omit<RunOptions, 'base' | 'wait'>) => runHomologation({ base: server.url, wait: clock.wait, ...options });
  beforeAll(async () => {
    server = await startTestServer(kind, { rateLimit: { windowSeconds: WINDOW_SECONDS, clock: clock.now } });
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });
  const sandboxKey = async (name = 'Integrador em homologação'): Promise<CreatedApiKey> => {
    const answer = await call(server.url, 'POST', '/api/api-keys', { token: admin, body: { name, scopes: [...API_SCOPES], rateLimitPerMinute: KEY_LIMIT } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as CreatedApiKey;
  };
  const runs = async (keyId: string) => (await call(server.url, 'GET', `/api/api-keys/${keyId}/homologation-runs`, { token: admin })).body.data as HomologationRun[];

  it('API-06 the admin creates the sandbox once, seeded with fixtures; the admin route makes sandbox keys (bk_test.) only', async () => {
    expect((await call(server.url, 'GET', '/api/sandbox', { token: admin })).status).toBe(404);
    const created = await call(server.url, 'POST', '/api/sandbox', { token: admin, body: {} });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ storeId: 'loja1.sandbox', resetAt: null, clock: { offsetSeconds: 0 }, fixtures: { products: 200, customers: 5, stations: 2, contracts: 3 } });
    expect((await call(server.url, 'POST', '/api/sandbox', { token: admin, body: {} })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/sandbox', { token: admin })).body.storeId).toBe('loja1.sandbox');

    const key = await sandboxKey();
    expect(key.secret).toMatch(/^bk_test\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(key.environment).toBe('sandbox');
    const production = await call(server.url, 'POST', '/api/api-keys', { token: admin, body: { name: 'direto', scopes: ['products:read'], environment: 'production' } });
    expect(production.status).toBe(409);
    expect(production.body.error.code).toBe('homologation_required');
    const listed = (await call(server.url, 'GET', '/api/api-keys', { token: admin })).body as { id: string; environment: string; lastHomologation: unknown }[];
    expect(listed.find((entry) => entry.id === key.id)).toMatchObject({ environment: 'sandbox', lastHomologation: null });
    // Only the admin: a cashier neither sees nor makes the sandbox; a key cannot manage it.
    const cashier = (await login(server, 'caixa', 'caixa123')).token;
    expect((await call(server.url, 'POST', '/api/sandbox', { token: cashier, body: {} })).status).toBe(403);
    expect((await call(server.url, 'POST', '/api/sandbox/reset', { token: key.secret, body: {} })).status).toBe(403);
  });

  it('API-07 a passing walk with a sandbox key is recorded and corroborated; only then is the key promoted to a production key', { timeout: 180_000 }, async () => {
    const key = await sandboxKey();
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: admin, body: {} })).body.error.code).toBe('homologation_required');
    const result = await walk({ key: key.secret });
    expect(result.steps.find((step) => !step.passed), textReport(result)).toBeUndefined();
    expect(result.recorded?.status, textReport(result)).toBe(201);
    expect(result.recorded!.run).toMatchObject({ keyId: key.id, passed: true, uncorroborated: [] });
    expect(result.recorded!.run!.steps.map((step) => step.step)).toEqual(STEPS.map((step) => step.id));
    expect(textReport(result)).toMatch(/Recorded by the server as run \w+: PASSED/);
    const [last] = await runs(key.id);
    expect(last).toEqual(result.recorded!.run);
    const listed = (await call(server.url, 'GET', '/api/api-keys', { token: admin })).body as { id: string; lastHomologation: HomologationRun | null }[];
    expect(listed.find((entry) => entry.id === key.id)!.lastHomologation).toEqual(last);

    const promoted = await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: admin, body: {} });
    expect(promoted.status).toBe(201);
    expect(promoted.body).toMatchObject({ environment: 'production', name: key.name, scopes: key.scopes, rateLimitPerMinute: KEY_LIMIT });
    expect(promoted.body.secret).toMatch(/^bk\.[0-9a-f]{16}\./);
    // The production key reaches the production store's data; the sandbox key does not.
    expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: promoted.body.secret })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/products/p-00001', { token: key.secret })).status).toBe(404);
    const trail = (await call(server.url, 'GET', '/api/admin/events?limit=1000', { token: admin })).body as { action: string; detail: string }[];
    expect(trail.find((event) => event.action === 'api_key_promoted' && event.detail.includes(promoted.body.id))?.detail).toContain(`"promotedFrom":"${key.id}"`);
    // Promoted once: a second production key from the same run is refused while the first is live.
    const again = await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: admin, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(`already promoted to production key ${promoted.body.id}`);
    // The walk's evidence counted for that run only: the same all-passed report posted again, without walking, does not pass.
    const replayed = await call(server.url, 'POST', '/api/v1/homologation-runs', { token: key.secret, body: { passed: true, steps: result.recorded!.run!.steps.map((step) => ({ id: step.step, passed: true })) } });
    expect(replayed.body).toMatchObject({ passed: false, uncorroborated: expect.arrayContaining(['master-data', 'webhook']) });
    // A production key is not promoted, and does not post reports nor move a clock.
    expect((await call(server.url, 'POST', `/api/api-keys/${promoted.body.id}/promote`, { token: admin, body: {} })).status).toBe(409);
    expect((await call(server.url, 'POST', '/api/v1/homologation-runs', { token: promoted.body.secret, body: { passed: true, steps: [] } })).status).toBe(403);
    // The key list names the live production key, so the screen stops offering promotion; revoking it clears that.
    const promotedToOf = async () => ((await call(server.url, 'GET', '/api/api-keys', { token: admin })).body as { id: string; promotedTo?: string | null }[]).find((listed) => listed.id === key.id)?.promotedTo;
    expect(await promotedToOf()).toBe(promoted.body.id);
    expect((await call(server.url, 'POST', `/api/api-keys/${promoted.body.id}/revoke`, { token: admin, body: {} })).status).toBe(200);
    expect(await promotedToOf()).toBeNull();
  });

  it('API-07 a report claiming every step passed from a key that did nothing is recorded as not passed (uncorroborated) and the key is not promoted', async () => {
    const key = await sandboxKey('Relatório forjado');
    const forged = { passed: true, steps: STEPS.map((step) => ({ id: step.id, name: step.name, passed: true, durationMs: 1 })) };
    const posted = await call(server.url, 'POST', '/api/v1/homologation-runs', { token: key.secret, body: forged });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ passed: false, uncorroborated: STEPS.map((step) => step.id) });
    const refused = await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: admin, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('homologation_required');
    expect(refused.body.error.message).toMatch(/master-data \(not corroborated\)/);
    // A report that leaves steps out fails them ("missing from the report").
    const partial = await call(server.url, 'POST', '/api/v1/homologation-runs', { token: key.secret, body: { passed: true, steps: [] } });
    expect(partial.body.passed).toBe(false);
    expect(partial.body.steps).toContainEqual({ step: 'webhook', passed: false, detail: 'missing from the report' });
    expect((await runs(key.id)).map((run) => run.id)).toEqual([partial.body.id, posted.body.id]);
  });

  it('API-07 a connector that ignores Retry-After fails its run on the server too, and its key cannot be promoted', { timeout: 180_000 }, async () => {
    const key = await sandboxKey('Conector sem Retry-After');
    const result = await walk({ key: key.secret, behaviour: { ...CONFORMING, waitAfter429: () => 0 } });
    expect(result.passed).toBe(false);
    expect(result.recorded?.run).toMatchObject({ passed: false });
    expect(result.recorded!.run!.steps.find((step) => step.step === 'rate-limit')).toMatchObject({ passed: false, detail: expect.stringMatching(/Retry-After/) });
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: admin, body: {} })).status).toBe(409);
  });

  it('API-07 a revoked sandbox key is not promoted, and keys of another store are not found', async () => {
    const key = await sandboxKey('Revogada');
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/revoke`, { token: admin, body: {} })).status).toBe(200);
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: admin, body: {} })).status).toBe(409);
    const other = await adminToken(server, 'loja2');
    expect((await call(server.url, 'POST', `/api/api-keys/${key.id}/promote`, { token: other, body: {} })).status).toBe(404);
    expect((await call(server.url, 'GET', `/api/api-keys/${key.id}/homologation-runs`, { token: other })).status).toBe(404);
  });
});
