import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saleInstantText } from '../../sync/server/db/migration-016-sale-instant.ts';
import { listSalesMovements } from '../../sync/server/integration/sales.ts';
import { writeBatch } from '../../sync/server/sync/write-documents.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';
import { posSale } from './support/pos-sales.ts';

/**
 * Issue 16: a sale's createdAt is written to the sale_created column by the document writer
 * (migration 1610), checked in JavaScript instead of by balcao_instant for every inserted row. The
 * column must hold exactly what balcao_instant answers, or the API-04 period filter would change.
 */
const VALUES = [
  '2026-11-29T10:00:00.000Z',
  '2026-11-29T10:00:00Z',
  '2026-11-29t10:00:00z',
  '2026-11-29 10:00:00.123456789012-03:00',
  '2026-11-29T23:59:60.5+0530',
  '2024-02-29T12:00:00Z',
  '2000-02-29T12:00:00Z',
  '1900-02-29T12:00:00Z',
  '2025-02-29T12:00:00Z',
  '2026-04-31T12:00:00Z',
  '2026-12-31T23:59:59.999+15:59',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '2026-11-29T10:00:00',
  '2026-11-29T24:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-29T10:00:00.1234567890123Z',
  '2026-11-29T10:00:00+16:00',
  'ontem',
  '',
];

describe.each(DATABASE_KINDS)('sale_created on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-04 saleInstantText accepts exactly what balcao_instant accepts, and the cast gives the same instant (or the same refusal)', async () => {
    const answer = (sql: string, params: unknown[]) =>
      server.db.query<{ at: string | null }>(sql, params).then(
        (rows) => rows[0]!.at,
        (error: { code?: string }) => `error ${String(error.code)}`,
      );
    const seen: [string, string | null][] = [];
    const expected: [string, string | null][] = [];
    for (const value of VALUES) {
      expected.push([value, await answer('SELECT balcao_instant($1)::text AS at', [value])]);
      seen.push([value, await answer('SELECT $1::timestamptz::text AS at', [saleInstantText(value)])]);
    }
    expect(expected.filter(([, at]) => at !== null && !at.startsWith('error')).length).toBeGreaterThan(5);
    expect(seen).toEqual(expected);
  });

  it('API-04 an uploaded sale is found by its period through sale_created, also after its cancellation is written', async () => {
    const [store] = await server.db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'");
    const writer = { storeId: store!.id, userId: 'loja1-caixa', roles: ['cashier'] as const, stationId: 'loja1-cx01', via: 'sync' as const };
    const sale = posSale('instant-sale-1', 'loja1-cx01', [['p-00100', 1, 1500]], { createdAt: '2026-11-23T13:00:00.000-03:00' });
    const options = { storeId: store!.id, collection: 'sales' as const, checkConflicts: true, sourceStationId: 'loja1-cx01', writer: { ...writer, roles: [...writer.roles] } };
    expect((await writeBatch(server.db, options, [{ newDocumentState: sale as never, assumedMasterState: null }])).written).toEqual(['instant-sale-1']);
    const period = (from: string, to: string) => listSalesMovements(server.db, store!.id, { from, to, limit: 10 }).then((page) => page.sales.map((found) => found.id));
    expect(await period('2026-11-23T16:00:00.000Z', '2026-11-23T16:00:00.001Z')).toEqual(['instant-sale-1']);
    expect(await period('2026-11-23T13:00:00.000Z', '2026-11-23T16:00:00.000Z')).toEqual([]);
    const cancelled = { ...sale, status: 'cancelled', cancellation: { reasonId: 'loja1-financialReason-cancelamento', userId: 'loja1-caixa', at: '2026-11-23T17:00:00.000Z' } };
    expect((await writeBatch(server.db, options, [{ newDocumentState: cancelled as never, assumedMasterState: sale as never }])).written).toEqual(['instant-sale-1']);
    expect(await period('2026-11-23T16:00:00.000Z', '2026-11-23T16:00:00.001Z')).toEqual(['instant-sale-1']);
  });
});
