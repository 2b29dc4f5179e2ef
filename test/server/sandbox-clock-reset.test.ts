import { beforeAll, describe, expect, it } from 'vitest';
import type { AdminEvent, CreatedApiKey } from '../../sync/schema/index.ts';
import { storeToday } from '../../sync/server/backoffice/receivables.ts';
import { sweepOverdueReceivables } from '../../sync/server/webhooks/receivable-events.ts';
import { pruneSandboxRequests } from '../../sync/server/sandbox/runs.ts';
import { useSandboxServer } from './sandbox-server.ts';
import { cpf } from './support/documents.ts';
import { adminToken, call, DATABASE_KINDS, type TestServer } from './support/servers.ts';

/**
 * Issue 13, API-06: the sandbox clock (moved forward by a sandbox key or the admin) drives stock
 * reservation expiry and overdue receivables in the sandbox only; a reset wipes what the integrator
 * did, reseeds the fixtures and puts the clock back, while keys and production stay as they were.
 * Creating and resetting it are in the administration trail (ADM-02), and the request log a run is
 * corroborated against does not grow for ever for a key that never posts a run.
 */
const DAY = 86_400;

describe.each(DATABASE_KINDS)('sandbox clock and reset on %s', (kind) => {
  // The shared sandbox setup (test/server/sandbox-server.ts), read into locals once it is made.
  const sandbox = useSandboxServer(kind, { sandbox: 'Relógio' });
  const as = sandbox.as;
  let server: TestServer;
  let admin: string;
  let sbx: CreatedApiKey;
  let prd: CreatedApiKey;
  beforeAll(() => void ({ server, admin, sbx, prd } = sandbox));
  const advance = (seconds: number, who: CreatedApiKey | string = sbx) => as(who, 'POST', '/api/v1/sandbox/clock', { advanceSeconds: seconds });

  it('API-06 moving the sandbox clock past a reservation\'s expiry expires it in the sandbox, not the same reservation in production', async () => {
    const reserve = async (key: CreatedApiKey, productId: string) => {
      const sku = (await as(key, 'GET', `/api/v1/products/${productId}`)).body.sku as string;
      const made = await as(key, 'POST', '/api/v1/stock/reservations', { id: 'clock-res', items: [{ sku, quantity: 2 }], ttlSeconds: 600 }, { 'idempotency-key': 'clock-res' });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return sku;
    };
    const sandboxSku = await reserve(sbx, 't-00030');
    const productionSku = await reserve(prd, 'p-00030');
    const reserved = async (key: CreatedApiKey, sku: string) => (await as(key, 'GET', `/api/v1/stock?sku=${sku}`)).body.levels[0].reserved as number;
    expect(await reserved(sbx, sandboxSku)).toBe(2);

    const moved = await advance(601);
    expect(moved.status).toBe(200);
    expect(moved.body.offsetSeconds).toBe(601);
    expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(590_000);
    expect((await as(sbx, 'GET', '/api/v1/stock/reservations/clock-res')).body.status).toBe('expired');
    expect(await reserved(sbx, sandboxSku)).toBe(0);
    expect((await as(prd, 'GET', '/api/v1/stock/reservations/clock-res')).body.status).toBe('active');
    expect(await reserved(prd, productionSku)).toBe(2);
  });

  it('API-06 a receivable becomes overdue on the sandbox clock: in the list and in the webhook sweep', async () => {
    const today = storeToday(new Date(Date.now() + 601_000));
    const period = today.slice(0, 7);
    const run = await as(sbx, 'POST', '/api/v1/billing/billing-runs', { period }, { 'idempotency-key': `clock-run-${period}` });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.created).toBeGreaterThan(0);
    const receivable = async () => ((await as(sbx, 'GET', '/api/v1/billing/receivables?limit=50&contractId=loja1.sandbox-ct-2')).body.receivables as { id: string; status: string; dueDate: string }[]).find((r) => r.id.length > 0)!;
    const before = await receivable();
    expect(before.status).toBe('open');
    // Past the due date (billing day 10 of the next month) on the sandbox clock.
    const daysToDue = Math.ceil((Date.parse(`${before.dueDate}T12:00:00Z`) - Date.now()) / 86_400_000) + 2;
    expect((await advance(daysToDue * DAY)).status).toBe(200);
    expect((await receivable()).status).toBe('overdue');
    await sweepOverdueReceivables(server.db, new Date());
    const seen = await server.db.query<{ store_id: string }>('SELECT store_id FROM webhook_overdue_seen WHERE receivable_id = $1', [before.id]);
    expect(seen.map((row) => row.store_id)).toEqual(['loja1.sandbox']);
  });

  it('API-06 the admin moves the clock too; it only moves forward, by at most 400 days a call and 10 years in all', async () => {
    const info = (await as(admin, 'GET', '/api/sandbox')).body;
    const moved = await advance(60, admin);
    expect(moved.status).toBe(200);
    expect(moved.body.offsetSeconds).toBe(info.clock.offsetSeconds + 60);
    // A retried move with its Idempotency-Key moves once (API-05).
    const once = await as(sbx, 'POST', '/api/v1/sandbox/clock', { advanceSeconds: 30 }, { 'idempotency-key': 'clock-once' });
    const again = await as(sbx, 'POST', '/api/v1/sandbox/clock', { advanceSeconds: 30 }, { 'idempotency-key': 'clock-once' });
    expect(once.body.offsetSeconds).toBe(moved.body.offsetSeconds + 30);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await as(admin, 'GET', '/api/sandbox')).body.clock.offsetSeconds).toBe(once.body.offsetSeconds);
    expect((await advance(0)).status).toBe(400);
    expect((await advance(-5)).status).toBe(400);
    expect((await advance(401 * DAY)).status).toBe(400);
    expect((await as(sbx, 'POST', '/api/v1/sandbox/clock', { advanceSeconds: '60' })).status).toBe(400);
    let last = moved;
    for (let n = 0; n < 10 && last.status === 200; n += 1) last = await advance(400 * DAY);
    expect(last.status).toBe(422);
    expect(last.body.error.code).toBe('business_rule');
    expect((await as(admin, 'GET', '/api/sandbox')).body.clock.offsetSeconds).toBeLessThanOrEqual(3_650 * DAY);
  });

  it('API-06 a reset wipes what the integrator did, reseeds the fixtures and puts the clock back; keys, runs and production stay', async () => {
    expect((await as(sbx, 'POST', '/api/v1/billing/customers', { id: 'reset-cust', name: 'Some no reset', taxId: cpf(9301) }, { 'idempotency-key': 'reset-cust' })).status).toBe(201);
    const hook = await as(sbx, 'POST', '/api/v1/webhooks/subscriptions', { url: 'http://127.0.0.1:9/hook', eventTypes: ['order.status_changed'] }, { 'idempotency-key': 'reset-hook' });
    expect(hook.status).toBe(201);
    const posted = await as(sbx, 'POST', '/api/v1/homologation-runs', { passed: false, steps: [] });
    expect(posted.status).toBe(201);
    const productionBefore = (await as(prd, 'GET', '/api/v1/billing/customers?limit=1000')).body.customers.length as number;

    const reset = await as(admin, 'POST', '/api/sandbox/reset', {});
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ storeId: 'loja1.sandbox', clock: { offsetSeconds: 0 }, fixtures: { products: 200, customers: 5, stations: 2, contracts: 3 } });
    expect(Date.parse(reset.body.resetAt)).toBeGreaterThan(0);
    expect((await as(sbx, 'GET', '/api/v1/billing/customers/reset-cust')).status).toBe(404);
    expect((await as(sbx, 'GET', '/api/v1/stock/reservations/clock-res')).status).toBe(404);
    expect((await as(sbx, 'GET', `/api/v1/webhooks/subscriptions/${hook.body.subscription.id}`)).status).toBe(404);
    expect((await as(sbx, 'GET', '/api/v1/products/t-00030')).body.stock).toBeGreaterThan(0);
    // The same Idempotency-Key starts afresh after a reset (its record was the sandbox's data).
    expect((await as(sbx, 'POST', '/api/v1/billing/customers', { id: 'reset-cust', name: 'De novo', taxId: cpf(9301) }, { 'idempotency-key': 'reset-cust' })).body.name).toBe('De novo');
    expect((await as(admin, 'GET', `/api/api-keys/${sbx.id}/homologation-runs`)).body.data.map((r: { id: string }) => r.id)).toContain(posted.body.id);
    expect((await as(prd, 'GET', '/api/v1/stock/reservations/clock-res')).body.status).toBe('active');
    expect((await as(prd, 'GET', '/api/v1/billing/customers?limit=1000')).body.customers.length).toBe(productionBefore);
    expect((await as(admin, 'POST', '/api/sandbox/reset', {})).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/sandbox/reset', { token: await adminToken(server, 'loja2'), body: {} })).status).toBe(404);
  });

  it('API-06 three admins creating a store\'s sandbox at once make one sandbox, seeded once', async () => {
    const other = await adminToken(server, 'loja2');
    const answers = await Promise.all([1, 2, 3].map(() => call(server.url, 'POST', '/api/sandbox', { token: other, body: {} })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.body.storeId))).toEqual(new Set(['loja2.sandbox']));
    expect((await call(server.url, 'GET', '/api/sandbox', { token: other })).body.fixtures).toEqual({ products: 200, customers: 5, stations: 2, contracts: 3 });
    expect((await server.db.query('SELECT 1 FROM sandboxes WHERE store_id = $1', ['loja2'])).length).toBe(1);
    // ADM-02: the one creation is in loja2's trail once, by its admin; the two that found it made nothing.
    const trail = (await call(server.url, 'GET', '/api/admin/events', { token: other })).body as AdminEvent[];
    const created = trail.filter((event) => event.action === 'sandbox_created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ userName: expect.any(String), detail: JSON.stringify({ sandboxStoreId: 'loja2.sandbox', via: 'sandbox' }) });
  });

  it('ADM-02 API-06 creating the sandbox (with the first sandbox key) and resetting it are in the administration trail: who, when, what', async () => {
    const trail = async () => (await as(admin, 'GET', '/api/admin/events?limit=1000')).body as AdminEvent[];
    const [created] = (await trail()).filter((event) => event.action === 'sandbox_created');
    expect(created).toMatchObject({ userName: 'Ana Admin', detail: JSON.stringify({ sandboxStoreId: 'loja1.sandbox', via: 'first_key' }) });
    expect(Date.parse(created!.at)).toBeGreaterThan(0);
    const resetsBefore = (await trail()).filter((event) => event.action === 'sandbox_reset').length;
    expect((await advance(120)).status).toBe(200);
    const offset = (await as(admin, 'GET', '/api/sandbox')).body.clock.offsetSeconds as number;
    const startedAt = Date.now();
    expect((await as(admin, 'POST', '/api/sandbox/reset', {})).status).toBe(200);
    const resets = (await trail()).filter((event) => event.action === 'sandbox_reset');
    expect(resets).toHaveLength(resetsBefore + 1);
    expect(resets[0]).toMatchObject({ userId: created!.userId, userName: 'Ana Admin', detail: JSON.stringify({ sandboxStoreId: 'loja1.sandbox', clockOffsetSeconds: offset }) });
    expect(Date.parse(resets[0]!.at)).toBeGreaterThanOrEqual(startedAt - 60_000);
  });

  it('API-08 the key list names the admin who made each key, beside the user id', async () => {
    const keys = (await as(admin, 'GET', '/api/api-keys')).body as { id: string; createdBy: string; createdByName?: string | null }[];
    const made = keys.find((key) => key.id === sbx.id);
    expect(made).toMatchObject({ createdByName: 'Ana Admin' });
    expect(made!.createdBy).not.toBe('Ana Admin');
  });

  it('API-07 the sandbox request log is pruned after 30 days, also for a key that never posts a run', async () => {
    // A key that walked once, long ago, and never posted a run; and one recent request of the same key.
    const old = new Date(Date.now() - 31 * DAY * 1_000).toISOString();
    const recent = new Date(Date.now() - 29 * DAY * 1_000).toISOString();
    await server.db.query("INSERT INTO sandbox_requests (key_id, at, method, route, status) VALUES ('never-ran', $1, 'GET', '/api/v1/stock', 200), ('never-ran', $2, 'GET', '/api/v1/stock', 200)", [old, recent]);
    const left = async () => (await server.db.query<{ at: Date | string }>("SELECT at FROM sandbox_requests WHERE key_id = 'never-ran'")).map((row) => new Date(row.at).toISOString());
    // Any sandbox request prunes the log of every key: no run has to come. (The log is written once the
    // answer is sent, so the test waits for it rather than reading right after the answer.)
    expect((await as(sbx, 'GET', '/api/v1/stock?limit=1')).status).toBe(200);
    await expect.poll(left, { timeout: 30_000 }).toEqual([recent]);
    expect((await server.db.query('SELECT 1 FROM sandbox_requests WHERE key_id = $1', [sbx.id])).length).toBeGreaterThan(0);
    // The rule itself, on a given instant: two more days and the recent one goes too.
    expect(await pruneSandboxRequests(server.db, new Date(Date.now() + 2 * DAY * 1_000))).toBeGreaterThanOrEqual(1);
    expect(await left()).toEqual([]);
  });
});
