import type { Database, Queryable } from '../db/database.ts';
import { storeToday } from '../backoffice/receivables.ts';
import { storesAhead } from '../sandbox/clock.ts';
import { enqueueEvents, subscribedTypes } from './outbox.ts';

/**
 * Queues receivable.created / receivable.overdue for receivables of the store, in the caller's
 * transaction; `data` is the receivable as the API shows it (status `overdue` for the overdue event).
 * One statement when nobody subscribed to the type.
 */
export async function enqueueReceivableEvents(tx: Queryable, storeId: string, type: 'receivable.created' | 'receivable.overdue', ids: readonly string[]): Promise<void> {
  if (ids.length === 0 || !(await subscribedTypes(tx, storeId)).has(type)) return;
  const rows = await tx.query<{ id: string; data: Record<string, unknown> }>(
    `SELECT id, jsonb_build_object('id', id, 'customerId', customer_id, 'contractId', contract_id, 'period', period,
              'dueDate', to_char(due_date, 'YYYY-MM-DD'), 'amountCents', amount_cents,
              'status', CASE WHEN $3 THEN 'overdue' ELSE status END, 'lines', lines,
              'createdAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS data
       FROM receivables WHERE store_id = $1 AND id = ANY($2::text[]) ORDER BY id`,
    [storeId, [...ids], type === 'receivable.overdue'],
  );
  await enqueueEvents(tx, storeId, rows.map((row) => ({ type, resourceId: row.id, data: row.data })));
}

/**
 * Overdue is derived from the calendar (open and due before today in America/Sao_Paulo): no write makes
 * it happen, so the delivery worker sweeps. Each receivable is announced once: the marker and the event
 * are written in one transaction, and ON CONFLICT makes two server instances announce it once between them.
 * A receivable already overdue when nobody subscribed is marked all the same, so a new subscription
 * hears of receivables that become overdue after it, not of the whole past.
 *
 * @param now the worker's clock (injectable in tests)
 * @returns how many receivables became overdue in this sweep
 */
export async function sweepOverdueReceivables(db: Database, now: Date): Promise<number> {
  const today = storeToday(now);
  // A sandbox whose clock was moved forward (sandbox/clock.ts) has its own, later today.
  const ahead = await storesAhead(db);
  const aheadTodays = ahead.map((store) => storeToday(new Date(now.getTime() + store.offsetSeconds * 1000)));
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ store_id: string; receivable_id: string }>(
      `INSERT INTO webhook_overdue_seen (store_id, receivable_id)
       SELECT r.store_id, r.id FROM receivables r LEFT JOIN unnest($2::text[], $3::date[]) AS t(store_id, today) ON t.store_id = r.store_id
        WHERE r.status = 'open' AND r.due_date < coalesce(t.today, $1::date)
          AND NOT EXISTS (SELECT 1 FROM webhook_overdue_seen w WHERE w.store_id = r.store_id AND w.receivable_id = r.id)
       ON CONFLICT DO NOTHING
       RETURNING store_id, receivable_id`,
      [today, ahead.map((store) => store.storeId), aheadTodays],
    );
    const byStore = new Map<string, string[]>();
    for (const row of rows) byStore.set(row.store_id, [...(byStore.get(row.store_id) ?? []), row.receivable_id]);
    for (const [storeId, ids] of byStore) await enqueueReceivableEvents(tx, storeId, 'receivable.overdue', ids);
    return rows.length;
  });
}
