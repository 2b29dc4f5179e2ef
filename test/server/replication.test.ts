import { describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, pullAll, useStationServer } from './support/servers.ts';
import { customerDoc, saleDoc } from './support/documents.ts';
import { cancelled, posSale } from './support/pos-sales.ts';

describe.each(DATABASE_KINDS)('replication protocol on %s', (kind) => {
  const station = useStationServer(kind);

  const push = (collection: string, rows: unknown[], as = station.token) => call(station.server.url, 'POST', `/api/sync/${collection}/push`, { token: as, body: rows });
  const pull = (collection: string, checkpoint: number, limit: number) => call(station.server.url, 'GET', `/api/sync/${collection}/pull?checkpoint=${checkpoint}&limit=${limit}`, { token: station.token });

  it('POS-02 pull pages through documents by server sequence, never by device time', async () => {
    const first = await pull('products', 0, 700);
    expect(first.body.documents).toHaveLength(700);
    const second = await pull('products', first.body.checkpoint.seq, 700);
    const rest = await pull('products', second.body.checkpoint.seq, 5000);
    const ids = [...first.body.documents, ...second.body.documents, ...rest.body.documents].map((doc: { id: string }) => doc.id);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    expect(first.body.documents[0]._deleted).toBe(false);
    const empty = await pull('products', rest.body.checkpoint.seq, 10);
    expect(empty.body).toEqual({ documents: [], checkpoint: rest.body.checkpoint });
  });

  it('POS-02 a retried push batch writes nothing the second time', async () => {
    const rows = [1, 2, 3].map((n) => ({ newDocumentState: customerDoc(100 + n), assumedMasterState: null }));
    expect((await push('customers', rows)).body).toEqual([]);
    const before = await call(station.server.url, 'GET', '/api/v1/customers?since=0&limit=10000', { token: station.token });
    expect((await push('customers', rows)).body).toEqual([]);
    const after = await call(station.server.url, 'GET', '/api/v1/customers?since=0&limit=10000', { token: station.token });
    // Same sequence numbers: nothing was rewritten, so no device receives the documents again.
    expect(after.body.checkpoint).toEqual(before.body.checkpoint);
    expect(after.body.documents.filter((doc: { id: string }) => doc.id.startsWith('cust-10'))).toHaveLength(3);
  });

  // Customers and contracts merge field by field instead (BO-01, BO-03; test/server/backoffice.test.ts).
  it('POS-02 a push that assumed a stale master state gets the current master back as a conflict', async () => {
    const original = posSale('st-stale', station.stationId, [['p-00130', 1, 1500]]);
    expect((await push('sales', [{ newDocumentState: original }])).body).toEqual([]);
    const byServer = cancelled(original, '2026-11-23T15:00:00.000Z');
    expect((await call(station.server.url, 'PUT', '/api/v1/sales/st-stale', { token: station.admin, body: { ...byServer, _deleted: undefined } })).status).toBe(200);

    const stale = await push('sales', [{ newDocumentState: cancelled(original, '2026-11-23T16:00:00.000Z'), assumedMasterState: original }]);
    expect(stale.body).toEqual([byServer]);
    const fresh = await push('sales', [{ newDocumentState: byServer, assumedMasterState: byServer }]);
    expect(fresh.body).toEqual([]);
  });

  it('POS-07 a malformed document is kept aside with its reason naming the field, and the rest of the batch is written', async () => {
    const answer = await push('customers', [{ newDocumentState: customerDoc(300) }, { newDocumentState: customerDoc(301, { active: 'yes' }) }]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
    expect((await push('customers', [{ newDocumentState: customerDoc(302, { nickname: 'x' }) }])).status).toBe(200);
    const errors = (await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token })).body as { documentId: string; reason: string; message: string; stationId: string }[];
    expect(errors.find((error) => error.documentId === 'cust-301')).toMatchObject({ reason: 'invalid_value', stationId: station.stationId, message: expect.stringContaining('field active') });
    expect(errors.find((error) => error.documentId === 'cust-302')).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('field nickname is not a field') });
    const ids = (await pullAll(station.server, station.token, 'customers')).map((doc) => doc.id);
    expect(ids).toContain('cust-300');
    expect(ids).not.toContain('cust-301');
    expect(ids).not.toContain('cust-302');
    // A row that does not name its document has nothing to be kept under: the body's 400, naming the field.
    const nameless = await push('customers', [{ newDocumentState: { name: 'Sem id', _deleted: false } }]);
    expect(nameless.status).toBe(400);
    expect(nameless.body.error.code).toBe('validation_failed');
  });

  it('POS-07 a well-formed but invalid document is quarantined with its reason, listed, and accepted once fixed', async () => {
    const bad = customerDoc(400, { taxId: '12345678900' });
    expect((await push('customers', [{ newDocumentState: bad }])).body).toEqual([]);
    expect((await pullAll(station.server, station.token, 'customers')).map((doc) => doc.id)).not.toContain('cust-400');

    const errors = await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token });
    const entry = errors.body.find((error: { documentId: string }) => error.documentId === 'cust-400');
    expect(entry).toMatchObject({ collection: 'customers', reason: 'invalid_tax_id', stationId: station.stationId, resolvedAt: null, document: bad });
    expect(entry.message).toMatch(/check digits/);

    // The device fixes it, assuming the version it sent (which never became the master).
    const fixed = { ...bad, taxId: customerDoc(400).taxId };
    expect((await push('customers', [{ newDocumentState: fixed, assumedMasterState: bad }])).body).toEqual([]);
    expect((await pullAll(station.server, station.token, 'customers')).find((doc) => doc.id === 'cust-400')).toEqual(fixed);
    const after = await call(station.server.url, 'GET', '/api/sync/errors?includeResolved=true', { token: station.token });
    expect(after.body.find((error: { id: string }) => error.id === entry.id).resolvedAt).not.toBeNull();
  });

  it('POS-07 a sale referring to a removed product is kept in quarantine and accepted by a retry once the product is back', async () => {
    const product = (await call(station.server.url, 'GET', '/api/v1/products/p-00010', { token: station.admin })).body;
    expect((await call(station.server.url, 'DELETE', '/api/v1/products/p-00010', { token: station.admin })).status).toBe(200);
    const sale = saleDoc('sale-q1', station.stationId);
    expect((await push('sales', [{ newDocumentState: sale }])).body).toEqual([]);
    const errors = await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token });
    const entry = errors.body.find((error: { documentId: string }) => error.documentId === 'sale-q1');
    expect(entry.reason).toBe('unknown_reference');

    const stillMissing = await call(station.server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: station.token });
    expect(stillMissing.body).toMatchObject({ resolvedAt: null, attempts: 2 });

    const { _deleted, ...restored } = product;
    expect((await call(station.server.url, 'PUT', '/api/v1/products/p-00010', { token: station.admin, body: restored })).status).toBe(200);
    const retried = await call(station.server.url, 'POST', `/api/sync/errors/${entry.id}/retry`, { token: station.token });
    expect(retried.body.resolvedAt).not.toBeNull();
    expect((await pullAll(station.server, station.token, 'sales')).map((doc) => doc.id)).toContain('sale-q1');
  });

  it('POS-10 a finished sale only changes by its cancellation', async () => {
    const sale = saleDoc('sale-imm', station.stationId);
    expect((await push('sales', [{ newDocumentState: sale }])).body).toEqual([]);
    const tampered = { ...sale, totalCents: 1 };
    // Refused: answered with the server's version, which the station takes back (issue 11).
    expect((await push('sales', [{ newDocumentState: tampered, assumedMasterState: sale }])).body).toMatchObject([{ id: 'sale-imm', totalCents: sale.totalCents }]);
    const errors = await call(station.server.url, 'GET', '/api/sync/errors', { token: station.token });
    expect(errors.body.find((error: { documentId: string }) => error.documentId === 'sale-imm').reason).toBe('immutable_document');

    const cancelled = { ...sale, status: 'cancelled', cancellation: { reasonId: 'loja1-financialReason-cancelamento', userId: 'loja1-caixa', at: '2026-11-23T11:00:00.000Z' } };
    expect((await push('sales', [{ newDocumentState: cancelled, assumedMasterState: tampered }])).body).toEqual([]);
    expect((await pullAll(station.server, station.token, 'sales')).find((doc) => doc.id === 'sale-imm')).toEqual(cancelled);
  });

  it('a batch with the same document twice keeps the last state', async () => {
    const answer = await push('customers', [{ newDocumentState: customerDoc(500, { name: 'first' }) }, { newDocumentState: customerDoc(500, { name: 'second' }) }]);
    expect(answer.body).toEqual([]);
    expect((await call(station.server.url, 'GET', '/api/v1/customers/cust-500', { token: station.token })).body.name).toBe('second');
  });
});
