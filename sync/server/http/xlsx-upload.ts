import type { FastifyInstance } from 'fastify';
import { ApiProblem } from './problem.ts';
import { assertXlsxInflatesWithin } from './xlsx-bounds.ts';
import { XLSX_TYPE } from './xlsx.ts';
import { readXlsxInWorker, XlsxReadTimeout } from './xlsx-reader.ts';

/**
 * API-03 uploads: a batch route that also takes an .xlsx body (Content-Type
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet). `acceptXlsxUploads(app)` lets
 * Fastify pass such a body through as bytes (up to MAX_XLSX_BYTES); `readXlsxUpload` turns it into text
 * cells with the same cell rules as the device's import (sync/rules sheetRowText: a merged range's value in its first cell only),
 * in a worker thread (xlsx-reader.ts) so a big sheet does not stall the server's other requests.
 */
export const MAX_XLSX_BYTES = 20 * 1024 * 1024;
/** Rows one upload may hold (the header excluded). */
export const MAX_XLSX_ROWS = 100_000;

export function acceptXlsxUploads(app: FastifyInstance): void {
  if (app.hasContentTypeParser(XLSX_TYPE)) return;
  app.addContentTypeParser(XLSX_TYPE, { parseAs: 'buffer', bodyLimit: MAX_XLSX_BYTES }, (_request, body, done) => done(null, body));
}

/**
 * The first worksheet: header (row 1) and data rows as text, rows kept at their spreadsheet numbers.
 *
 * @throws ApiProblem 415 for the old .xls format, 400 for a body that is not an .xlsx, has no header or too many rows,
 *   413 for one that unpacks past MAX_XLSX_INFLATED_BYTES (a zip bomb, xlsx-bounds.ts) or is not read within
 *   XLSX_READ_TIMEOUT_MS (xlsx-reader.ts)
 */
export async function readXlsxUpload(body: unknown): Promise<{ header: string[]; rows: string[][] }> {
  if (!Buffer.isBuffer(body)) throw new ApiProblem(400, 'validation_failed', `Send the .xlsx file as the request body with Content-Type ${XLSX_TYPE}.`);
  if (body[0] === 0xd0 && body[1] === 0xcf) throw new ApiProblem(415, 'validation_failed', 'This is an old Excel file (.xls). Save it as .xlsx (Excel Workbook) and send it again.');
  await assertXlsxInflatesWithin(body);
  const read = await readXlsxInWorker(body, MAX_XLSX_ROWS).catch((error: unknown) => {
    if (error instanceof XlsxReadTimeout) throw new ApiProblem(413, 'payload_too_large', `${error.message} Split it into smaller files and send them one by one.`);
    throw error;
  });
  if ('unreadable' in read) throw new ApiProblem(400, 'validation_failed', `The body could not be read as .xlsx (${read.unreadable}). Save the file again as .xlsx and send it again.`);
  const { table, rowCount } = read;
  if (rowCount > MAX_XLSX_ROWS + 1) throw new ApiProblem(400, 'validation_failed', `The sheet has more than ${MAX_XLSX_ROWS} rows. Split it into several uploads.`);
  for (let index = 0; index < table.length; index++) table[index] ??= [];
  const [header, ...rows] = table;
  if (!header || header.every((cell) => cell === '')) throw new ApiProblem(400, 'validation_failed', 'The first worksheet has no header row. Row 1 must name the columns (see the template headers in the API description).');
  return { header, rows };
}
