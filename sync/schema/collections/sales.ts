import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, taxId } from '../common-fields.ts';

export const SALE_STATUSES = ['finished', 'cancelled'] as const;

export const saleSchema = {
  title: 'sales',
  description:
    'Sales recorded at a station (POS-09). Immutable once finished except for its cancellation (POS-10). ' +
    'Exchanges are sales whose payments include exchange credit (POS-11).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    stationId: reference,
    /** Station-local running number shown on the receipt. */
    number: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
    userId: reference,
    sellerId: reference,
    customerTaxId: taxId,
    createdAt: instant,
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          productId: reference,
          quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          unitPriceCents: cents,
          discountCents: cents,
          totalCents: cents,
          promotionId: reference,
          /** Price typed by the cashier instead of the table price (audited, POS-16). */
          priceOverride: { type: 'boolean' },
        },
        required: ['productId', 'quantity', 'unitPriceCents', 'discountCents', 'totalCents'],
      },
    },
    payments: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          paymentTypeId: reference,
          paymentConditionId: reference,
          installments: { type: 'integer', minimum: 1, maximum: 48 },
          amountCents: cents,
          /** Interest charged by the condition, part of amountCents. */
          interestCents: cents,
        },
        required: ['paymentTypeId', 'amountCents'],
      },
    },
    subtotalCents: cents,
    discountCents: cents,
    totalCents: cents,
    changeCents: cents,
    /** An exchange: the sale whose goods came back, and the credit they gave (POS-11). */
    exchange: {
      type: 'object',
      additionalProperties: false,
      properties: {
        originalSaleId: reference,
        creditCents: cents,
        returnedItems: {
          type: 'array',
          maxItems: 1000,
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { productId: reference, quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 }, unitPriceCents: cents },
            required: ['productId', 'quantity', 'unitPriceCents'],
          },
        },
      },
      required: ['originalSaleId', 'creditCents', 'returnedItems'],
    },
    status: { type: 'string', enum: SALE_STATUSES, maxLength: 12 },
    cancellation: {
      type: 'object',
      additionalProperties: false,
      properties: { reasonId: reference, userId: reference, at: instant, note: { type: 'string', maxLength: 500 } },
      required: ['reasonId', 'userId', 'at'],
    },
  },
  required: ['id', 'stationId', 'number', 'userId', 'sellerId', 'createdAt', 'items', 'payments', 'subtotalCents', 'discountCents', 'totalCents', 'changeCents', 'status'],
  indexes: ['createdAt'],
} as const satisfies CollectionSchema;

export interface SaleItem {
  productId: string;
  quantity: number;
  unitPriceCents: number;
  discountCents: number;
  totalCents: number;
  promotionId?: string;
  priceOverride?: boolean;
}
export interface SalePayment {
  paymentTypeId: string;
  paymentConditionId?: string;
  installments?: number;
  amountCents: number;
  interestCents?: number;
}
export interface Sale {
  id: string;
  stationId: string;
  number: number;
  userId: string;
  sellerId: string;
  customerTaxId?: string;
  createdAt: string;
  items: SaleItem[];
  payments: SalePayment[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  changeCents: number;
  exchange?: {
    originalSaleId: string;
    creditCents: number;
    returnedItems: { productId: string; quantity: number; unitPriceCents: number }[];
  };
  status: (typeof SALE_STATUSES)[number];
  cancellation?: { reasonId: string; userId: string; at: string; note?: string };
}
