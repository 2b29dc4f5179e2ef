import { billingPeriod, calendarDate, cents, id, instant, reasonText, reference } from './common-fields.ts';
import type { JsonSchema } from './json-schema.ts';

/**
 * Receivables (`contas a receber`, BO-05) are made by the server's billing run and are read-mostly, so
 * they are not a replicated collection: the server keeps them in their own table, devices read them
 * through `GET /api/backoffice/receivables` and keep the last answer to show offline.
 *
 * Stored status is open, paid or cancelled; `overdue` is derived when listing (open and due before
 * today in the store's time zone), so it never needs a job to flip it.
 */
export const RECEIVABLE_STATUSES = ['open', 'paid', 'overdue', 'cancelled'] as const;
export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

export interface ReceivableLine {
  serviceId: string;
  lineId: string;
  /** Monthly fee charged for the line (fee × contracted quantity; 0 when the contract was not active). */
  feeCents: number;
  /** Usage of the period for the line (net of corrections). */
  usedQuantity: number;
  /** Units included in the fee (included quantity × contracted quantity). */
  includedQuantity: number;
  /** Units charged: max(0, used − included). */
  billedQuantity: number;
  unitPriceCents: number;
  meteredCents: number;
}

export interface Receivable {
  id: string;
  customerId: string;
  contractId: string;
  period: string;
  dueDate: string;
  amountCents: number;
  status: ReceivableStatus;
  lines: ReceivableLine[];
  createdAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** Who marked it paid or cancelled. */
  changedBy: string | null;
}

export interface ReceivableTotals {
  count: number;
  amountCents: number;
  byStatus: Record<ReceivableStatus, { count: number; amountCents: number }>;
}

export interface ReceivableList {
  receivables: Receivable[];
  /** Totals over every row matching the filters, not only the page. */
  totals: ReceivableTotals;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface BillingRunResult {
  period: string;
  /** Receivables this run created; 0 when the period was already billed for every contract. */
  created: number;
  /** Their sum in cents. */
  amountCents: number;
  /** Contracts left unbilled, with why (a charge beyond the largest amount); run the period again once fixed. */
  refused: { contractId: string; reason: 'charge_too_large'; message: string }[];
}

const line: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    serviceId: reference,
    lineId: reference,
    feeCents: cents,
    usedQuantity: { type: 'integer' },
    includedQuantity: { type: 'integer' },
    billedQuantity: { type: 'integer' },
    unitPriceCents: cents,
    meteredCents: cents,
  },
  required: ['serviceId', 'lineId', 'feeCents', 'usedQuantity', 'includedQuantity', 'billedQuantity', 'unitPriceCents', 'meteredCents'],
};

const nullableInstant: JsonSchema = { type: ['string', 'null'], maxLength: 40 };

/** One receivable as the API answers it (BO-05). */
export const receivableSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    customerId: reference,
    contractId: reference,
    period: billingPeriod,
    dueDate: calendarDate,
    amountCents: cents,
    status: { type: 'string', enum: RECEIVABLE_STATUSES },
    lines: { type: 'array', items: line },
    createdAt: instant,
    paidAt: nullableInstant,
    cancelledAt: nullableInstant,
    cancelReason: { type: ['string', 'null'], maxLength: 500 },
    changedBy: { type: ['string', 'null'], maxLength: 64 },
  },
  required: ['id', 'customerId', 'contractId', 'period', 'dueDate', 'amountCents', 'status', 'lines', 'createdAt', 'paidAt', 'cancelledAt', 'cancelReason', 'changedBy'],
};

const statusTotal: JsonSchema = { type: 'object', properties: { count: { type: 'integer' }, amountCents: { type: 'integer' } }, required: ['count', 'amountCents'] };

export const receivableListSchema: JsonSchema = {
  type: 'object',
  properties: {
    receivables: { type: 'array', items: receivableSchema },
    totals: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        amountCents: { type: 'integer' },
        byStatus: { type: 'object', properties: Object.fromEntries(RECEIVABLE_STATUSES.map((status) => [status, statusTotal])), required: RECEIVABLE_STATUSES },
      },
      required: ['count', 'amountCents', 'byStatus'],
    },
    nextCursor: { type: ['string', 'null'], maxLength: 200 },
  },
  required: ['receivables', 'totals', 'nextCursor'],
};

export const billingRunSchema: JsonSchema = {
  type: 'object',
  properties: {
    period: billingPeriod,
    created: { type: 'integer' },
    amountCents: { type: 'integer' },
    refused: {
      type: 'array',
      items: {
        type: 'object',
        properties: { contractId: reference, reason: { type: 'string', enum: ['charge_too_large'] }, message: { type: 'string', maxLength: 1000 } },
        required: ['contractId', 'reason', 'message'],
      },
    },
  },
  required: ['period', 'created', 'amountCents', 'refused'],
};

/** Body of mark-paid / cancel. */
export const receivableChangeSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { ...reasonText, minLength: 1 }, paidAt: instant },
};
