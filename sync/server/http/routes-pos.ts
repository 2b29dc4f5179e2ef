import type { FastifyInstance } from 'fastify';
import type { CollectionName, PosAuditEntry, PosSaleEntry, PosSummary } from '../../schema/index.ts';
import type { Session } from '../auth/sessions.ts';
import { listAudit, listSales, salesSummary, type ReportScope } from '../db/pos-reports.ts';
import { assertCanRead, authenticate, readScopeOf, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { inTimeZone, parsePeriod, periodQueryProperties, type PeriodQuery } from './period.ts';
import { problems } from './problem.ts';

const stationIdProperty = { type: 'string', minLength: 1, maxLength: 64, description: 'One station; a station signed in as non-admin may only ask for itself' } as const;
const limitProperty = { type: 'integer', minimum: 1, maximum: 10_000, default: 1_000 } as const;
const nullableText = { type: ['string', 'null'] } as const;

const counted = { salesCount: { type: 'integer' } } as const;
const summarySchema = {
  type: 'object',
  properties: {
    from: nullableText,
    to: nullableText,
    stationId: nullableText,
    timeZone: { type: 'string' },
    salesCount: { type: 'integer' },
    paidCents: { type: 'integer' },
    cancelledCount: { type: 'integer' },
    byPaymentType: {
      type: 'array',
      items: { type: 'object', properties: { paymentTypeId: { type: 'string' }, name: nullableText, ...counted, amountCents: { type: 'integer' }, interestCents: { type: 'integer' } } },
    },
    bySeller: { type: 'array', items: { type: 'object', properties: { sellerId: { type: 'string' }, name: nullableText, ...counted, paidCents: { type: 'integer' } } } },
    byDay: { type: 'array', items: { type: 'object', properties: { day: { type: 'string' }, ...counted, paidCents: { type: 'integer' } } } },
    waiting: { type: 'object', properties: { quarantinedSales: { type: 'integer' }, quarantinedCents: { type: 'integer' }, pendingUploads: { type: 'integer' } } },
  },
} as const;

const salesSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      sale: { type: 'object', additionalProperties: true },
      syncState: { type: 'string', enum: ['accepted', 'quarantined'] },
      quarantine: { type: ['object', 'null'], properties: { reason: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

const auditSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' }, at: { type: 'string' }, userId: { type: 'string' }, userName: nullableText, supervisorId: nullableText, supervisorName: nullableText, stationId: { type: 'string' },
      action: { type: 'string' }, subjectId: nullableText, detail: nullableText,
    },
  },
} as const;

/** The store for an admin (or one station of it); a non-admin only ever sees its own station. */
function reportScope(session: Session, collection: CollectionName, requested: string | undefined): ReportScope {
  assertCanRead(session, collection);
  const own = readScopeOf(session, collection).stationId;
  if (own === null) return { storeId: session.store.id, stationId: requested ?? null };
  if (requested !== undefined && requested !== own) throw problems.forbidden(`You may only query your own station's records, not station ${requested}.`);
  return { storeId: session.store.id, stationId: own };
}

type PeriodRequest = PeriodQuery & { stationId?: string };

/** Per-station query, sales summary and audit trail for the admin UI and outside systems (POS-12, POS-15, POS-16). */
export function registerPosRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const tags = ['pos'];

  app.get<{ Querystring: PeriodRequest & { limit: number } }>(
    '/api/pos/sales',
    {
      schema: {
        tags,
        summary: "Sales of a period by createdAt, each with its state on the server (accepted or quarantined) (POS-12)",
        description: 'Station-scoped for non-admins. Sales only in quarantine are listed too; they are in no total until fixed.',
        querystring: { type: 'object', properties: { ...periodQueryProperties, stationId: stationIdProperty, limit: limitProperty } },
        response: { 200: salesSchema },
      },
      preHandler,
    },
    async (request): Promise<PosSaleEntry[]> => {
      const session = sessionOf(request);
      const scope = reportScope(session, 'sales', request.query.stationId);
      const period = parsePeriod(request.query);
      return inTimeZone(period, () => listSales(ctx.db, scope, period, request.query.limit));
    },
  );

  app.get<{ Querystring: PeriodRequest }>(
    '/api/pos/summary',
    {
      schema: {
        tags,
        summary: 'Sales summary in integer cents: per payment type, seller and day (POS-15)',
        description:
          'Cancelled sales are excluded; an exchange counts what the customer paid (payments incl. interest, minus change). ' +
          'Change comes off the cash payment. Quarantined sales and uploads still waiting on stations are reported apart under `waiting`.',
        querystring: { type: 'object', properties: { ...periodQueryProperties, stationId: stationIdProperty } },
        response: { 200: summarySchema },
      },
      preHandler,
    },
    async (request): Promise<PosSummary> => {
      const session = sessionOf(request);
      const scope = reportScope(session, 'sales', request.query.stationId);
      const period = parsePeriod(request.query);
      const totals = await inTimeZone(period, () => salesSummary(ctx.db, scope, period));
      return { from: request.query.from ?? null, to: request.query.to ?? null, stationId: scope.stationId, timeZone: period.timeZone, ...totals };
    },
  );

  app.get<{ Querystring: PeriodRequest & { userId?: string; limit: number } }>(
    '/api/pos/audit',
    {
      schema: {
        tags,
        summary: 'Audit trail, newest first: who did what, when, on which station (POS-16)',
        querystring: {
          type: 'object',
          properties: { ...periodQueryProperties, stationId: stationIdProperty, userId: { type: 'string', minLength: 1, maxLength: 64 }, limit: limitProperty },
        },
        response: { 200: auditSchema },
      },
      preHandler,
    },
    async (request): Promise<PosAuditEntry[]> => {
      const session = sessionOf(request);
      const scope = reportScope(session, 'auditEvents', request.query.stationId);
      const period = parsePeriod(request.query);
      return inTimeZone(period, () => listAudit(ctx.db, scope, period, { userId: request.query.userId ?? null, limit: request.query.limit }));
    },
  );
}

