import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, signedCents } from '../common-fields.ts';

export const CASH_MOVEMENT_KINDS = ['opening', 'supply', 'withdrawal', 'closing'] as const;

export const cashMovementSchema = {
  title: 'cashMovements',
  description:
    'Cash drawer movements at a station (POS-05): opening float, supply (suprimento), withdrawal (sangria) and closing count. ' +
    'Supply and withdrawal carry a financial reason. Append-only.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    stationId: reference,
    userId: reference,
    kind: { type: 'string', enum: CASH_MOVEMENT_KINDS, maxLength: 12 },
    amountCents: cents,
    /** Financial reason (masterdata kind financialReason); required for supply and withdrawal. */
    reasonId: reference,
    at: instant,
    note: { type: 'string', maxLength: 500 },
    /**
     * A closing's count per payment type (POS-19): what the till expected, what was counted. Added in
     * version 1 (optional, so version-0 documents migrate unchanged).
     */
    count: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { paymentTypeId: reference, expectedCents: signedCents, countedCents: cents },
        required: ['paymentTypeId', 'expectedCents', 'countedCents'],
      },
    },
  },
  required: ['id', 'stationId', 'userId', 'kind', 'amountCents', 'at'],
  indexes: ['at'],
} as const satisfies CollectionSchema;

export interface CashMovement {
  id: string;
  stationId: string;
  userId: string;
  kind: (typeof CASH_MOVEMENT_KINDS)[number];
  amountCents: number;
  reasonId?: string;
  at: string;
  note?: string;
  count?: { paymentTypeId: string; expectedCents: number; countedCents: number }[];
}
