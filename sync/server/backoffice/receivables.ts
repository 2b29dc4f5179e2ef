import type { Receivable, ReceivableList, ReceivableStatus, ReceivableTotals } from '../../schema/index.ts';
import { STORE_TIME_ZONE, storeDay } from '../../rules/index.ts';
import { RECEIVABLE_STATUSES } from '../../schema/index.ts';
import type { Database, Queryable } from '../db/database.ts';

/**
 * Receivables list (BO-05): filters, keyset pagination and totals over everything the filters match.
 * `overdue` is derived: an open receivable whose due date is before `today` (YYYY-MM-DD, the store's
 * calendar day, given by the caller), so listing never writes.
 */
export interface ReceivableFilter {
  storeId: string;
  today: string;
  customerId?: string;
  contractId?: string;
  status?: ReceivableStatus;
  period?: string;
  /** Due date range, inclusive, YYYY-MM-DD. */
  dueFrom?: string;
  dueTo?: string;
  limit: number;
  /** From a previous page's nextCursor. */
  cursor?: string;
}

interface Row {
  id: string; customer_id: string; contract_id: string; period: string; due_text: string; amount_cents: string | number; status: ReceivableStatus;
  lines: Receivable['lines']; created_at: Date | string; paid_at: Date | string | null; cancelled_at: Date | string | null; cancel_reason: string | null; changed_by: string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toReceivable(row: Row): Receivable {
  return {
    id: row.id,
    customerId: row.customer_id,
    contractId: row.contract_id,
    period: row.period,
    dueDate: row.due_text,
    amountCents: Number(row.amount_cents),
    status: row.status,
    lines: row.lines,
    createdAt: iso(row.created_at)!,
    paidAt: iso(row.paid_at),
    cancelledAt: iso(row.cancelled_at),
    cancelReason: row.cancel_reason,
    changedBy: row.changed_by,
  };
}

// Selects with the derived status; $2 is today.
const WITH_STATUS = `
  SELECT store_id, id, customer_id, contract_id, period, due_date, to_char(due_date, 'YYYY-MM-DD') AS due_text, amount_cents,
         CASE WHEN status = 'open' AND due_date < $2::date THEN 'overdue' ELSE status END AS status,
         lines, created_at, paid_at, cancelled_at, cancel_reason, changed_by
    FROM receivables
   WHERE store_id = $1`;

function conditions(filter: ReceivableFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [filter.storeId, filter.today];
  const parts: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.customerId) add('customer_id = ?', filter.customerId);
  if (filter.contractId) add('contract_id = ?', filter.contractId);
  if (filter.status) add('status = ?', filter.status);
  if (filter.period) add('period = ?', filter.period);
  if (filter.dueFrom) add('due_date >= ?::date', filter.dueFrom);
  if (filter.dueTo) add('due_date <= ?::date', filter.dueTo);
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function decodeCursor(cursor: string): [string, string] | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'string')) return value as [string, string];
  } catch {
    /* answered as invalid below */
  }
  return null;
}

export class InvalidCursor extends Error {}

/** A page ordered by due date then id, and the totals of every matching row (to the cent). */
export async function listReceivables(db: Queryable, filter: ReceivableFilter): Promise<ReceivableList> {
  const { where, params } = conditions(filter);
  const totalsRows = await db.query<{ status: ReceivableStatus; count: string | number; amount: string | number | null }>(
    `SELECT status, count(*) AS count, sum(amount_cents) AS amount FROM (${WITH_STATUS}) AS r ${where} GROUP BY status`,
    params,
  );
  const byStatus = Object.fromEntries(RECEIVABLE_STATUSES.map((status) => [status, { count: 0, amountCents: 0 }])) as ReceivableTotals['byStatus'];
  for (const row of totalsRows) byStatus[row.status] = { count: Number(row.count), amountCents: Number(row.amount ?? 0) };
  const totals: ReceivableTotals = {
    count: RECEIVABLE_STATUSES.reduce((sum, status) => sum + byStatus[status].count, 0),
    amountCents: RECEIVABLE_STATUSES.reduce((sum, status) => sum + byStatus[status].amountCents, 0),
    byStatus,
  };
  const pageParams = [...params];
  let after = '';
  if (filter.cursor) {
    const position = decodeCursor(filter.cursor);
    if (!position) throw new InvalidCursor('The cursor is not one this server gave out. Start again without a cursor.');
    pageParams.push(position[0], position[1]);
    after = `${where ? ' AND' : 'WHERE'} (due_date, id COLLATE "C") > ($${pageParams.length - 1}::date, $${pageParams.length}::text)`;
  }
  pageParams.push(filter.limit + 1);
  const rows = await db.query<Row>(`SELECT * FROM (${WITH_STATUS}) AS r ${where}${after} ORDER BY due_date, id COLLATE "C" LIMIT $${pageParams.length}`, pageParams);
  const page = rows.slice(0, filter.limit).map(toReceivable);
  const lastRow = page.at(-1);
  const nextCursor = rows.length > filter.limit && lastRow ? Buffer.from(JSON.stringify([lastRow.dueDate, lastRow.id])).toString('base64url') : null;
  return { receivables: page, totals, nextCursor };
}

export async function findReceivable(db: Queryable, storeId: string, today: string, id: string): Promise<Receivable | null> {
  const rows = await db.query<Row>(`${WITH_STATUS} AND id = $3`, [storeId, today, id]);
  return rows[0] ? toReceivable(rows[0]) : null;
}

export type ReceivableChange = { kind: 'pay'; paidAt: string; userId: string } | { kind: 'cancel'; reason: string; userId: string };

/** Why a change was refused, in words the caller can act on. */
export class ReceivableRefused extends Error {}

/**
 * Marks a receivable paid or cancels it (with a reason). Open and overdue ones can change; doing again
 * what was already done answers the receivable unchanged (a retried request is harmless); a paid one
 * cannot be cancelled and a cancelled one cannot be paid.
 *
 * @returns the receivable after the change, or null when there is none with this id
 * @throws ReceivableRefused for a change its status does not allow
 */
export async function changeReceivable(db: Database, storeId: string, today: string, id: string, change: ReceivableChange): Promise<Receivable | null> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ status: string }>('SELECT status FROM receivables WHERE store_id = $1 AND id = $2 FOR UPDATE', [storeId, id]);
    const status = rows[0]?.status;
    if (status === undefined) return null;
    const target = change.kind === 'pay' ? 'paid' : 'cancelled';
    if (status !== target) {
      if (status !== 'open') {
        throw new ReceivableRefused(
          change.kind === 'pay'
            ? `Receivable ${id} is cancelled and cannot be paid. Make a new charge if the customer owes it.`
            : `Receivable ${id} is already paid and cannot be cancelled. Record a refund or credit outside the receivables instead.`,
        );
      }
      if (change.kind === 'pay') {
        await tx.query("UPDATE receivables SET status = 'paid', paid_at = $3, changed_by = $4 WHERE store_id = $1 AND id = $2", [storeId, id, change.paidAt, change.userId]);
      } else {
        await tx.query("UPDATE receivables SET status = 'cancelled', cancelled_at = now(), cancel_reason = $3, changed_by = $4 WHERE store_id = $1 AND id = $2", [storeId, id, change.reason, change.userId]);
      }
    }
    return findReceivable(tx, storeId, today, id);
  });
}

/** Open (incl. overdue) receivables per customer: count and sum in cents. */
export async function openReceivablesOf(tx: Queryable, storeId: string, customerIds: readonly string[]): Promise<Map<string, { count: number; amountCents: number }>> {
  const found = new Map<string, { count: number; amountCents: number }>();
  if (customerIds.length === 0) return found;
  const rows = await tx.query<{ customer_id: string; count: string | number; amount: string | number }>(
    "SELECT customer_id, count(*) AS count, sum(amount_cents) AS amount FROM receivables WHERE store_id = $1 AND status = 'open' AND customer_id = ANY($2::text[]) GROUP BY customer_id",
    [storeId, [...new Set(customerIds)]],
  );
  for (const row of rows) found.set(row.customer_id, { count: Number(row.count), amountCents: Number(row.amount) });
  return found;
}

/** The (contract, period) pairs among these that are billed (a receivable exists, whatever its status). */
export async function billedPeriods(tx: Queryable, storeId: string, pairs: readonly { contractId: string; period: string }[]): Promise<Set<string>> {
  const billed = new Set<string>();
  if (pairs.length === 0) return billed;
  const rows = await tx.query<{ contract_id: string; period: string }>(
    'SELECT contract_id, period FROM receivables WHERE store_id = $1 AND (contract_id, period) IN (SELECT * FROM unnest($2::text[], $3::text[]))',
    [storeId, pairs.map((pair) => pair.contractId), pairs.map((pair) => pair.period)],
  );
  for (const row of rows) billed.add(`${row.contract_id}|${row.period}`);
  return billed;
}

/** Today's calendar day (YYYY-MM-DD) in the store's calendar, São Paulo (Brazil's back offices bill by the local day): sync/rules storeDay. */
export function storeToday(now = new Date(), timeZone = STORE_TIME_ZONE): string {
  return storeDay(now, timeZone);
}
