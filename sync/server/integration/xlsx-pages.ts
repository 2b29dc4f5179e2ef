import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JsonSchema } from '../../schema/index.ts';
import { columnsOf, sendXlsx, wantsXlsx, XLSX_PAGE, type XlsxSheet } from '../http/xlsx.ts';

type Page = Record<string, unknown> & { nextCursor: string | null; hasMore: boolean };

/** An integration list page (`{ <key>: items, nextCursor, hasMore }`) as an .xlsx worksheet (API-03). */
function pageSheet(name: string, item: unknown, key: string): XlsxSheet<Page> {
  return {
    name,
    columns: columnsOf(item as JsonSchema),
    rows: (page) => page[key] as Record<string, unknown>[],
    // Feeds (sales movements) return a cursor on their last page too: hasMore says whether to go on.
    next: (page) => (page.hasMore ? page.nextCursor : null),
  };
}

/**
 * API-03 for the integration lists: the JSON page, or — when the caller asked for .xlsx (`?format=xlsx`
 * or the Accept header) — every page of the same selection as one worksheet, read `XLSX_PAGE` rows at a time.
 * `list(limit, cursor)` runs the route's own query with the caller's filters.
 */
export async function listOrXlsx<P extends Page>(
  request: FastifyRequest,
  reply: FastifyReply,
  sheet: { name: string; item: unknown; key: string },
  list: (limit: number | undefined, cursor: string | undefined) => Promise<P>,
): Promise<P | FastifyReply> {
  if (!wantsXlsx(request)) return list(undefined, undefined);
  return sendXlsx(reply, pageSheet(sheet.name, sheet.item, sheet.key), (cursor) => list(XLSX_PAGE, cursor ?? undefined));
}
