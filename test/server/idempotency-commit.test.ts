import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../sync/server/db/database.ts';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { after, beforeStatement, failStatements } from './support/fail-once.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/** getLive's read of the record just written: the route's first statement after its write. */
const readBack = () => after(/INSERT INTO documents/, /SELECT id, seq, station_id, data, deleted FROM documents/);
const markedDone = (sql: string) => /UPDATE idempotency_keys SET state = 'done'/.test(sql);
const reservationDropped = (sql: string) => /DELETE FROM idempotency_keys WHERE store_id/.test(sql);
const purge = (sql: string) => /DELETE FROM idempotency_keys WHERE created_at/.test(sql);

/**
 * API-05 "retries are safe": a request's answer is recorded on its Idempotency-Key in the transaction
 * of its write (http/idempotency.ts), so a failure anywhere — before, inside or after that commit, or a
 * crash — leaves a retry either the recorded answer or a request never carried out (breaker 6, #2, #8).
 */
describe.each(DATABASE_KINDS)('Idempotency-Key answers commit with the write (API-05) on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const consumption = { contractId: 'ct-idem', serviceId: 'min', quantity: 10 };
  const recordsOn = async (date: string) => ((await bo.api('GET', '/consumption?contractId=ct-idem&limit=500')).body.consumption as { id: string; date: string; quantity: number; externalId: string }[]).filter((record) => record.date === date);
  const post = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => bo.api('POST', '/consumption', body, { 'idempotency-key': key, ...headers });
  /** `request` sent with `fault` armed; the fault is taken off whatever happens. */
  const withFault = async <T>(fault: { restore: () => void }, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } finally {
      fault.restore();
    }
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('min', { monthlyFeeCents: 0, unit: 'min', unitPriceCents: 10 }), contractDoc('ct-idem', 'bo-cust-1', [['min', 1]])))).body).toEqual([]);
    expect((await bo.push('backofficeActions', rows(requestDoc('rq-idem', 'ct-idem', 'activate')))).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-05 a failure after the write and before the answer leaves nothing: the retry with the same key writes once, and is replayed afterwards', async () => {
    const body = { ...consumption, date: '2026-11-05' };
    const first = await withFault(failStatements(server.db, readBack()), () => post('after-write', body));
    expect(first.status).toBe(500);
    expect(await recordsOn('2026-11-05')).toHaveLength(0);

    const retry = await post('after-write', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const again = await post('after-write', body);
    expect(again).toMatchObject({ status: 201, body: retry.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await recordsOn('2026-11-05')).toEqual([expect.objectContaining({ id: retry.body.id, quantity: 10 })]);
  });

  it("API-05 a crash between the write and 'done' leaves no write behind: the reservation taken over after 300 s carries the request out once", async () => {
    const body = { ...consumption, date: '2026-11-06' };
    // The process dies as the key is marked done: nothing drops the reservation either.
    const first = await withFault(failStatements(server.db, markedDone, reservationDropped), () => post('crash-before-done', body));
    expect(first.status).toBe(500);
    const busy = await post('crash-before-done', body);
    expect(busy).toMatchObject({ status: 409, body: { error: { code: 'idempotency_in_progress' } } });

    await server.db.query("UPDATE idempotency_keys SET created_at = created_at - interval '301 seconds' WHERE key = 'crash-before-done'");
    const takenOver = await post('crash-before-done', body);
    expect(takenOver.status).toBe(201);
    expect(await recordsOn('2026-11-06')).toEqual([expect.objectContaining({ id: takenOver.body.id })]);
    expect((await post('crash-before-done', body)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('API-05 a failure just after the commit: the retry replays the answer, and the record stays one', async () => {
    const body = { ...consumption, date: '2026-11-07' };
    const first = await withFault(failStatements(server.db, purge), () => post('after-commit', body));
    expect(first.status).toBe(500);
    const retry = await post('after-commit', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await recordsOn('2026-11-07')).toEqual([expect.objectContaining({ id: retry.body.id })]);
  });

  it('API-05 a request whose reservation was taken over (thought dead) commits nothing: of the two, only the one holding the reservation can', async () => {
    const body = { ...consumption, date: '2026-11-08' };
    // Just before the first request marks its key done, a later one takes the key over, as after 300 s.
    // PostgreSQL: from another connection; PGlite has one, and serialises the two requests, so the takeover is made on it.
    const takeOver = async (tx: Queryable) => {
      const on = kind === 'postgresql' ? server.db : tx;
      const [stale] = await on.query<{ store_id: string; caller: string; request_hash: string }>("DELETE FROM idempotency_keys WHERE key = 'taken-over' RETURNING store_id, caller, request_hash");
      // Made later than the stale one (300 s later in life; PGlite's clock may not tell apart two statements of one millisecond).
      await on.query("INSERT INTO idempotency_keys (store_id, caller, key, request_hash, state, created_at) VALUES ($1, $2, 'taken-over', $3, 'running', now() + interval '1 second')", [stale!.store_id, stale!.caller, stale!.request_hash]);
    };
    const first = await withFault(beforeStatement(server.db, markedDone, takeOver), () => post('taken-over', body));
    expect(first).toMatchObject({ status: 409, body: { error: { code: 'idempotency_in_progress' } } });
    expect(await recordsOn('2026-11-08')).toHaveLength(0);
  });

  it('API-05 POS-07 a write refused by a business rule (422), retried with its key, is replayed and kept once in integration errors (Stripe: an executed request\'s result is saved)', async () => {
    const refused = { ...consumption, quantity: 5, date: '2026-09-01' }; // before the contract starts (2026-10-01)
    const before = (await bo.errors()).length;
    const answers = [await post('refused', refused), await post('refused', refused), await post('refused', refused, { 'accept-language': 'pt-BR' })];
    expect(answers.map((answer) => [answer.status, answer.body.error.code, answer.headers.get('idempotent-replayed')])).toEqual([
      [422, 'quarantined', null],
      [422, 'quarantined', 'true'],
      [422, 'quarantined', 'true'],
    ]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    // The replay is the same problem, told in the language asked for, as problem+json.
    expect(answers[2]!.body.title).toBe('Recusado por uma regra de negócio');
    expect(answers[2]!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await bo.errors()).length).toBe(before + 1);
    // The request fixed is another request: it takes a new key.
    expect((await post('refused', { ...refused, date: '2026-11-09' })).body.error.code).toBe('idempotency_conflict');
  });
});
