import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../sync/server/db/database.ts';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { after, beforeStatement, failStatements } from './support/fail-once.ts';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** getLive's read of the record just written: the route's first statement after its write. */
const readBack = () => after(/INSERT INTO documents/, /SELECT id, seq, station_id, data, deleted FROM documents/);
const markedDone = (sql: string) => /UPDATE idempotency_keys SET state = 'done'/.test(sql);
const reservationDropped = (sql: string) => /DELETE FROM idempotency_keys WHERE store_id/.test(sql);
const purge = (sql: string) => /DELETE FROM idempotency_keys WHERE created_at/.test(sql);

async function xlsxOf(data: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Consumo');
  for (const row of [['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade'], ...data]) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * API-05 "retries are safe": a request's answer is recorded on its Idempotency-Key in the transaction
 * of its write (http/idempotency.ts), so a failure anywhere — before, inside or after that commit, or a
 * crash — leaves a retry either the recorded answer or a request never carried out (breaker 6, #2, #4, #8).
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

  it('API-05 BO-04 a consumption batch retried with its Idempotency-Key replays its report and does not write its rows again over a later change', async () => {
    const items = [{ externalId: 'BATCH-1', ...consumption, date: '2026-11-10' }];
    const first = await bo.api('POST', '/consumption/batch', { items }, { 'idempotency-key': 'batch-json' });
    expect(first).toMatchObject({ status: 200, body: { written: 1 } });
    const [record] = await recordsOn('2026-11-10');
    expect((await bo.api('PUT', `/consumption/${record!.id}`, { serviceId: 'min', quantity: 12, date: '2026-11-10' })).status).toBe(200);

    const retry = await bo.api('POST', '/consumption/batch', { items }, { 'idempotency-key': 'batch-json' });
    expect(retry).toMatchObject({ status: 200, body: first.body });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await recordsOn('2026-11-10')).toEqual([expect.objectContaining({ id: record!.id, quantity: 12 })]);
  });

  it('API-05 BO-04 an .xlsx batch is known by its bytes: the same file with the same key replays, another file with it is a conflict', async () => {
    const upload = async (bytes: Buffer) => {
      const response = await fetch(`${server.url}/api/v1/billing/consumption/batch`, { method: 'POST', headers: { authorization: `Bearer ${bo.token}`, 'content-type': XLSX, 'idempotency-key': 'batch-xlsx' }, body: new Uint8Array(bytes) });
      return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as Record<string, unknown> };
    };
    const sheet = await xlsxOf([['SHEET-1', 'CT-IDEM', 'MIN', '11/11/2026', 10]]);
    const first = await upload(sheet);
    expect(first).toMatchObject({ status: 200, replayed: null, body: { written: 1 } });
    const [record] = await recordsOn('2026-11-11');
    expect((await bo.api('PUT', `/consumption/${record!.id}`, { serviceId: 'min', quantity: 12, date: '2026-11-11' })).status).toBe(200);

    expect(await upload(sheet)).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect(await recordsOn('2026-11-11')).toEqual([expect.objectContaining({ quantity: 12 })]);
    const other = await upload(await xlsxOf([['SHEET-1', 'CT-IDEM', 'MIN', '11/11/2026', 99]]));
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_conflict' } } });
  });

  it('API-05 the batch routes answer a key used for another request as 422 idempotency_conflict, not a 500 (their 422 is also a refused batch)', async () => {
    const token = await adminToken(server);
    for (const path of ['/api/v1/products/batch', '/api/v1/masterdata/batch']) {
      const headers = { 'idempotency-key': `conflict ${path}` };
      expect((await call(server.url, 'POST', path, { token, headers, body: { items: [{ sku: 'IDEM-1', code: 'IDEM-1' }] } })).status).toBeLessThan(500);
      const other = await call(server.url, 'POST', path, { token, headers, body: { items: [{ sku: 'IDEM-2', code: 'IDEM-2' }] } });
      expect(other, path).toMatchObject({ status: 422, body: { error: { code: 'idempotency_conflict' } } });
    }
  });

  it('API-05 a write rolled back at its commit is not counted in balcao_documents_written_total; the retry that commits is, once', async () => {
    const token = await adminToken(server);
    const written = async () => {
      const text = String((await call(server.url, 'GET', '/metrics', { token })).body);
      return Number(/^balcao_documents_written_total\{collection="products"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const product = (await call(server.url, 'GET', '/api/v1/products/p-00001', { token })).body as Record<string, unknown>;
    const { _deleted: _ignored, ...data } = product;
    const put = (key: string) => call(server.url, 'PUT', '/api/v1/products/p-00001', { token, headers: { 'idempotency-key': key }, body: { ...data, name: 'Produto contado uma vez' } });
    const before = await written();
    expect((await withFault(failStatements(server.db, markedDone), () => put('counted-once'))).status).toBe(500);
    expect(await written()).toBe(before);
    expect((await put('counted-once')).status).toBe(200);
    expect((await put('counted-once')).headers.get('idempotent-replayed')).toBe('true');
    expect(await written()).toBe(before + 1);
    // A deletion is a write too (devices replicate it): counted once it commits.
    expect((await call(server.url, 'DELETE', '/api/v1/products/p-00002', { token, headers: { 'idempotency-key': 'counted-deletion' } })).status).toBe(200);
    expect(await written()).toBe(before + 2);
  });
});
