import ExcelJS from 'exceljs';
import { parseCsv, sheetRowText } from '../../../../sync/rules/index.ts';
import { SheetFileError } from './sheet-errors.ts';

export { SheetFileError, type SheetErrorCode } from './sheet-errors.ts';

/**
 * Reading and writing spreadsheet files on the device (issue 11 "Spreadsheets"): .xlsx through ExcelJS,
 * .csv through sync/rules' parseCsv (UTF-8, or Windows-1252 as Excel saves it in Brazil, `;` or `,`).
 * It runs inside the sheet worker (sheet-worker.ts), so a large file never blocks the screen; it is
 * plain code without DOM access, callable from a test as well.
 */
/** A sheet read as text: `rows[0]` is the header (spreadsheet row 1); rows keep their numbers (empty rows stay, as []). */
export interface SheetText {
  header: string[];
  rows: string[][];
}

export interface SheetToWrite {
  /** Worksheet name (≤ 31 characters, Excel's limit). */
  name: string;
  header: string[];
  /** One array per row; a number stays a number cell (sums work), a string stays text (a CPF keeps its zeros). */
  rows: (string | number | null)[][];
  /** Excel number format per column index, e.g. `#,##0.00` for money in reais. */
  numberFormats?: Record<number, string>;
}

const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b;
// Compound File Binary: the old .xls (Excel 97–2003).
const isOle2 = (bytes: Uint8Array) => bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;

/**
 * Reads the first worksheet of an .xlsx, or a .csv, into text cells.
 *
 * @param onProgress (rowsDone, rowsTotal) while the cells are read, every 1,000 rows
 * @throws SheetFileError `xls` for the old binary format (ask for .xlsx or .csv), `unreadable`, `empty`, `unknown_format`
 */
export async function readSheet(bytes: Uint8Array, fileName: string, onProgress?: (done: number, total: number) => void): Promise<SheetText> {
  const lower = fileName.toLowerCase();
  if (isOle2(bytes) || (lower.endsWith('.xls') && !isZip(bytes))) {
    throw new SheetFileError('xls', `${fileName} is an old Excel file (.xls). Save it as .xlsx (Excel Workbook) or .csv and choose it again.`);
  }
  let table: string[][];
  if (isZip(bytes)) table = await readXlsx(bytes, fileName, onProgress);
  else if (lower.endsWith('.csv') || lower.endsWith('.txt')) table = parseCsv(bytes);
  else throw new SheetFileError('unknown_format', `${fileName} is neither .xlsx nor .csv. Save it as .xlsx or .csv and choose it again.`);
  const [header, ...rows] = table;
  if (!header || header.every((cell) => cell.trim() === '')) throw new SheetFileError('empty', `${fileName} has no header row. The first row must name the columns (download the template).`);
  onProgress?.(rows.length, rows.length);
  return { header, rows };
}

async function readXlsx(bytes: Uint8Array, fileName: string, onProgress?: (done: number, total: number) => void): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new SheetFileError('unreadable', `${fileName} could not be read as .xlsx (${String(error)}). Open it in Excel, save it again as .xlsx and choose it again.`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SheetFileError('empty', `${fileName} has no worksheet.`);
  const table: string[][] = [];
  const total = sheet.rowCount;
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    table[number - 1] = sheetRowText(row);
    if (number % 1000 === 0) onProgress?.(number, total);
  });
  // Rows keep their spreadsheet numbers: a blank row in the middle stays as an empty row.
  for (let index = 0; index < table.length; index++) table[index] ??= [];
  return table;
}

/** Writes one worksheet (header in bold, frozen) as .xlsx bytes. */
export async function writeSheet(spec: SheetToWrite): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Balcão';
  const sheet = workbook.addWorksheet(spec.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(spec.header).font = { bold: true };
  for (const row of spec.rows) sheet.addRow(row);
  spec.header.forEach((header, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = Math.min(40, Math.max(10, header.length + 2));
    const format = spec.numberFormats?.[index];
    if (format) column.numFmt = format;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
