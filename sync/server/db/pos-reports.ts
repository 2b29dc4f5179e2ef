import type { PosAuditEntry, PosSaleEntry, PosSummary, QuarantineReason } from '../../schema/index.ts';
import type { Queryable } from './database.ts';

/**
 * POS reports (POS-12, POS-15, POS-16), computed by PostgreSQL over the documents' jsonb, set-based.
 * Every query takes the period and scope as $2…$7 so they share one definition of "the period".
 */
export interface Period {
  /** An instant (inclusive), or a day whose local midnight in `timeZone` starts the period. */
  fromInstant: string | null;
  fromDay: string | null;
  /** An instant (exclusive), or a day that is included up to its end in `timeZone`. */
  toInstant: string | null;
  toDay: string | null;
  timeZone: string;
}

export interface ReportScope {
  storeId: string;
  /** null: every station of the store. */
  stationId: string | null;
}

const BOUNDS = `bounds AS (
  SELECT coalesce($2::timestamptz, $3::date::timestamp AT TIME ZONE $6::text) AS lo,
         coalesce($4::timestamptz, ($5::date + 1)::timestamp AT TIME ZONE $6::text) AS hi
)`;

/** `at` (a timestamptz expression) is inside the period. */
function inPeriod(at: string): string {
  return `(b.lo IS NULL OR ${at} >= b.lo) AND (b.hi IS NULL OR ${at} < b.hi)`;
}

/**
 * When a record happened: its device time, or — for a record stored before times were checked, whose
 * device time PostgreSQL cannot read — the time the server stored it. One such record must not break
 * a report (balcao_instant never raises, see migration-012-hardening.ts).
 */
function happenedAt(deviceTime: string, storedAt: string): string {
  return `coalesce(balcao_instant(${deviceTime}), ${storedAt})`;
}

function baseParams(scope: ReportScope, period: Period): unknown[] {
  return [scope.storeId, period.fromInstant, period.fromDay, period.toInstant, period.toDay, period.timeZone, scope.stationId];
}

/** What a sale brought in: its payments (interest included) minus change; an exchange thus counts what was paid. */
const PAID = (sale: string) => `((SELECT coalesce(sum((x->>'amountCents')::bigint), 0) FROM jsonb_array_elements(${sale}->'payments') x) - (${sale}->>'changeCents')::bigint)`;

const OPEN_SALE_REFUSALS = `quarantine q WHERE q.store_id = $1 AND q.collection = 'sales' AND q.resolved_at IS NULL`;
const NOT_STORED = `NOT EXISTS (SELECT 1 FROM documents s WHERE s.store_id = $1 AND s.collection = 'sales' AND s.id = q.document_id AND NOT s.deleted)`;

/** Sales of the period by createdAt: the stored ones, and the ones only in quarantine. */
export async function listSales(db: Queryable, scope: ReportScope, period: Period, limit: number): Promise<PosSaleEntry[]> {
  const rows = await db.query<{ sale: Record<string, unknown>; sync_state: PosSaleEntry['syncState']; reason: QuarantineReason | null; message: string | null }>(
    `WITH ${BOUNDS}
     SELECT e.sale, e.sync_state, e.reason, e.message FROM (
       SELECT d.data AS sale, 'accepted' AS sync_state, q.reason, q.message, ${happenedAt("d.data->>'createdAt'", 'd.updated_at')} AS created_at
         FROM documents d
         LEFT JOIN quarantine q ON q.store_id = d.store_id AND q.collection = 'sales' AND q.document_id = d.id AND q.resolved_at IS NULL
        WHERE d.store_id = $1 AND d.collection = 'sales' AND NOT d.deleted AND ($7::text IS NULL OR d.station_id = $7)
       UNION ALL
       SELECT q.document - '_deleted', 'quarantined', q.reason, q.message, ${happenedAt("q.document->>'createdAt'", 'q.created_at')}
         FROM ${OPEN_SALE_REFUSALS} AND ($7::text IS NULL OR q.station_id = $7) AND ${NOT_STORED}
     ) e CROSS JOIN bounds b
     WHERE ${inPeriod('e.created_at')}
     ORDER BY e.created_at, e.sale->>'id'
     LIMIT $8`,
    [...baseParams(scope, period), limit],
  );
  return rows.map((row) => ({
    sale: row.sale,
    syncState: row.sync_state,
    quarantine: row.reason ? { reason: row.reason, message: row.message ?? '' } : null,
  }));
}

/**
 * Totals per payment type, seller and day in one statement, so the three always come from the same
 * snapshot and add up to the same paid total.
 */
export async function salesSummary(db: Queryable, scope: ReportScope, period: Period): Promise<Omit<PosSummary, 'from' | 'to' | 'stationId' | 'timeZone'>> {
  const [row] = await db.query<{ summary: Omit<PosSummary, 'from' | 'to' | 'stationId' | 'timeZone'> }>(
    `WITH ${BOUNDS},
     period_sales AS (
       SELECT d.id, d.data, ${happenedAt("d.data->>'createdAt'", 'd.updated_at')} AS created_at
         FROM documents d CROSS JOIN bounds b
        WHERE d.store_id = $1 AND d.collection = 'sales' AND NOT d.deleted AND ($7::text IS NULL OR d.station_id = $7)
          AND ${inPeriod(happenedAt("d.data->>'createdAt'", 'd.updated_at'))}
     ),
     live AS (
       SELECT p.*, ${PAID('p.data')} AS paid FROM period_sales p WHERE p.data->>'status' = 'finished'
     ),
     payment AS (
       SELECT l.id, l.data, x.value AS pay, x.ord, m.data->>'method' AS method, m.data->>'name' AS name
         FROM live l
        CROSS JOIN LATERAL jsonb_array_elements(l.data->'payments') WITH ORDINALITY AS x(value, ord)
         LEFT JOIN documents m ON m.store_id = $1 AND m.collection = 'masterdata' AND m.id = x.value->>'paymentTypeId'
     ),
     -- Change is handed out in cash: it comes off the sale's largest cash payment.
     change_from AS (
       SELECT DISTINCT ON (id) id, ord FROM payment
        ORDER BY id, coalesce(method = 'cash', false) DESC, (pay->>'amountCents')::bigint DESC, ord
     ),
     by_type AS (
       SELECT p.pay->>'paymentTypeId' AS "paymentTypeId", max(p.name) AS name, count(DISTINCT p.id) AS "salesCount",
              sum((p.pay->>'amountCents')::bigint - CASE WHEN c.id IS NULL THEN 0 ELSE (p.data->>'changeCents')::bigint END) AS "amountCents",
              sum(coalesce((p.pay->>'interestCents')::bigint, 0)) AS "interestCents"
         FROM payment p LEFT JOIN change_from c ON c.id = p.id AND c.ord = p.ord
        GROUP BY 1
     ),
     by_seller AS (
       SELECT l.data->>'sellerId' AS "sellerId", max(m.data->>'name') AS name, count(*) AS "salesCount", sum(l.paid) AS "paidCents"
         FROM live l LEFT JOIN documents m ON m.store_id = $1 AND m.collection = 'masterdata' AND m.id = l.data->>'sellerId'
        GROUP BY 1
     ),
     by_day AS (
       SELECT to_char(l.created_at AT TIME ZONE $6::text, 'YYYY-MM-DD') AS day, count(*) AS "salesCount", sum(l.paid) AS "paidCents"
         FROM live l GROUP BY 1
     ),
     refused AS (
       SELECT q.document FROM ${OPEN_SALE_REFUSALS} AND ($7::text IS NULL OR q.station_id = $7) AND ${NOT_STORED}
          AND q.document->>'status' = 'finished'
          AND EXISTS (SELECT 1 FROM bounds b WHERE ${inPeriod(happenedAt("q.document->>'createdAt'", 'q.created_at'))})
     )
     SELECT jsonb_build_object(
       'salesCount', (SELECT count(*) FROM live),
       'paidCents', (SELECT coalesce(sum(paid), 0) FROM live),
       'cancelledCount', (SELECT count(*) FROM period_sales WHERE data->>'status' = 'cancelled'),
       'byPaymentType', coalesce((SELECT jsonb_agg(to_jsonb(t) ORDER BY t."paymentTypeId") FROM by_type t), '[]'::jsonb),
       'bySeller', coalesce((SELECT jsonb_agg(to_jsonb(t) ORDER BY t."sellerId") FROM by_seller t), '[]'::jsonb),
       'byDay', coalesce((SELECT jsonb_agg(to_jsonb(t) ORDER BY t.day) FROM by_day t), '[]'::jsonb),
       'waiting', jsonb_build_object(
         'quarantinedSales', (SELECT count(*) FROM refused),
         'quarantinedCents', (SELECT coalesce(sum(${PAID('document')}), 0) FROM refused),
         'pendingUploads', (SELECT coalesce(sum(pending_uploads), 0) FROM stations WHERE store_id = $1 AND ($7::text IS NULL OR id = $7))
       )
     ) AS summary`,
    baseParams(scope, period),
  );
  if (!row) throw new Error('the summary query returned no row');
  return row.summary;
}

export interface AuditFilter {
  userId: string | null;
  limit: number;
}

/** Audit events of the period, newest first (by the device's `at`, then by arrival). */
export async function listAudit(db: Queryable, scope: ReportScope, period: Period, filter: AuditFilter): Promise<PosAuditEntry[]> {
  const rows = await db.query<{ data: Record<string, string | undefined>; user_name: string | null; supervisor_name: string | null }>(
    `WITH ${BOUNDS}
     SELECT d.data, u.name AS user_name, s.name AS supervisor_name
       FROM documents d CROSS JOIN bounds b
       LEFT JOIN users u ON u.store_id = d.store_id AND u.id = d.data->>'userId'
       LEFT JOIN users s ON s.store_id = d.store_id AND s.id = d.data->>'supervisorId'
      WHERE d.store_id = $1 AND d.collection = 'auditEvents' AND NOT d.deleted AND ($7::text IS NULL OR d.station_id = $7)
        AND ($8::text IS NULL OR d.data->>'userId' = $8) AND ${inPeriod(happenedAt("d.data->>'at'", 'd.updated_at'))}
      ORDER BY ${happenedAt("d.data->>'at'", 'd.updated_at')} DESC, d.seq DESC
      LIMIT $9`,
    [...baseParams(scope, period), filter.userId, filter.limit],
  );
  return rows.map(({ data, user_name, supervisor_name }) => ({
    id: String(data.id),
    at: String(data.at),
    userId: String(data.userId),
    userName: user_name,
    // POS-20: who authorised it, when a supervisor did.
    supervisorId: data.supervisorId ?? null,
    supervisorName: supervisor_name,
    stationId: String(data.stationId),
    action: String(data.action),
    subjectId: data.subjectId ?? null,
    detail: data.detail ?? null,
  }));
}
