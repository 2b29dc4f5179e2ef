import { nextPeriodFirstDay, periodDays, periodEnd } from '../../rules/index.ts';
import type { BillingRunResult } from '../../schema/index.ts';
import type { Database } from '../db/database.ts';
import { lockStoreSequence } from '../db/documents.ts';
import { enqueueReceivableEvents } from '../webhooks/receivable-events.ts';

/**
 * The monthly billing run (BO-05): one INSERT … SELECT turns the period's contracts and consumption
 * into receivables, with the rules of sync/rules/billing.ts (no proration; the fee when active at the
 * month's end; usage beyond the included quantity; due on the billing day of the next month). The month is
 * one of the store's calendar (São Paulo): it ends at the store's local midnight, periodEnd — the same
 * function the device and the rule use.
 *
 * Idempotent: one receivable per (store, contract, period) and ON CONFLICT DO NOTHING, so a second run
 * of a period adds nothing, and two concurrent runs make each charge once. The run holds the store's
 * sequence lock, like every document write, so no consumption upload can slip into a period while it
 * is being billed (and be left unbilled with the period closed behind it).
 *
 * A contract whose charge for the period exceeds the largest amount a receivable holds (MAX_CHARGE_CENTS)
 * is left unbilled and named in `refused`, with why: the other contracts are billed; once its quantities
 * or prices are corrected, running the period again bills it.
 *
 * @param period YYYY-MM, from 1970-01 to 9998-12 (its receivables fall due in the next month)
 * @returns how many receivables this run created, their sum in cents, and the contracts it refused
 * @throws RangeError for a period outside that range (nothing is written then)
 */
export async function runBilling(db: Database, storeId: string, period: string, userId: string): Promise<BillingRunResult> {
  const [year, month] = period.split('-').map(Number) as [number, number];
  if (!(year >= 1970 && year <= 9998 && month >= 1 && month <= 12)) throw new RangeError(`Period ${period} cannot be billed: choose a month from 1970-01 to 9998-12.`);
  const { first, last } = periodDays(period);
  const nextFirst = nextPeriodFirstDay(period);
  const nextLastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = periodEnd(period); // the store's local midnight beginning nextFirst
  return db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const answer = await tx.query<{ kind: 'created' | 'too_large'; id: string; amount: string }>(BILLING_SQL, [storeId, period, first, last, end, nextFirst, nextLastDay, last, MAX_CHARGE_CENTS]);
    const rows = answer.filter((row) => row.kind === 'created');
    const refused = answer
      .filter((row) => row.kind === 'too_large')
      .map((row) => ({ contractId: row.id, reason: 'charge_too_large' as const, message: `Contract ${row.id}: its charge for ${period} (${row.amount} cents) exceeds the largest amount a receivable holds (${MAX_CHARGE_CENTS} cents). Correct its quantities or prices, then run the period again.` }));
    const amountCents = rows.reduce((sum, row) => sum + Number(row.amount), 0);
    await enqueueReceivableEvents(tx, storeId, 'receivable.created', rows.map((row) => row.id)); // webhooks (API-02)
    await tx.query('INSERT INTO billing_runs (store_id, period, user_id, created, amount_cents) VALUES ($1, $2, $3, $4, $5)', [storeId, period, userId, rows.length, amountCents]);
    return { period, created: rows.length, amountCents, refused };
  });
}

/**
 * When a history entry happened. One stored before times were checked and unreadable to PostgreSQL
 * (balcao_instant, migration-012-hardening.ts) counts as long ago — it is history — instead of failing
 * the whole store's billing run.
 */
/** The largest amount of one receivable, in cents (sync/schema `cents`: R$ 1,000,000,000.00). */
const MAX_CHARGE_CENTS = 100_000_000_000;

const HISTORY_AT = (entry: string) => `coalesce(balcao_instant(${entry}.entry ->> 'at'), '-infinity'::timestamptz)`;

// $1 store, $2 period, $3 first day (text), $4 last day (a date), $5 first instant after the period (periodEnd:
// the store's local midnight beginning $6), $6 first day of the next month, $7 that month's number of days,
// $8 the last day as text (YYYY-MM-DD), $9 the largest charge (cents): a contract above it is answered as
// 'too_large' instead of stopping the run.
// Mirrors computeCharge and contractStateAt. A cancellation effective on day E counts from E's local midnight
// (localMidnight), which is before $5 = localMidnight($6) exactly when E < $6: compared as days, so the SQL
// needs no time zone of its own and cannot disagree with the rule's.
// `contracts` is MATERIALIZED and carries each contract's fee state: inlined, the planner evaluated the
// history sub-queries once per line and again in every expression that used the fee (the aggregate,
// its filter and the lines' JSON), which was most of the run on PGlite (5,000 contracts: 10 s → 5 s at load 13).
// `usage` compares the day as text (stored days are YYYY-MM-DD, sync/schema calendarDate): that is the
// expression of the index documents_consumption_contract, read in contract order, so the grouping needs
// no sort of the whole period (100,000 records: 2.4 s → 0.75 s on PGlite at load 17).
const BILLING_SQL = `
WITH contracts AS MATERIALIZED (
  SELECT c.id, c.data ->> 'customerId' AS customer_id, coalesce((c.data ->> 'billingDay')::int, 1) AS billing_day,
         coalesce(c.data -> 'lines', '[]'::jsonb) AS lines,
         CASE
           WHEN c.data ->> 'startDate' IS NULL OR (c.data ->> 'startDate')::date > $4::date THEN false
           WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(c.data -> 'history', '[]'::jsonb)) AS h(entry)
                         WHERE h.entry ->> 'action' = 'cancel'
                           AND (CASE WHEN h.entry ? 'effectiveDate' THEN (h.entry ->> 'effectiveDate')::date < $6::date
                                     ELSE ${HISTORY_AT('h')} < $5::timestamptz END)) THEN false
           ELSE coalesce((SELECT e.entry ->> 'to'
                            FROM jsonb_array_elements(coalesce(c.data -> 'history', '[]'::jsonb)) WITH ORDINALITY AS e(entry, n)
                           WHERE e.entry ->> 'action' <> 'cancel' AND ${HISTORY_AT('e')} < $5::timestamptz
                           ORDER BY e.n DESC LIMIT 1), 'draft') = 'active'
         END AS fee_applies
    FROM documents c
   WHERE c.store_id = $1 AND c.collection = 'backoffice' AND NOT c.deleted AND c.data ->> 'kind' = 'contract'
),
contract_lines AS (
  SELECT c.id AS contract_id, c.customer_id, c.billing_day, c.fee_applies, l.line, l.ord
    FROM contracts c
    CROSS JOIN LATERAL jsonb_array_elements(c.lines) WITH ORDINALITY AS l(line, ord)
),
usage AS (
  SELECT data ->> 'contractId' AS contract_id, data ->> 'serviceId' AS service_id, sum((data ->> 'quantity')::bigint) AS used
    FROM documents
   WHERE store_id = $1 AND collection = 'consumption' AND NOT deleted
     AND data ->> 'date' >= $3::text AND data ->> 'date' <= $8::text
   GROUP BY 1, 2
),
priced AS (
  SELECT cl.contract_id, cl.customer_id, cl.billing_day, cl.ord,
         cl.line ->> 'id' AS line_id,
         cl.line ->> 'serviceId' AS service_id,
         CASE WHEN cl.fee_applies
              THEN coalesce((cl.line ->> 'feeOverrideCents')::numeric, (s.data ->> 'monthlyFeeCents')::numeric, 0) * (cl.line ->> 'quantity')::numeric
              ELSE 0 END AS fee,
         coalesce(u.used, 0)::numeric AS used,
         coalesce((s.data ->> 'includedQuantity')::numeric, 0) * (cl.line ->> 'quantity')::numeric AS included,
         coalesce((cl.line ->> 'unitPriceOverrideCents')::numeric, (s.data ->> 'unitPriceCents')::numeric, 0) AS unit_price
    FROM contract_lines cl
    JOIN documents s ON s.store_id = $1 AND s.collection = 'backoffice' AND s.id = cl.line ->> 'serviceId' AND NOT s.deleted AND s.data ->> 'kind' = 'service'
    LEFT JOIN usage u ON u.contract_id = cl.contract_id AND u.service_id = cl.line ->> 'serviceId'
),
charges AS (
  SELECT contract_id, customer_id, billing_day,
         sum(fee + greatest(used - included, 0) * unit_price) AS amount,
         jsonb_agg(jsonb_build_object(
           'serviceId', service_id, 'lineId', line_id, 'feeCents', fee, 'usedQuantity', used, 'includedQuantity', included,
           'billedQuantity', greatest(used - included, 0), 'unitPriceCents', unit_price, 'meteredCents', greatest(used - included, 0) * unit_price
         ) ORDER BY ord) AS lines
    FROM priced
   GROUP BY contract_id, customer_id, billing_day
),
inserted AS (
  INSERT INTO receivables (store_id, id, customer_id, contract_id, period, due_date, amount_cents, lines)
  SELECT $1, 'rcv-' || $2 || '-' || contract_id, coalesce(customer_id, ''), contract_id, $2,
         $6::date + (least(billing_day, $7::int) - 1), amount, lines
    FROM charges
   WHERE amount > 0 AND amount <= $9::numeric
  ON CONFLICT (store_id, contract_id, period) DO NOTHING
  RETURNING id, amount_cents
)
SELECT 'created' AS kind, id, amount_cents::text AS amount FROM inserted
UNION ALL
SELECT 'too_large', contract_id, amount::text FROM charges WHERE amount > $9::numeric`;
