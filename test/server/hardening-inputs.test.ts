import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../sync/server/db/database.ts';
import { lockStoreSequence, writeDocuments } from '../../sync/server/db/documents.ts';
import { writeBatchIn, type WriteOptions, type WriteRow } from '../../sync/server/sync/write-documents.ts';
import { runBilling } from '../../sync/server/backoffice/billing-run.ts';
import { signatureHeader, ACCOUNT_HEADER, SIGNATURE_HEADER } from '../../sync/server/design/signature.ts';
import { DEMO_DESIGN_PORTAL } from '../../sync/server/seed/design-seed.ts';
import { DEFAULT_TIME_ZONE } from '../../sync/server/http/period.ts';
import { call, DATABASE_KINDS, pullAll, useStationServer } from './support/servers.ts';
import { customerDoc } from './support/documents.ts';
import { cancelled, posSale, stockOf } from './support/pos-sales.ts';

const DAY = 86_400_000;

/** Issue 14, kinds 1 to 3: what the validator accepts the database stores, and what it cannot store is refused at the door. */
describe.each(DATABASE_KINDS)('hostile values at the door on %s (issue 14)', (kind) => {
  const station = useStationServer(kind);
  const push = (collection: string, rows: unknown[], token = station.token) => call(station.server.url, 'POST', `/api/sync/${collection}/push`, { token, body: rows });
  const get = (path: string, token = station.admin) => call(station.server.url, 'GET', path, { token });
  const errorOf = async (documentId: string) => (await get('/api/sync/errors')).body.find((error: { documentId: string }) => error.documentId === documentId);

  it('API-02 text the database cannot hold (NUL, unpaired surrogates) is refused naming the field, in bodies, queries and paths', async () => {
    // A pushed row the schema refuses is kept aside with its reason (a copy with U+FFFD in place of what
    // the database cannot hold); the good row of the same batch is written.
    const mixed = await push('customers', [{ newDocumentState: customerDoc(9001) }, { newDocumentState: customerDoc(9002, { name: 'Jo\u0000ão' }) }]);
    expect(mixed.status).toBe(200);
    expect(await errorOf('cust-9002')).toMatchObject({ reason: 'invalid_value', message: expect.stringMatching(/field name .*U\+0000 \(NUL\) at position 2/), document: expect.objectContaining({ name: 'Jo\uFFFDão' }) });
    expect((await get('/api/v1/customers/cust-9001')).status).toBe(200);
    expect((await get('/api/v1/customers/cust-9002')).status).toBe(404);

    expect((await push('customers', [{ newDocumentState: customerDoc(9003, { city: 'S\uD800o Paulo' }) }])).status).toBe(200);
    expect(await errorOf('cust-9003')).toMatchObject({ reason: 'invalid_value', message: expect.stringMatching(/field city .*unpaired UTF-16 surrogate \(U\+D800\)/) });
    const put = await call(station.server.url, 'PUT', '/api/v1/customers/cust-9004', { token: station.admin, body: { ...customerDoc(9004, { email: '\uDC00' }), _deleted: undefined } });
    expect(put.body.error).toMatchObject({ field: '/email' });

    expect((await get('/api/pos/audit?userId=%00')).body.error).toMatchObject({ code: 'validation_failed', field: '/userId' });
    expect((await get('/api/v1/customers/%00')).body.error).toMatchObject({ code: 'validation_failed', field: '/id' });
    expect((await get('/api/sync/products/pull?epoch=%00')).status).toBe(400);
    expect((await get('/api/v1/customers/a%ED%A0%80b')).status).toBeLessThan(500);
  });

  it('POS-02 a database refusal of one document is that document refusal: the rest of the batch is written, set-based when nothing fails', async () => {
    const db = station.server.db;
    const storeId = 'loja1';
    const statements: string[] = [];
    /** PostgreSQL itself refuses the customer named "poison": its JSON reaches the database with a NUL escape. */
    const poisoned = (tx: Queryable): Queryable => ({
      query: (sql, params) => {
        statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
        const poisonText = (text: string) => text.replace('"name":"poison"', '"name":"poison\\u0000"');
        // A batch's JSON goes as jsonb's binary format (a version byte, then the text: jsonbParameter) or as text.
        const poison = (value: unknown): unknown =>
          Buffer.isBuffer(value) ? Buffer.concat([value.subarray(0, 1), Buffer.from(poisonText(value.subarray(1).toString()))]) : typeof value === 'string' ? poisonText(value) : value;
        if (!sql.includes('INSERT INTO documents')) return tx.query(sql, params);
        return tx.query(sql, params?.map((param) => (Array.isArray(param) ? param.map(poison) : poison(param))));
      },
    });
    const options: WriteOptions = { storeId, collection: 'customers', checkConflicts: true, sourceStationId: station.stationId, writer: 'server' };
    const rows: WriteRow[] = [customerDoc(9101), customerDoc(9102, { name: 'poison' }), customerDoc(9103)].map((doc) => ({ newDocumentState: doc as never }));

    const clean = await db.transaction((tx) => writeBatchIn(poisoned(tx), options, [{ newDocumentState: customerDoc(9100) as never }]));
    expect(clean.written).toEqual(['cust-9100']);
    expect(statements.filter((sql) => sql.startsWith('INSERT INTO documents'))).toHaveLength(1);

    const outcome = await db.transaction((tx) => writeBatchIn(poisoned(tx), options, rows));
    expect(outcome.written.sort()).toEqual(['cust-9101', 'cust-9103']);
    expect(outcome.quarantined).toEqual([{ id: 'cust-9102', refusal: { reason: 'invalid_value', message: expect.stringMatching(/database cannot store customers cust-9102/) } }]);
    expect((await get('/api/v1/customers/cust-9101')).status).toBe(200);
    expect((await get('/api/v1/customers/cust-9103')).status).toBe(200);
    expect((await get('/api/v1/customers/cust-9102')).status).toBe(404);
    expect(await errorOf('cust-9102')).toMatchObject({ reason: 'invalid_value', stationId: station.stationId, document: expect.objectContaining({ name: 'poison' }) });

    // What the server derives is checked too: a document its schema refuses is that row's refusal, not a 500.
    const guarded = await db.transaction((tx) => writeBatchIn(tx, options, [{ newDocumentState: customerDoc(9104) as never }, { newDocumentState: customerDoc(9105, { name: 'x'.repeat(300) }) as never }]));
    expect(guarded.written).toEqual(['cust-9104']);
    expect(guarded.quarantined[0]).toMatchObject({ id: 'cust-9105', refusal: { reason: 'invalid_value', message: expect.stringMatching(/field \/name must NOT have more than 200 characters/) } });
  });

  it('POS-01 device times: PostgreSQL must read them and a device clock plausibly show them; clocks two days off still sell', async () => {
    const at = (id: string, createdAt: string) => posSale(id, station.stationId, [['p-00500', 1, 1000]], { createdAt });
    for (const [id, createdAt, message] of [
      ['t-offset', '2026-11-23T13:00:00+20:00', /offset \+20:00; UTC offsets go from -14:00 to \+14:00/],
      ['t-year0', '0000-01-01T00:00:00Z', /no such date/],
      ['t-leap', '2016-12-31T23:59:60Z', /no such time/],
      ['t-reset', '1970-01-01T00:00:00.000Z', /before 2000-01-01/],
      ['t-ahead', new Date(Date.now() + 8 * DAY).toISOString(), /more than 7 days ahead/],
    ] as const) {
      // Kept aside with its reason, never dropped: a sale with a wrong clock is still money taken.
      const answer = await push('sales', [{ newDocumentState: at(id, createdAt) }]);
      expect(answer.status).toBe(200);
      expect(await errorOf(id)).toMatchObject({ reason: 'invalid_value', message: expect.stringMatching(message) });
      expect((await errorOf(id)).message).toContain('field createdAt');
    }
    const skewed = [at('t-behind2', new Date(Date.now() - 2 * DAY).toISOString()), at('t-ahead2', new Date(Date.now() + 2 * DAY).toISOString()), at('t-offset14', '2026-11-23T23:00:00+14:00')];
    expect((await push('sales', skewed.map((doc) => ({ newDocumentState: doc })))).body).toEqual([]);
    expect((await pullAll(station.server, station.token, 'sales')).map((doc) => doc.id)).toEqual(expect.arrayContaining(['t-behind2', 't-ahead2', 't-offset14']));
    // A time inside another document (a cancellation) and an audit event are checked the same way.
    expect((await push('sales', [{ newDocumentState: cancelled(skewed[0]!, '2026-11-23T13:00:00-15:00'), assumedMasterState: skewed[0] }])).status).toBe(200);
    expect((await errorOf(String(skewed[0]!.id))).message).toContain('field cancellation/at');
    const event = { id: 'ev-bad', stationId: station.stationId, userId: 'loja1-caixa', at: '2026-11-23T13:00:00+16:00', action: 'login', _deleted: false };
    expect((await push('auditEvents', [{ newDocumentState: event }])).status).toBe(200);
    expect((await errorOf('ev-bad')).message).toContain('field at');
    // A planned date (a promotion's period) may lie years ahead, but must be readable.
    const promotions = (await pullAll(station.server, station.admin, 'masterdata')).filter((doc) => doc.kind === 'promotion');
    const { _deleted, ...promotion } = promotions[0] as Record<string, unknown> & { promotion: Record<string, unknown> };
    const later = { ...promotion, promotion: { ...promotion.promotion, endsAt: '2031-12-31T23:59:59Z' } };
    expect((await call(station.server.url, 'PUT', `/api/v1/masterdata/${String(promotion.id)}`, { token: station.admin, body: later })).status).toBe(200);
    const unreadable = { ...promotion, promotion: { ...promotion.promotion, endsAt: '2031-12-31T23:59:59+20:00' } };
    expect((await call(station.server.url, 'PUT', `/api/v1/masterdata/${String(promotion.id)}`, { token: station.admin, body: unreadable })).status).toBe(400);
  });

  it('POS-12 POS-15 POS-16 BO-05 a record stored before times were checked breaks no report, and its sale can still be cancelled', async () => {
    // As an older server stored them: a sale and an audit event whose device times PostgreSQL cannot read.
    const legacy = posSale('legacy-1', station.stationId, [['p-00511', 2, 1000]], { createdAt: '2026-11-23T13:00:00+20:00' });
    const { _deleted, ...legacyData } = legacy;
    const event = { id: 'legacy-ev', stationId: station.stationId, userId: 'loja1-caixa', at: '0000-01-01T00:00:00Z', action: 'sale' };
    await station.server.db.transaction(async (tx) => {
      await lockStoreSequence(tx, 'loja1');
      await writeDocuments(tx, 'loja1', 'sales', [{ id: 'legacy-1', stationId: station.stationId, data: legacyData, deleted: false }]);
      await writeDocuments(tx, 'loja1', 'auditEvents', [{ id: 'legacy-ev', stationId: station.stationId, data: event, deleted: false }]);
    });
    const sales = await get('/api/pos/sales');
    expect(sales.status).toBe(200);
    expect(sales.body.map((entry: { sale: { id: string } }) => entry.sale.id)).toContain('legacy-1');
    // "Today" as the reports count days: in the store's time zone, not UTC (from 00:00 to 03:00 UTC they differ).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE }).format(new Date());
    for (const path of ['/api/pos/summary', `/api/pos/summary?from=${today}&to=${today}`, `/api/pos/sales?from=${today}`, '/api/pos/audit', `/api/pos/audit?from=${today}`]) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
    }
    // Counted when the server stored it, since the device time cannot be read.
    const summary = (await get(`/api/pos/summary?from=${today}&to=${today}&stationId=${station.stationId}`)).body;
    expect(summary.salesCount).toBeGreaterThanOrEqual(1);
    expect((await get('/api/pos/audit')).body.map((entry: { id: string }) => entry.id)).toContain('legacy-ev');

    // The station cancels it, carrying its stored time unchanged; the goods come back.
    const before = await stockOf(station.server, station.admin, ['p-00511']);
    expect((await push('sales', [{ newDocumentState: cancelled(legacy), assumedMasterState: legacy }])).body).toEqual([]);
    expect((await get('/api/v1/sales/legacy-1')).body).toMatchObject({ status: 'cancelled', createdAt: '2026-11-23T13:00:00+20:00' });
    expect(await stockOf(station.server, station.admin, ['p-00511'])).toEqual({ 'p-00511': before['p-00511']! + 2 });
    // The monthly billing run reads contract history times the same way: one it cannot read counts as long ago.
    const contract = {
      id: 'legacy-ct', kind: 'contract', code: 'CT-LEGACY', customerId: 'loja1-cli-1', startDate: '2026-10-01', billingDay: 5, state: 'cancelled', lines: [], updatedAt: '2026-11-01T00:00:00Z',
      history: [
        { at: '2026-10-01T00:00:00Z', action: 'create', to: 'active', userId: 'loja1-admin' },
        { at: '2026-10-20T10:00:00+20:00', action: 'cancel', from: 'active', to: 'cancelled', userId: 'loja1-admin' },
      ],
    };
    await station.server.db.transaction(async (tx) => {
      await lockStoreSequence(tx, 'loja1');
      await writeDocuments(tx, 'loja1', 'backoffice', [{ id: 'legacy-ct', stationId: null, data: contract, deleted: false }]);
    });
    await expect(runBilling(station.server.db, 'loja1', '2026-11', 'loja1-admin')).resolves.toMatchObject({ period: '2026-11' });

    // Claiming a stored time that is not stored gains nothing: the write path compares it with the stored sale.
    const forged = posSale('forged-1', station.stationId, [['p-00511', 1, 1000]], { createdAt: '2026-11-23T13:00:00+20:00' });
    expect((await push('sales', [{ newDocumentState: forged, assumedMasterState: forged }])).status).toBe(200);
    expect((await get('/api/v1/sales/forged-1')).status).toBe(404);
    expect(await errorOf('forged-1')).toMatchObject({ reason: 'invalid_value', message: expect.stringMatching(/\/createdAt .*offset \+20:00/) });
  });

  it('API-01 every integer has a bound JavaScript and PostgreSQL hold; periods and time zones are ones PostgreSQL reads', async () => {
    for (const path of [
      '/api/sync/products/pull?checkpoint=100000000000000000000',
      '/api/sync/products/pull?checkpoint=9007199254740993',
      '/api/sync/products/pull?checkpoint=1e400',
      '/api/sync/products/pull?checkpoint=Infinity',
      '/api/sync/products/pull?limit=100000000000000000000',
      '/api/v1/products?since=100000000000000000000',
      '/api/sync/errors?limit=1e30',
      '/api/sync/products/pull?checkpoint=-1',
      '/api/sync/products/pull?checkpoint=1.5',
      '/api/pos/sales?from=0000-01-01',
      '/api/pos/sales?to=9999-12-31',
      '/api/pos/summary?from=2026-11-23T13:00:00%2B99:00',
      '/api/pos/summary?timeZone=%2B05:00',
      '/api/pos/summary?timeZone=Mars/Olympus_Mons',
      '/api/design/environments/x/open-url?version=100000000000000000000',
    ]) {
      const answer = await get(path);
      expect({ path, status: answer.status, code: answer.body?.error?.code }).toEqual({ path, status: 400, code: 'validation_failed' });
    }
    expect((await get('/api/sync/products/pull?checkpoint=9007199254740991&limit=1')).status).toBe(200);
    // A credential version of the design portal goes into an integer column: bounded to it.
    const raw = JSON.stringify({ type: 'user.credentials_changed', eventId: 'ev-int', designUserId: 'u1', credentialVersion: 2 ** 31 });
    const event = await call(station.server.url, 'POST', '/api/design/events', {
      headers: { 'content-type': 'application/json', [ACCOUNT_HEADER]: DEMO_DESIGN_PORTAL.accountId, [SIGNATURE_HEADER]: signatureHeader(DEMO_DESIGN_PORTAL.signingSecret, raw) },
      body: JSON.parse(raw),
    });
    expect(event.body.error).toMatchObject({ code: 'validation_failed', field: '/credentialVersion' });
  });
});
