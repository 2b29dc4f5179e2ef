import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConsumptionRecord, ReceivableStatus } from '../../schema/index.ts';
import { billingRunSchema, receivableListSchema, receivableSchema, RECEIVABLE_STATUSES } from '../../schema/index.ts';
import { billingPeriod, calendarDate } from '../../schema/common-fields.ts';
import type { Database } from '../db/database.ts';
import { loadDocumentsByField, lockStoreSequence } from '../db/documents.ts';
import { writeBatchIn } from '../sync/write-documents.ts';
import { writerOf } from '../auth/ownership.ts';
import type { Refusal } from '../rules/rule.ts';
import { authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { ApiProblem, problems } from '../http/problem.ts';
import { cancelBody, consumptionChangeBody, consumptionCreateBody, consumptionResponse, idParams, listOf, pageQuery, payBody, billingRunBody } from './api-schemas.ts';
import { runBilling } from './billing-run.ts';
import { assertBackoffice, changeOne, getLive, getLiveVersion, listLive } from './documents.ts';
import { etagOf, ifMatchOf } from '../http/etag.ts';
import { changeReceivable, InvalidCursor, listReceivables, ReceivableRefused, storeToday } from './receivables.ts';
import { storeNow } from '../sandbox/clock.ts';
import { ADD_ID_NOTE, BILLING_API, BILLING_RESOURCE } from './routes.ts';
import { retriedAdd, retriedByKey, type AddTarget } from './add-once.ts';
import { registerConsumptionBatchRoute } from './routes-consumption-batch.ts';
import { usageWarnings } from './usage-warnings.ts';
import { isCalendarDate } from '../../rules/index.ts';
import { warningHeader } from '../http/warning-header.ts';
import { columnsOf, liveSheet, sendXlsx, wantsXlsx, withXlsx, XLSX_PAGE, type XlsxSheet } from '../http/xlsx.ts';
import type { ReceivableList } from '../../schema/index.ts';

/** Receivables as a worksheet (API-03): the list's rows, then one row with the selection's total in cents. */
const RECEIVABLES_SHEET: XlsxSheet<ReceivableList> = {
  name: 'receivables',
  columns: columnsOf(receivableSchema),
  rows: (page) => page.receivables as unknown as Record<string, unknown>[],
  next: (page) => page.nextCursor,
  footer: (first) => [{ id: 'total', amountCents: first.totals.amountCents }],
};

const CONSUMPTION_ADD: AddTarget = { collection: 'consumption', what: 'Consumption record', changeWith: `PUT ${BILLING_API}/consumption/{id}` };

const USAGE_WARNING_NOTE =
  'A quantity that is most likely a typo (more than 1,000,000 units, or a charge of its own above R$ 100,000.00: sync/rules/usage-plausibility.ts) is written all the same, ' +
  'and the answer carries a `Warning: 299 - "…"` header saying so (the consumption/batch answer lists such items in `warnings`).';

/**
 * The `Warning` header for a consumption record just written whose quantity is implausible for its
 * service (BO-04, `implausibleUsage`: the same rule as the form, the spreadsheet dry run and the
 * batch); no header otherwise.
 */
async function usageWarning(db: Database, storeId: string, record: Record<string, unknown>): Promise<Record<string, string>> {
  const [warning] = await usageWarnings(db, storeId, [{ serviceId: String(record.serviceId), quantity: Number(record.quantity) }]);
  return warning ? warningHeader(warning.message) : {};
}

/** The schema's date pattern lets 2026-02-31 through; the database's date type does not. */
function assertDays(query: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    const value = query[field];
    if (typeof value === 'string' && !isCalendarDate(value)) throw new ApiProblem(400, 'validation_failed', `${field} ${value} is not a real day. Send YYYY-MM-DD.`, field);
  }
}

/**
 * Billing API (BO-04, BO-05, BO-06): consumption add/change/remove/get (idempotent by external id),
 * the monthly billing run, and receivables: list with filters and totals, mark paid, cancel.
 */
export function registerUsageRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const tags = ['api: billing consumption'];
  const nowIso = () => new Date().toISOString();

  app.get<{ Querystring: { contractId?: string; serviceId?: string; from?: string; to?: string; limit: number; cursor?: string } }>(
    `${BILLING_API}/consumption`,
    {
      schema: {
        tags,
        summary: 'List consumption (BO-04) of a contract, service or date range',
        querystring: { type: 'object', properties: { contractId: { type: 'string', maxLength: 64 }, serviceId: { type: 'string', maxLength: 64 }, from: calendarDate, to: calendarDate, ...pageQuery } },
        response: { 200: withXlsx(listOf(consumptionResponse, 'consumption')) },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      assertDays(request.query, ['from', 'to']);
      const { contractId, serviceId, from, to, limit, cursor } = request.query;
      if (wantsXlsx(request)) return sendXlsx(reply, liveSheet('consumption', consumptionResponse), (next) => listLive(ctx.db, session.store.id, 'consumption', { equals: { contractId, serviceId }, dateFrom: from, dateTo: to, limit: XLSX_PAGE, cursor: next }));
      const page = await listLive(ctx.db, session.store.id, 'consumption', { equals: { contractId, serviceId }, dateFrom: from, dateTo: to, limit, cursor });
      return { consumption: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: { id: string } }>(
    `${BILLING_API}/consumption/:id`,
    { schema: { tags, summary: 'Get a consumption record (BO-04)', params: idParams, response: { 200: consumptionResponse } }, preHandler, config: BILLING_RESOURCE },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const found = await getLiveVersion(ctx.db, session.store.id, 'consumption', request.params.id, 'Consumption record');
      void reply.header('etag', etagOf(found.seq));
      return found.data;
    },
  );

  app.post<{ Body: Omit<ConsumptionRecord, 'id' | 'externalId' | 'updatedAt'> & { id?: string; externalId?: string } }>(
    `${BILLING_API}/consumption`,
    {
      schema: {
        tags,
        summary: 'Add a consumption record (BO-04); the same record sent again with its externalId answers the existing record (200) instead of adding one',
        description:
          'Refused (422 `quarantined`) for a contract cancelled on or before the date (`contract_cancelled`), a billed period (`billed_period`: make a correcting record in an open period) or a service the contract does not have. ' +
          'The refused record is kept in GET /api/sync/errors, where it can be fixed and retried. ' +
          ADD_ID_NOTE +
          ' The same holds for `externalId`: a record holding it is answered only for the same add (same content, and the same `id` or none); otherwise 409 `idempotency_conflict` on `/externalId`. ' +
          USAGE_WARNING_NOTE,
        body: consumptionCreateBody,
        response: { 200: consumptionResponse, 201: consumptionResponse },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const id = request.body.id ?? randomUUID();
        const externalId = request.body.externalId ?? id;
        const doc = { ...request.body, id, externalId, userId: session.user.id, updatedAt: nowIso(), _deleted: false };
        // Looked up under the store's write lock, so concurrent sends of one external id make one record.
        const answer = await db.transaction(async (tx): Promise<{ existing?: Record<string, unknown>; refused?: Refusal }> => {
          await lockStoreSequence(tx, session.store.id);
          // A taken id is never replaced (add-once.ts): its exact retry answers the record, anything else is a 409.
          const retried = await retriedAdd(tx, session.store.id, CONSUMPTION_ADD, request.body.id, doc);
          if (retried) return { existing: retried };
          const existing = [...(await loadDocumentsByField(tx, session.store.id, 'consumption', ['externalId'], [externalId])).values()].find((found) => !found.deleted);
          if (existing) return { existing: retriedByKey(CONSUMPTION_ADD, 'externalId', existing.data, doc, request.body.id) };
          const outcome = await writeBatchIn(tx, { storeId: session.store.id, collection: 'consumption', checkConflicts: false, writer: writerOf(session, 'api') }, [{ newDocumentState: doc }]);
          return { refused: outcome.quarantined[0]?.refusal };
        });
        if (answer.existing) return { status: 200, body: answer.existing };
        if (answer.refused) throw new ApiProblem(422, 'quarantined', `${answer.refused.message} (reason: ${answer.refused.reason}; kept in GET /api/sync/errors)`);
        const created = await getLive(db, session.store.id, 'consumption', id, 'Consumption record');
        return { status: 201, body: created, headers: await usageWarning(db, session.store.id, created) };
      });
    },
  );

  app.put<{ Params: { id: string }; Body: Pick<ConsumptionRecord, 'serviceId' | 'quantity' | 'date' | 'description'> }>(
    `${BILLING_API}/consumption/:id`,
    {
      schema: {
        tags,
        summary: 'Change a consumption record (BO-04); refused for a billed period (make a correcting record instead)',
        description: USAGE_WARNING_NOTE,
        params: idParams,
        body: consumptionChangeBody,
        response: { 200: consumptionResponse },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        // Merged into the version stored when the store's lock is held, so a concurrent change is not written back over.
        const written = await changeOne(db, session, { collection: 'consumption', id: request.params.id, what: 'Consumption record' }, ifMatchOf(request), (current) => {
          const { description: _old, ...kept } = current;
          return { collection: 'consumption', doc: { ...kept, ...request.body, userId: session.user.id, updatedAt: nowIso(), _deleted: false } };
        });
        return { status: 200, body: written.data, headers: { etag: etagOf(written.seq), ...(await usageWarning(db, session.store.id, written.data)) } };
      });
    },
  );

  app.delete<{ Params: { id: string } }>(
    `${BILLING_API}/consumption/:id`,
    {
      schema: { tags, summary: 'Remove a consumption record (BO-04); refused for a billed period', params: idParams, response: { 200: { type: 'object', properties: { id: { type: 'string' }, removed: { type: 'boolean' } } } } },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        // The removal is judged (billed period) on the version stored when the store's lock is held, not on an older read.
        await changeOne(db, session, { collection: 'consumption', id: request.params.id, what: 'Consumption record' }, ifMatchOf(request), (current) => ({ collection: 'consumption', doc: { ...current, _deleted: true } }));
        return { status: 200, body: { id: request.params.id, removed: true } };
      });
    },
  );

  registerReceivableRoutes(app, ctx, preHandler);
  registerConsumptionBatchRoute(app, ctx);
}

function registerReceivableRoutes(app: FastifyInstance, ctx: ServerContext, preHandler: ReturnType<typeof authenticate>): void {
  const tags = ['api: billing receivables'];

  app.post<{ Body: { period: string } }>(
    `${BILLING_API}/billing-runs`,
    {
      schema: {
        tags,
        summary: 'Run the billing of a period (BO-05): fees of active contracts and the period\'s consumption become receivables',
        description:
          'Rules (sync/rules/billing.ts): the monthly fee in full, without proration, when the contract is active at the end of the month; usage beyond the included quantity × unit price; ' +
          'one receivable per contract and period, due on the billing day of the next month. Idempotent: running a period again adds nothing (`created: 0`). ' +
          'A contract whose charge exceeds R$ 1,000,000,000.00 is left unbilled and listed in `refused`; the others are billed. Periods: 1970-01 to 9998-12 (422 otherwise).',
        body: billingRunBody,
        response: { 200: billingRunSchema },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        try {
          return { status: 200, body: await runBilling(db, session.store.id, request.body.period, session.user.id) };
        } catch (error) {
          if (error instanceof RangeError) throw new ApiProblem(422, 'business_rule', error.message);
          throw error;
        }
      });
    },
  );

  app.get<{ Querystring: { customerId?: string; contractId?: string; status?: ReceivableStatus; period?: string; dueFrom?: string; dueTo?: string; limit: number; cursor?: string } }>(
    `${BILLING_API}/receivables`,
    {
      schema: {
        tags,
        summary: 'List receivables (contas a receber, BO-05) with filters; totals cover every matching row, to the cent',
        description: '`overdue` = open and due before today (America/Sao_Paulo). Ordered by due date, then id.',
        querystring: {
          type: 'object',
          properties: {
            customerId: { type: 'string', maxLength: 64 },
            contractId: { type: 'string', maxLength: 64 },
            status: { type: 'string', enum: RECEIVABLE_STATUSES },
            period: billingPeriod,
            dueFrom: calendarDate,
            dueTo: calendarDate,
            ...pageQuery,
          },
        },
        response: { 200: withXlsx(receivableListSchema) },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      assertDays(request.query, ['dueFrom', 'dueTo']);
      try {
        const today = storeToday(await storeNow(ctx.db, session.store.id)); // the store's clock: a sandbox's may be ahead
        if (wantsXlsx(request)) return await sendXlsx(reply, RECEIVABLES_SHEET, (next) => listReceivables(ctx.db, { storeId: session.store.id, today, ...request.query, limit: XLSX_PAGE, cursor: next }));
        return await listReceivables(ctx.db, { storeId: session.store.id, today, ...request.query });
      } catch (error) {
        if (error instanceof InvalidCursor) throw new ApiProblem(400, 'validation_failed', error.message, 'cursor');
        throw error;
      }
    },
  );

  const change = (kind: 'pay' | 'cancel') =>
    app.post<{ Params: { id: string }; Body: { paidAt?: string; reason?: string } }>(
      `${BILLING_API}/receivables/:id/${kind}`,
      {
        schema: {
          tags,
          summary: kind === 'pay' ? 'Mark a receivable paid (BO-05)' : 'Cancel a receivable with a reason (BO-05)',
          description: 'Open and overdue receivables change; repeating the same change answers it unchanged; a paid one cannot be cancelled, a cancelled one cannot be paid (409).',
          params: idParams,
          body: kind === 'pay' ? payBody : cancelBody,
          response: { 200: receivableSchema },
        },
        preValidation: async (request) => {
          request.body ??= {};
        },
        preHandler,
        config: BILLING_RESOURCE,
      },
      async (request, reply) => {
        const session = sessionOf(request);
        assertBackoffice(session);
        return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
          const what = kind === 'pay' ? ({ kind, paidAt: request.body.paidAt ?? new Date().toISOString(), userId: session.user.id } as const) : ({ kind, reason: request.body.reason!, userId: session.user.id } as const);
          try {
            const changed = await changeReceivable(db, session.store.id, storeToday(await storeNow(db, session.store.id)), request.params.id, what);
            if (!changed) throw problems.notFound(`Receivable ${request.params.id}`);
            return { status: 200, body: changed };
          } catch (error) {
            if (error instanceof ReceivableRefused) throw new ApiProblem(409, 'business_rule', error.message);
            throw error;
          }
        });
      },
    );
  change('pay');
  change('cancel');
}
