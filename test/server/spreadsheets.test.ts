import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, usageDoc, type BackofficeClient } from './support/backoffice.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Cell = string | number | boolean | null;

async function sheetOf(bytes: ArrayBuffer): Promise<Cell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const table: Cell[][] = [];
  workbook.worksheets[0]!.eachRow((row) => table.push((row.values as Cell[]).slice(1).map((value) => value ?? null)));
  return table;
}

async function xlsxOf(header: string[], data: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Consumo');
  sheet.addRow(header);
  for (const row of data) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The sheet's rows as objects keyed by the header row. */
const records = (table: Cell[][]) => table.slice(1).map((row) => Object.fromEntries(table[0]!.map((name, index) => [String(name), row[index] ?? null])));

describe.each(DATABASE_KINDS)('spreadsheets (API-03) on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const get = async (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bo.token}`, ...headers } });
  const upload = async (query: string, body: Buffer, contentType = XLSX) =>
    fetch(`${server.url}/api/v1/billing/consumption/batch${query}`, { method: 'POST', headers: { authorization: `Bearer ${bo.token}`, 'content-type': contentType, 'idempotency-key': crypto.randomUUID() }, body: new Uint8Array(body) });
  const liveUsage = async () => {
    const all: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page: { consumption: Record<string, unknown>[]; nextCursor: string | null } = (await bo.api('GET', `/consumption?contractId=ct-xl&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
      all.push(...page.consumption);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1), customer(2)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('min', { monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12 }), serviceDoc('gb', { monthlyFeeCents: 0, unit: 'GB', unitPriceCents: 250 }), contractDoc('ct-xl', 'bo-cust-1', [['min', 1], ['gb', 1]]), contractDoc('ct-other', 'bo-cust-2', [['min', 1]])))).body).toEqual([]);
    expect((await bo.push('backofficeActions', rows(requestDoc('rq-xl', 'ct-xl', 'activate'), requestDoc('rq-other', 'ct-other', 'activate')))).status).toBe(200);
    // 1,200 records: more than one page of the JSON list (at most 1,000 a page).
    const usage = Array.from({ length: 1200 }, (_, i) => usageDoc(`u-${i}`, 'ct-xl', i % 2 ? 'min' : 'gb', 1 + (i % 50), `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`));
    for (let start = 0; start < usage.length; start += 400) expect((await bo.push('consumption', rows(...usage.slice(start, start + 400)))).body).toEqual([]);
    expect((await bo.push('consumption', rows(usageDoc('u-other', 'ct-other', 'min', 7, '2026-10-02')))).body).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('API-03 BO-04 the consumption list as .xlsx (?format=xlsx and the Accept header) holds the whole selection with the same filters, every page', async () => {
    const json = await liveUsage();
    expect(json).toHaveLength(1200);
    for (const ask of [get('/api/v1/billing/consumption?contractId=ct-xl&format=xlsx'), get('/api/v1/billing/consumption?contractId=ct-xl', { accept: XLSX })]) {
      const response = await ask;
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(XLSX);
      expect(response.headers.get('content-disposition')).toContain('consumption.xlsx');
      const table = await sheetOf(await response.arrayBuffer());
      expect(table[0]).toEqual(expect.arrayContaining(['id', 'contractId', 'serviceId', 'quantity', 'date', 'externalId']));
      const sheetRows = records(table);
      expect(sheetRows).toHaveLength(1200);
      expect(sheetRows.map((row) => row.id)).toEqual(json.map((row) => row.id));
      expect(sheetRows.map((row) => row.quantity)).toEqual(json.map((row) => row.quantity));
      expect(new Set(sheetRows.map((row) => row.contractId))).toEqual(new Set(['ct-xl']));
    }
    // ?format=json wins over the Accept header; the JSON page keeps its limit.
    const page = await get('/api/v1/billing/consumption?contractId=ct-xl&format=json&limit=10', { accept: XLSX });
    expect(page.headers.get('content-type')).toContain('application/json');
    expect(((await page.json()) as { consumption: unknown[] }).consumption).toHaveLength(10);
  });

  it('API-03 BO-05 receivables as .xlsx: the same rows as the JSON list and a total row equal to its totals, to the cent', async () => {
    expect((await bo.api('POST', '/billing-runs', { period: '2026-10' }, { 'idempotency-key': crypto.randomUUID() })).status).toBe(200);
    const json = (await bo.api('GET', '/receivables?period=2026-10')).body as { receivables: { id: string; amountCents: number }[]; totals: { amountCents: number } };
    expect(json.receivables.length).toBe(2);
    const table = await sheetOf(await (await get('/api/v1/billing/receivables?period=2026-10&format=xlsx')).arrayBuffer());
    const sheetRows = records(table);
    const total = sheetRows.at(-1)!;
    expect(sheetRows.slice(0, -1).map((row) => [row.id, row.amountCents])).toEqual(json.receivables.map((r) => [r.id, r.amountCents]));
    expect(total).toMatchObject({ id: 'total', amountCents: json.totals.amountCents });
    // A filter narrows the sheet as it narrows the list.
    const one = records(await sheetOf(await (await get('/api/v1/billing/receivables?period=2026-10&customerId=bo-cust-2&format=xlsx')).arrayBuffer()));
    expect(one.slice(0, -1).map((row) => row.customerId)).toEqual(['bo-cust-2']);
  });

  it('API-03 the other billing lists and the /api/v1/:collection change feed answer .xlsx too', async () => {
    const customers = records(await sheetOf(await (await get('/api/v1/billing/customers?format=xlsx')).arrayBuffer()));
    expect(customers.map((row) => row.id)).toEqual(expect.arrayContaining(['bo-cust-1', 'bo-cust-2']));
    const contracts = records(await sheetOf(await (await get('/api/v1/billing/contracts?state=active&format=xlsx')).arrayBuffer()));
    expect(contracts.map((row) => row.id).sort()).toEqual(['ct-other', 'ct-xl']);
    // Nested values (contract lines) are JSON text in their cell.
    expect(JSON.parse(String(contracts[0]!.lines))).toEqual(expect.arrayContaining([expect.objectContaining({ serviceId: 'min' })]));
    const services = records(await sheetOf(await (await get('/api/v1/billing/services', { accept: XLSX })).arrayBuffer()));
    expect(services.map((row) => row.code).sort()).toEqual(['GB', 'MIN']);
    const feed = records(await sheetOf(await (await get('/api/v1/consumption?format=xlsx')).arrayBuffer()));
    expect(feed.length).toBe(1201);
    expect(feed.every((row) => row._deleted === false)).toBe(true);
  });

  it('API-03 BO-04 a consumption .xlsx upload: the dry run names every bad row and column and writes nothing; all or nothing refuses the batch; only the valid rows on request; re-sending updates by external id, never duplicates', async () => {
    const header = ['id externo', 'CONTRATO', 'Servico', 'data', 'Quantidade', 'Descrição'];
    const data: Cell[][] = [
      ['NEW-1', 'CT-XL', 'MIN', '05/11/2026', 10, 'nova'],
      ['NEW-2', 'CT-XL', 'NOPE', '05/11/2026', 10, ''],
      ['NEW-3', 'CT-XL', 'GB', '31/11/2026', 10, ''],
      ['NEW-1', 'CT-XL', 'GB', '06/11/2026', 1, 'repetido'],
      ['u-5', 'CT-XL', 'MIN', '06/10/2026', 6, ''],
      ['u-7', 'CT-XL', 'MIN', '08/10/2026', 99, ''],
    ];
    const before = await liveUsage();
    const dry = await upload('?dryRun=true', await xlsxOf(header, data));
    expect(dry.status).toBe(200);
    const report = (await dry.json()) as { errors: { row: number; column: string; reason: string }[]; accepted: number; written: number; unchanged: number; checked: number };
    expect(report.errors.map((error) => [error.row, error.column])).toEqual([[3, 'Serviço'], [4, 'Data'], [5, 'ID externo'], [7, 'Data']]);
    // u-7 changes a record of a billed period (2026-10 was billed above): the server's own rule refuses it, also in a dry run;
    // u-5 equals its record: unchanged, nothing to write.
    expect(report.errors[3]!.reason).toMatch(/already billed/);
    expect(report).toMatchObject({ checked: 6, written: 0, unchanged: 1 });
    expect(await liveUsage()).toEqual(before);

    const refused = await upload('', await xlsxOf(header, data));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { written: number }).written).toBe(0);
    expect(await liveUsage()).toEqual(before);

    const valid = await upload('?mode=valid', await xlsxOf(header, data));
    expect(valid.status).toBe(200);
    expect(await valid.json()).toMatchObject({ written: 1, accepted: 1 });
    const added = (await liveUsage()).filter((row) => row.externalId === 'NEW-1');
    expect(added).toMatchObject([{ quantity: 10, serviceId: 'min', date: '2026-11-05', description: 'nova' }]);

    // The same good row again: unchanged; with another quantity: that record changes, nothing is added.
    expect(await (await upload('', await xlsxOf(header, [data[0]!]))).json()).toMatchObject({ written: 0, unchanged: 1, errors: [] });
    expect(await (await upload('', await xlsxOf(header, [['NEW-1', 'CT-XL', 'MIN', '05/11/2026', 12, 'nova']]))).json()).toMatchObject({ written: 1, unchanged: 0 });
    const after = await liveUsage();
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((row) => row.externalId === 'NEW-1')).toMatchObject({ id: added[0]!.id, quantity: 12 });
  });

  it('API-03 BO-04 the consumption batch also takes JSON items (errors by JSON pointer), and refuses an old .xls with a clear message', async () => {
    const items = [
      { externalId: 'J-1', contractId: 'ct-xl', serviceId: 'min', quantity: 3, date: '2026-11-07' },
      { externalId: 'J-1', contractId: 'ct-xl', serviceId: 'min', quantity: 4, date: '2026-11-07' },
    ];
    const dry = await bo.api('POST', '/consumption/batch?dryRun=true', { items }, { 'idempotency-key': crypto.randomUUID() });
    expect(dry.body).toMatchObject({ dryRun: true, written: 0, accepted: 1, errors: [{ pointer: '/items/1/externalId' }] });
    const written = await bo.api('POST', '/consumption/batch?mode=valid', { items }, { 'idempotency-key': crypto.randomUUID() });
    expect(written.body).toMatchObject({ written: 1 });
    const xls = await upload('', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(xls.status).toBe(415);
    expect(JSON.stringify(await xls.json())).toMatch(/\.xls.*Save it as \.xlsx/);
  });

  it('API-03 the OpenAPI document declares .xlsx on the lists and the upload', async () => {
    const doc = (await (await get('/docs/json')).json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: { content: Record<string, unknown> } }>> };
    for (const path of ['/api/v1/billing/consumption', '/api/v1/billing/receivables', '/api/v1/billing/customers', '/api/v1/billing/services', '/api/v1/billing/contracts', '/api/v1/customers']) {
      const list = doc.paths[path]!.get!;
      expect(Object.keys(list.responses['200']!.content!), path).toEqual(expect.arrayContaining(['application/json', XLSX]));
      expect(list.parameters?.map((p) => p.name), path).toContain('format');
    }
    expect(Object.keys(doc.paths['/api/v1/billing/consumption/batch']!.post!.requestBody!.content)).toEqual(expect.arrayContaining(['application/json', XLSX]));
  });
});
