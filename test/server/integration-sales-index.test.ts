import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSalesMovements, salesMovementsSql } from '../../sync/server/integration/sales.ts';
import { startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 12: the sales movements' period filter (API-04, `from`/`to` on createdAt) reads the
 * documents_sales_created index (migrations 1203, 1610) on PostgreSQL, the production database, instead of
 * every sale of the store. 20,000 sales over 200 days, one day asked for.
 */
describe('sales movements period index on postgresql', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgresql');
    await server.db.query(
      // Written as db/documents.ts writes a sale: its createdAt also in sale_created (migration 1610).
      `INSERT INTO documents (store_id, collection, id, seq, station_id, data, sale_created)
       SELECT 'loja1', 'sales', 'idx-sale-' || n, 10000000 + n, 'loja1-cx01',
              jsonb_build_object('id', 'idx-sale-' || n, 'stationId', 'loja1-cx01', 'status', 'finished', 'createdAt', at), at::timestamptz
         FROM generate_series(0, 19999) AS n,
              LATERAL (SELECT to_char(timestamptz '2026-01-01 00:00:00+00' + (n / 100) * interval '1 day' + (n % 100) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at) AS t`,
    );
    await server.db.query('ANALYZE documents');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-04 a period of one day is read through documents_sales_created, and finds exactly that day', async () => {
    const query = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', limit: 500 };
    const { sql, params } = salesMovementsSql('loja1', 0, query);
    const plan = await server.db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const text = JSON.stringify(plan[0]!['QUERY PLAN']);
    expect(text).toContain('documents_sales_created');
    const page = await listSalesMovements(server.db, 'loja1', query);
    expect(page.sales).toHaveLength(100);
    expect(page.sales.every((sale) => String(sale.createdAt).startsWith('2026-03-01'))).toBe(true);
  });
});
