import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES, type CreatedApiKey } from '../../sync/schema/index.ts';
import { REQUIRED_STEPS } from '../../sync/server/sandbox/runs.ts';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * The sandbox under requests at once (breaker 8): promotions of one homologated key, a reset while the
 * integrator writes, and report step ids that are JavaScript's own property names. PostgreSQL is where
 * requests interleave (PGlite has one connection); both run the same checks.
 */
describe.each(DATABASE_KINDS)('sandbox races on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });
  const as = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(server.url, method, path, { token, body, headers });
  /** A sandbox key whose last homologation run passed (written as the run route would, without walking every step). */
  const homologatedKey = async (name: string, runId: string): Promise<CreatedApiKey> => {
    const key = (await as(admin, 'POST', '/api/api-keys', { name, scopes: [...API_SCOPES] })).body as CreatedApiKey;
    await server.query(`INSERT INTO homologation_runs (id, key_id, store_id, passed, steps, uncorroborated) VALUES ($1, $2, 'loja1.sandbox', true, $3, '{}')`, [
      runId,
      key.id,
      JSON.stringify(REQUIRED_STEPS.map((step) => ({ step, passed: true }))),
    ]);
    return key;
  };

  it('API-08 promotions of one homologated sandbox key sent at once make one production key; the others are told which', async () => {
    for (let round = 0; round < 3; round += 1) {
      const key = await homologatedKey(`promo-${round}`, `race-run-${round}`);
      const answers = await Promise.all(Array.from({ length: 6 }, () => as(admin, 'POST', `/api/api-keys/${key.id}/promote`, {})));
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const live = await server.query<{ id: string }>('SELECT id FROM api_keys WHERE promoted_from = $1 AND revoked_at IS NULL', [key.id]);
      expect(live).toHaveLength(1);
      const made = answers.find((answer) => answer.status === 201)!;
      expect(live[0]!.id).toBe(made.body.id);
      for (const refused of answers.filter((answer) => answer.status === 409)) expect(JSON.stringify(refused.body)).toContain(String(made.body.id));
    }
  });

  it('API-08 a reset while the sandbox key writes: every request answers without a 500 (no deadlock), and the sandbox is whole afterwards', { timeout: 120_000 }, async () => {
    const key = (await as(admin, 'POST', '/api/api-keys', { name: 'busy', scopes: [...API_SCOPES] })).body as CreatedApiKey;
    const { _deleted: _ignored, ...product } = (await as(key.secret, 'GET', '/api/v1/products/t-00010')).body as Record<string, unknown>;
    const failures: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      const writes = Array.from({ length: 6 }, (_v, i) => as(key.secret, 'PUT', '/api/v1/products/t-00010', { ...product, priceCents: 100 + i + round }, { 'idempotency-key': `reset-race-${round}-${i}` }));
      const answers = await Promise.all([...writes, as(admin, 'POST', '/api/sandbox/reset', {})]);
      for (const answer of answers) if (answer.status >= 500) failures.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect((await as(admin, 'GET', '/api/sandbox')).body.fixtures).toMatchObject({ products: 200, customers: 5, stations: 2, contracts: 3 });
  });

  it('API-08 a homologation report with a step id that is a JavaScript property name (constructor) is recorded with that step uncorroborated, not a 500', async () => {
    const key = (await as(admin, 'POST', '/api/api-keys', { name: 'odd-steps', scopes: [...API_SCOPES] })).body as CreatedApiKey;
    // The schema's pattern (lowercase letters, digits, dashes) lets only 'constructor' of Object's own names through.
    for (const id of ['constructor']) {
      const answer = await as(key.secret, 'POST', '/api/v1/homologation-runs', { passed: true, steps: [{ id, passed: true }] });
      expect(answer.status, `${id}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(201);
      expect(answer.body.passed, id).toBe(false);
    }
  });
});
