import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The first worksheet: its header and its data rows as objects keyed by the header. */
async function sheetOf(bytes: ArrayBuffer): Promise<{ header: string[]; rows: Record<string, unknown>[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const table: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => table.push((row.values as unknown[]).slice(1)));
  const header = (table[0] ?? []).map(String);
  return { header, rows: table.slice(1).map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? null]))) };
}

/** API-03 on the integration lists of issue 12 (products, stock, orders, sales movements). */
describe.each(DATABASE_KINDS)('integration lists as .xlsx on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Every JSON page of a list, followed by its cursor while hasMore. */
  const allPages = async (path: string, key: string) => {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: { [key: string]: unknown; hasMore: boolean; nextCursor: string | null } = (await call(server.url, 'GET', `${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin })).body;
      items.push(...(page[key] as Record<string, unknown>[]));
      cursor = page.hasMore ? page.nextCursor : null;
    } while (cursor);
    return items;
  };
  const xlsx = async (path: string, how: 'query' | 'accept') => {
    const separator = path.includes('?') ? '&' : '?';
    const response = await fetch(`${server.url}${how === 'query' ? `${path}${separator}format=xlsx` : path}`, { headers: { authorization: `Bearer ${admin}`, ...(how === 'accept' ? { accept: XLSX } : {}) } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(XLSX);
    return sheetOf(await response.arrayBuffer());
  };

  it('API-03 API-04 products, stock levels, orders and sales movements come as .xlsx with the same filters and every page', async () => {
    for (const [path, key, id] of [
      ['/api/v1/products/search?q=P00', 'products', 'id'],
      ['/api/v1/stock', 'levels', 'productId'],
      ['/api/v1/orders', 'orders', 'id'],
      ['/api/v1/sales/movements', 'sales', 'id'],
    ] as const) {
      const json = await allPages(path, key);
      for (const how of ['query', 'accept'] as const) {
        const sheet = await xlsx(path, how);
        expect(sheet.header.length, path).toBeGreaterThan(0);
        expect(sheet.rows.map((row) => row[id]), `${path} (${how})`).toEqual(json.map((item) => item[id]));
      }
    }
    // More than one JSON page: the demo store's 2,000 products, each with its stock level.
    expect((await xlsx('/api/v1/stock', 'query')).rows).toHaveLength(2000);
    const filtered = await xlsx('/api/v1/products/search?sku=P000003', 'query');
    expect(filtered.rows).toEqual([expect.objectContaining({ sku: 'P000003' })]);
  });
});
