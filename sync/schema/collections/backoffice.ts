import type { CollectionSchema } from '../json-schema.ts';
import { calendarDate, cents, id, instant, reasonText, reference, shortText } from '../common-fields.ts';

/**
 * Services (BO-02) and contracts (BO-03) share one collection, told apart by `kind` (RxDB's
 * open-source edition opens at most 13 collections per process). A contract carries its service lines,
 * so a contract and what it contracts travel, conflict and merge as one document.
 *
 * Contract `state` and `history` are written by the server only: a device asks for a transition with a
 * backofficeActions request, which the server applies with the transition table of
 * sync/rules/contract-state.ts (also offline requests, in upload order). A pushed contract whose state
 * or history differ from the server's is refused.
 */
export const BACKOFFICE_KINDS = ['service', 'contract'] as const;
export type BackofficeKind = (typeof BACKOFFICE_KINDS)[number];

export const CONTRACT_STATE_VALUES = ['draft', 'active', 'inactive', 'suspended', 'cancelled'] as const;
export const CONTRACT_ACTION_KINDS = ['activate', 'deactivate', 'suspend', 'resume', 'cancel'] as const;

/** Quantities are integers in the unit's smallest step (e.g. minutes, kWh, units). */
export const quantity = { type: 'integer', minimum: 0, maximum: 1_000_000_000 } as const;

/** The most units of one service a contract line holds (the form and the server refuse more). */
export const MAX_CONTRACT_LINE_QUANTITY = 1_000_000;

const contractLine = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Stable within the contract (a device-made uuid), so two devices' edits of different lines merge. */
    id,
    serviceId: reference,
    /** How many of the service are contracted (seats, lines, units); multiplies the fee and the included quantity. */
    quantity: { type: 'integer', minimum: 1, maximum: MAX_CONTRACT_LINE_QUANTITY },
    /** Replaces the service's monthly fee (per contracted unit) for this contract. */
    feeOverrideCents: cents,
    /** Replaces the service's metered price per unit for this contract. */
    unitPriceOverrideCents: cents,
  },
  required: ['id', 'serviceId', 'quantity'],
} as const;

const historyEntry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Server time the transition was applied. */
    at: instant,
    /** Device time the user asked for it (offline requests arrive later). */
    requestedAt: instant,
    action: { type: 'string', enum: [...CONTRACT_ACTION_KINDS, 'create'], maxLength: 12 },
    from: { type: 'string', enum: CONTRACT_STATE_VALUES, maxLength: 12 },
    to: { type: 'string', enum: CONTRACT_STATE_VALUES, maxLength: 12 },
    userId: reference,
    reason: reasonText,
    /** Cancellation: the day from which the contract is cancelled. */
    effectiveDate: calendarDate,
    /** The backofficeActions request that caused it (absent for creation). */
    requestId: reference,
  },
  required: ['at', 'action', 'to', 'userId'],
} as const;

export const backofficeSchema = {
  title: 'backoffice',
  description: 'Back-office services (BO-02) and contracts with their service lines and state history (BO-03), by kind.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    kind: { type: 'string', enum: BACKOFFICE_KINDS, maxLength: 10 },
    /** Service code or contract number; unique per kind in the store (the spreadsheet key). */
    code: { type: 'string', minLength: 1, maxLength: 40 },
    /** service: the name; contract: an optional label. */
    name: shortText,
    /** service: offered for new contracts; a service in use is deactivated instead of deleted. */
    active: { type: 'boolean' },
    /** service: recurring monthly fee in cents (0 or absent = none). */
    monthlyFeeCents: cents,
    /** service: unit name of the metered quantity ("min", "kWh", "GB"). */
    unit: { type: 'string', maxLength: 20 },
    /** service: metered price per unit in cents (absent = not metered). */
    unitPriceCents: cents,
    /** service: units per contracted quantity included in the fee each month. */
    includedQuantity: quantity,
    /** contract */
    customerId: reference,
    lines: { type: 'array', maxItems: 200, items: contractLine },
    startDate: calendarDate,
    /** Day of the month the charge is due (the month after the billed period); 29–31 fall on the month's last day when shorter. */
    billingDay: { type: 'integer', minimum: 1, maximum: 31 },
    state: { type: 'string', enum: CONTRACT_STATE_VALUES, maxLength: 12 },
    history: { type: 'array', maxItems: 10_000, items: historyEntry },
    /** Device time of the last edit, for display only. */
    updatedAt: instant,
  },
  required: ['id', 'kind', 'code', 'updatedAt'],
  indexes: ['kind'],
} as const satisfies CollectionSchema;

export type ContractStateValue = (typeof CONTRACT_STATE_VALUES)[number];
export type ContractActionKind = (typeof CONTRACT_ACTION_KINDS)[number];

export interface ContractLine {
  id: string;
  serviceId: string;
  quantity: number;
  feeOverrideCents?: number;
  unitPriceOverrideCents?: number;
}

export interface ContractHistoryEntry {
  at: string;
  requestedAt?: string;
  action: ContractActionKind | 'create';
  from?: ContractStateValue;
  to: ContractStateValue;
  userId: string;
  reason?: string;
  effectiveDate?: string;
  requestId?: string;
}

export interface ServiceDoc {
  id: string;
  kind: 'service';
  code: string;
  name?: string;
  active?: boolean;
  monthlyFeeCents?: number;
  unit?: string;
  unitPriceCents?: number;
  includedQuantity?: number;
  updatedAt: string;
}

export interface ContractDoc {
  id: string;
  kind: 'contract';
  code: string;
  name?: string;
  customerId?: string;
  lines?: ContractLine[];
  startDate?: string;
  billingDay?: number;
  state?: ContractStateValue;
  history?: ContractHistoryEntry[];
  updatedAt: string;
}

/** A document of the backoffice collection. */
export type BackofficeDoc = ServiceDoc | ContractDoc;
