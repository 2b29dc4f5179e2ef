import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, shortText } from '../common-fields.ts';

export const purchaseOrderSchema = {
  title: 'purchaseOrders',
  description: 'Purchase orders the server generates, one per supplier, when a project review finishes (DES-14). Read-only on devices.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    projectId: reference,
    supplier: { ...shortText, minLength: 1 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          environmentId: reference,
          code: { type: 'string', maxLength: 60 },
          description: { ...shortText, minLength: 1 },
          quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          unitPriceCents: cents,
          totalCents: cents,
        },
        required: ['environmentId', 'description', 'quantity', 'unitPriceCents', 'totalCents'],
      },
    },
    totalCents: cents,
    createdAt: instant,
  },
  required: ['id', 'projectId', 'supplier', 'items', 'totalCents', 'createdAt'],
  indexes: ['projectId'],
} as const satisfies CollectionSchema;

export interface PurchaseOrder {
  id: string;
  projectId: string;
  supplier: string;
  items: { environmentId: string; code?: string; description: string; quantity: number; unitPriceCents: number; totalCents: number }[];
  totalCents: number;
  createdAt: string;
}
