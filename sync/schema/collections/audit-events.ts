import type { CollectionSchema } from '../json-schema.ts';
import { id, instant, reference } from '../common-fields.ts';

export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'sale',
  'cancel',
  'exchange',
  'exchangeCancel',
  'cashOpen',
  'cashSupply',
  'cashWithdrawal',
  'cashClose',
  'priceOverride',
  'customerChange',
  /** POS-20: a manual discount a supervisor authorised. */
  'discount',
  /** POS-19/20: a sale on a closed till a supervisor authorised. */
  'closedTillSale',
] as const;

/**
 * Version 1 added the actions `discount` and `closedTillSale` and the optional `supervisorId`: the
 * supervisor who authorised the action (POS-20), so the trail names both users. A version-0 event is
 * valid unchanged.
 */

export const auditEventSchema = {
  title: 'auditEvents',
  description: 'Who did what, when, on which station (POS-16). Append-only.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    at: instant,
    userId: reference,
    stationId: reference,
    action: { type: 'string', enum: AUDIT_ACTIONS },
    /** The record the action touched (sale id, customer id, …). */
    subjectId: { type: 'string', maxLength: 64 },
    detail: { type: 'string', maxLength: 1000 },
    /** The supervisor who authorised it (POS-20); `userId` is the cashier who asked. */
    supervisorId: reference,
  },
  required: ['id', 'at', 'userId', 'stationId', 'action'],
} as const satisfies CollectionSchema;

export interface AuditEvent {
  id: string;
  at: string;
  userId: string;
  stationId: string;
  action: (typeof AUDIT_ACTIONS)[number];
  subjectId?: string;
  detail?: string;
  supervisorId?: string;
}
