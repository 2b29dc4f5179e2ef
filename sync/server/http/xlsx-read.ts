import ExcelJS from 'exceljs';
import { sheetRowText } from '../../rules/index.ts';

/** What `readXlsxTable` found: the first worksheet's non-empty rows as text, at their spreadsheet numbers (index = row − 1). */
export type XlsxTable = { table: string[][]; rowCount: number } | { unreadable: string };

/**
 * Loads an .xlsx body (already bounded by xlsx-bounds.ts) and answers its first worksheet as text
 * cells, with the device import's cell rules (sync/rules sheetRowText). Rows past `maxRows` + 1 are
 * not turned into text; `rowCount` tells the caller there were more. Runs in the reader's worker
 * thread (xlsx-reader.ts): ExcelJS parses synchronously for seconds on a big sheet.
 */
export async function readXlsxTable(body: Uint8Array, maxRows: number): Promise<XlsxTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(body.buffer, body.byteOffset, body.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    return { unreadable: String(error) };
  }
  const sheet = workbook.worksheets[0];
  const table: string[][] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, number) => {
    if (number > maxRows + 1) return;
    table[number - 1] = sheetRowText(row);
  });
  return { table, rowCount: sheet?.rowCount ?? 0 };
}
