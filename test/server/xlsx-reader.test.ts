/**
 * The .xlsx reader thread (sync/server/http/xlsx-reader.ts): a sheet not read in time stops the thread,
 * so it cannot hold every later upload, and the next upload is read by a new thread.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxInWorker, XlsxReadTimeout } from '../../sync/server/http/xlsx-reader.ts';

async function sheet(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet('Consumo');
  worksheet.addRow(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade']);
  for (let i = 0; i < rows; i++) worksheet.addRow([`E-${i}`, 'CT-1', 'MIN', '01/10/2026', 1 + (i % 9)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('the .xlsx reader thread', () => {
  it('API-03 a sheet not read within the time allowed fails alone with XlsxReadTimeout, the uploads queued behind it fail with it, and the next upload is read by a new thread', async () => {
    const [big, small] = [await sheet(20_000), await sheet(3)];
    // The thread cannot even start within 1 ms: the first read times out, and the one queued behind it goes with the thread.
    const stuck = readXlsxInWorker(big, 100_000, 1);
    const queued = readXlsxInWorker(small, 100_000);
    await expect(stuck).rejects.toBeInstanceOf(XlsxReadTimeout);
    await expect(queued).rejects.toThrow(/stopped|terminated|exit/i);
    const next = await readXlsxInWorker(small, 100_000);
    expect('table' in next && next.table.map((row) => row?.[0])).toEqual(['ID externo', 'E-0', 'E-1', 'E-2']);
  });
});
