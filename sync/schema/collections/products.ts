import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, reference, shortText } from '../common-fields.ts';

export const PRODUCT_UNITS = ['UN', 'KG', 'M', 'L', 'CX'] as const;

export const productSchema = {
  title: 'products',
  description: 'Central catalogue; read-only on stations (POS-03).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    sku: { type: 'string', minLength: 1, maxLength: 40 },
    barcode: { type: 'string', maxLength: 32 },
    name: { ...shortText, minLength: 1 },
    unit: { type: 'string', enum: PRODUCT_UNITS },
    priceCents: cents,
    /** In the unit's smallest step (units, grams, …). May go negative when a station sold offline. */
    stock: { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000 },
    groupId: reference,
    active: { type: 'boolean' },
  },
  required: ['id', 'sku', 'barcode', 'name', 'unit', 'priceCents', 'stock', 'groupId', 'active'],
  indexes: ['barcode', 'sku'],
} as const satisfies CollectionSchema;

export interface Product {
  id: string;
  sku: string;
  barcode: string;
  name: string;
  unit: (typeof PRODUCT_UNITS)[number];
  priceCents: number;
  stock: number;
  groupId: string;
  active: boolean;
}
