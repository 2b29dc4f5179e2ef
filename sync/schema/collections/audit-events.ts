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
] as const;

export const auditEventSchema = {
  title: 'auditEvents',
  description: 'Who did what, when, on which station (POS-16). Append-only.',
  version: 0,
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
}
