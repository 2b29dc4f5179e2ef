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

/** What the spreadsheet asks of a list beyond the caller's filters: larger pages from the start (a cursor the caller sent is not used), then the next cursor. Empty for the JSON page. */
export type PageOverride = { limit?: number; cursor?: string | undefined };

/**
 * API-03 for the integration lists: the JSON page, or — when the caller asked for .xlsx (`?format=xlsx`
 * or the Accept header) — every page of the same selection as one worksheet, read `XLSX_PAGE` rows at a time.
 * `list(page)` runs the route's own query with the caller's filters, overridden by `page`.
 */
export async function listOrXlsx<P extends Page>(
  request: FastifyRequest,
  reply: FastifyReply,
  sheet: { name: string; item: unknown; key: string },
  list: (page: PageOverride) => Promise<P>,
): Promise<P | FastifyReply> {
  if (!wantsXlsx(request)) return list({});
  return sendXlsx(reply, pageSheet(sheet.name, sheet.item, sheet.key), (cursor) => list({ limit: XLSX_PAGE, cursor: cursor ?? undefined }));
}
