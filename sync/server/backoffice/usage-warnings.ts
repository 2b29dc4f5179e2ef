import { implausibleUsage, type UsageWarning } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments } from '../db/documents.ts';

/**
 * The plausibility warning (BO-04, `implausibleUsage`: the rule of the form and the spreadsheet dry run)
 * of each consumption record, judged by its service as stored (price per unit, unit); null where the
 * quantity is plausible. One read of the services however many records. Used by the API's batch
 * (`warnings`) and its single-record writes (`Warning` header).
 */
export async function usageWarnings(db: Queryable, storeId: string, records: readonly { serviceId: string; quantity: number }[]): Promise<(UsageWarning | null)[]> {
  if (records.length === 0) return [];
  const services = await loadDocuments(db, storeId, 'backoffice', [...new Set(records.map((record) => record.serviceId))]);
  return records.map((record) => implausibleUsage(record.quantity, services.get(record.serviceId)?.data as { unitPriceCents?: number; unit?: string } | undefined));
}
