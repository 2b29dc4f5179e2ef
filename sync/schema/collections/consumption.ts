import type { CollectionSchema } from '../json-schema.ts';
import { calendarDate, id, instant, reference, shortText } from '../common-fields.ts';

/**
 * Metered usage of a contracted service (BO-04), keyed in by hand, imported from a spreadsheet or
 * posted by an integrator. `externalId` makes re-sending harmless: the server keeps one live record per
 * external id (the API answers the existing record; a second device record with the same external id is
 * refused with the id of the first). A record whose period (the month of `date`) is already billed for
 * its contract cannot change or be removed: a correcting record (negative quantity, `correctsId`) in an
 * open period is made instead (sync/rules/consumption.ts).
 */
export const consumptionSchema = {
  title: 'consumption',
  description: 'Usage records of contracted metered services, billed by the monthly billing run (BO-04).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    contractId: reference,
    serviceId: reference,
    /** In the service's unit (smallest step). Negative only in a correcting record. */
    quantity: { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000 },
    /** The day of use; its month is the billing period. */
    date: calendarDate,
    description: shortText,
    /** The sender's key (file row key, integrator id); the device uses the record id when there is none. */
    externalId: { type: 'string', minLength: 1, maxLength: 100 },
    /** A correcting record: the billed record it corrects. */
    correctsId: reference,
    userId: reference,
    /** Device time of the last edit, for display only. */
    updatedAt: instant,
  },
  required: ['id', 'contractId', 'serviceId', 'quantity', 'date', 'externalId', 'updatedAt'],
  indexes: ['date', 'contractId', 'externalId'],
} as const satisfies CollectionSchema;

export interface ConsumptionRecord {
  id: string;
  contractId: string;
  serviceId: string;
  quantity: number;
  date: string;
  description?: string;
  externalId: string;
  correctsId?: string;
  userId?: string;
  updatedAt: string;
}
