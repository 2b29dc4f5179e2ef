import type { CollectionSchema } from '../json-schema.ts';
import { id, instant, shortText, taxId } from '../common-fields.ts';

export const customerSchema = {
  title: 'customers',
  description: 'Store customers; keyed in by back office (also offline) and picked at the till (BO-01, POS-09).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    name: { ...shortText, minLength: 1 },
    taxId,
    email: { type: 'string', maxLength: 200 },
    phone: { type: 'string', maxLength: 40 },
    city: { type: 'string', maxLength: 100 },
    active: { type: 'boolean' },
    /** Device time of the last edit, for display only. */
    updatedAt: instant,
  },
  required: ['id', 'name', 'taxId', 'active', 'updatedAt'],
  indexes: ['taxId'],
} as const satisfies CollectionSchema;

export interface Customer {
  id: string;
  name: string;
  taxId: string;
  email?: string;
  phone?: string;
  city?: string;
  active: boolean;
  updatedAt: string;
}
