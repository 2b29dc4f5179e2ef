import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JsonSchema } from '../../schema/index.ts';

/**
 * API-03: every list of the API can be taken as an .xlsx spreadsheet, with the same filters, by
 * `?format=xlsx` or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
 * The whole selection (every page the JSON list would give, in the same order) is written through
 * ExcelJS's streaming writer while the pages are read, so memory stays flat for large lists.
 *
 * A list route adds one line at the top of its handler, after its access checks:
 *
 *   if (wantsXlsx(request)) return sendXlsx(reply, liveSheet('consumption', consumptionResponse), (cursor) => listLive(…, { …filters, limit: XLSX_PAGE, cursor }));
 *
 * and declares `...formatQuery` in its querystring and `withXlsx(schema)` as its 200 response.
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/**
 * Rows read per page while writing a spreadsheet: larger than a JSON page (the list queries sort their
 * whole selection for each page, so fewer, larger pages are much faster), small enough to stay flat in memory.
 */
export const XLSX_PAGE = 5000;
/** Excel's limit of characters in one cell. */
const CELL_MAX = 32_767;

/** The `format` query parameter of every list. */
export const formatQuery = {
  format: { type: 'string', enum: ['json', 'xlsx'], description: 'xlsx: the whole selection (every page, same filters and order) as one .xlsx worksheet; same as `Accept: ' + XLSX_TYPE + '`' },
} as const;

/** A list's 200 response in the OpenAPI document: the JSON page, or the .xlsx file. */
export function withXlsx(json: JsonSchema | Record<string, unknown>): Record<string, unknown> {
  return {
    description: 'The page as JSON, or the whole selection as .xlsx (`?format=xlsx` or the Accept header)',
    content: { 'application/json': { schema: json }, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  };
}

/** True when the caller asked for a spreadsheet: `?format=xlsx`, or an Accept header naming .xlsx (and no `?format=json`). */
export function wantsXlsx(request: FastifyRequest): boolean {
  const format = (request.query as { format?: unknown } | undefined)?.format;
  if (format === 'xlsx') return true;
  if (format !== undefined) return false;
  return (request.headers.accept ?? '').split(',').some((part) => part.trim().split(';')[0]!.trim().toLowerCase() === XLSX_TYPE);
}

/** How one list becomes a worksheet. */
export interface XlsxSheet<P, C = string> {
  /** Worksheet and file name (letters, digits, - and _). */
  name: string;
  /** Header row: the field names of the JSON items, in this order. */
  columns: readonly string[];
  rows(page: P): readonly Record<string, unknown>[];
  /** The cursor of the next page; null/undefined when this page is the last. */
  next(page: P): C | null | undefined;
  /** Rows after the data, from the first page (e.g. the selection's totals). */
  footer?(first: P): readonly Record<string, unknown>[];
}

/** Field names of an object schema, in its order: the columns of a list of those objects. */
export function columnsOf(schema: JsonSchema): string[] {
  return Object.keys(schema.properties ?? {});
}

/** The usual page shape of the billing lists (`listLive`: items + nextCursor). */
export function liveSheet(name: string, item: JsonSchema): XlsxSheet<{ items: readonly Record<string, unknown>[]; nextCursor: string | null }> {
  return { name, columns: columnsOf(item), rows: (page) => page.items, next: (page) => page.nextCursor };
}

/** A JSON value as a cell: numbers and booleans stay typed (exact integers: cents, quantities), objects become JSON text. */
function cell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > CELL_MAX ? text.slice(0, CELL_MAX) : text;
}

/**
 * Answers the whole selection as an .xlsx, streamed. The first page is read before anything is sent,
 * so a bad cursor or a database error is still a problem response; an error after that cuts the
 * download (the client sees a truncated file, never a partial one that looks complete).
 *
 * @param page reads one page from a cursor (undefined: the first page), with the route's filters
 */
export async function sendXlsx<P, C = string>(reply: FastifyReply, sheet: XlsxSheet<P, C>, page: (cursor: C | undefined) => Promise<P>): Promise<FastifyReply> {
  const first = await page(undefined);
  const stream = new PassThrough();
  // No styles (a bold header would need them): with styles ExcelJS's writer is about 3× slower per row.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const worksheet = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.addRow([...sheet.columns]).commit();
  const write = (rows: readonly Record<string, unknown>[]) => {
    for (const row of rows) worksheet.addRow(sheet.columns.map((column) => cell(row[column]))).commit();
  };
  const pump = async () => {
    let current = first;
    for (;;) {
      write(sheet.rows(current));
      const cursor = sheet.next(current);
      if (cursor === null || cursor === undefined) break;
      // The client reads slower than the database: wait for it instead of buffering the whole file.
      if (stream.writableNeedDrain) await once(stream, 'drain');
      current = await page(cursor);
    }
    write(sheet.footer?.(first) ?? []);
    worksheet.commit();
    await workbook.commit();
  };
  void pump().catch((error: unknown) => {
    reply.log.error({ err: error }, 'xlsx export cut');
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${sheet.name.replace(/[^\w-]/g, '_')}.xlsx"`)
    .send(stream);
}
