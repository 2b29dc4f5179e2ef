import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertXlsxInflatesWithin } from '../../sync/server/http/xlsx-bounds.ts';
import { login, startTestServer, type TestServer } from './support/servers.ts';
import { buildZip } from './support/zip.ts';

/**
 * API-03 spreadsheets in: an .xlsx is a zip, and ExcelJS inflates every part of it whole in memory, so
 * a "zip bomb" (a few compressed MB that inflate to gigabytes) would take the server's heap with every
 * store's requests. Uploads are inflated once under a bound first (xlsx-bounds.ts).
 */
const MB = 1024 * 1024;
const small = { bytes: 1 * MB, entries: 10 };

async function workbookBytes(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('consumo');
  sheet.addRow(['contrato', 'servico', 'quantidade']);
  for (let row = 0; row < 2_000; row++) sheet.addRow([`CT-${row}`, 'Tel', row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('API-03 an .xlsx upload is bounded before it is unpacked', () => {
  it('API-03 a real workbook passes; parts that inflate past the bound are refused with 413 before any is inflated', async () => {
    await expect(assertXlsxInflatesWithin(await workbookBytes())).resolves.toBeUndefined();
    const bomb = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(3 * MB) }]);
    expect(bomb.length).toBeLessThan(20_000);
    await expect(assertXlsxInflatesWithin(bomb, small)).rejects.toMatchObject({ statusCode: 413, code: 'payload_too_large' });
  });

  it('API-03 a part that claims a small size and inflates past it is stopped at its claim, not inflated whole', async () => {
    const liar = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(3 * MB), declaredSize: 1_024 }]);
    await expect(assertXlsxInflatesWithin(liar, small)).rejects.toMatchObject({ statusCode: 400, code: 'validation_failed', message: expect.stringMatching(/could not be read as \.xlsx/) });
  });

  it('API-03 too many parts, or a body that is no zip, is refused with a clear error', async () => {
    const many = buildZip(Array.from({ length: 11 }, (_v, i) => ({ name: `part-${i}.xml`, data: Buffer.from('<a/>') })));
    await expect(assertXlsxInflatesWithin(many, small)).rejects.toMatchObject({ statusCode: 413 });
    await expect(assertXlsxInflatesWithin(Buffer.from('contrato;servico;quantidade\n'), small)).rejects.toMatchObject({ statusCode: 400, code: 'validation_failed' });
  });
});

describe('API-03 the consumption upload route refuses a zip bomb (PGlite)', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    token = (await login(server, 'retaguarda', 'retaguarda123')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API-03 BO-04 a 1 KB upload whose sheet claims 300 MB answers 413 naming the bound, and the server goes on answering', async () => {
    const bomb = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1_024), declaredSize: 300 * MB }]);
    const answer = await fetch(`${server.url}/api/v1/billing/consumption/batch?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'idempotency-key': crypto.randomUUID() },
      body: new Uint8Array(bomb),
    });
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(answer.status).toBe(413);
    expect(body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('256 MB') });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
