import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, taxId } from '../common-fields.ts';

export const SALE_STATUSES = ['finished', 'cancelled'] as const;
/** Units whose quantity is stored in thousandths (grams, millimetres, millilitres): POS-22. */
export const SALE_MEASURED_UNITS = ['KG', 'M', 'L'] as const;
const measuredUnit = { type: 'string', enum: SALE_MEASURED_UNITS, maxLength: 2 } as const;
/** What a supervisor authorised in a sale (POS-20). */
export const SALE_AUTHORIZATION_ACTIONS = ['discount', 'priceOverride', 'closedTill'] as const;

/**
 * Version 1 (POS-22) added `unit` to items and returned items: when set, `quantity` is in grams,
 * millimetres or millilitres and `unitPriceCents` is per kg, m or L (sync/rules/measure.ts). A
 * version-0 document has no `unit` and counted its quantities in whole units, which is exactly what a
 * line without `unit` means under version 1, so the device migrates it unchanged. Where such a line
 * meets stock (kept in grams for KG), its whole units are converted by the product's unit
 * (sync/rules/measure.ts stockStepsOf): an old line of 2 of a KG product is 2000 g, never 2 g. Version 1 also added the
 * optional supervisor fields (POS-20): items' `manualDiscountCents` and `listPriceCents`, the sale's
 * `authorizations` and the cancellation's `supervisorId`.
 *
 * Version 2 (POS-21) added exchange vouchers, both optional: `exchange.voucher` (the voucher an
 * exchange issues for its unused credit) and a payment's `voucherNumber` (a payment of a voucher-method
 * payment type names the voucher it spends). A version-1 document is valid unchanged.
 */
/** A voucher number as printed and typed: the issuing station's code, a dash and the exchange's number (sync/rules/voucher.ts). */
export const voucherNumberField = { type: 'string', minLength: 3, maxLength: 48, pattern: '^[0-9A-Z][0-9A-Z-]{0,31}-[0-9]{1,10}$' } as const;

export const saleSchema = {
  title: 'sales',
  description:
    'Sales recorded at a station (POS-09). Immutable once finished except for its cancellation (POS-10). ' +
    'Exchanges are sales whose payments include exchange credit (POS-11).',
  version: 2,
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
          /** Whole units, or grams/mm/mL when `unit` is set (up to 1,000 kg, m or L). */
          quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          /** Set for goods sold by weight, length or volume (POS-22); the price is then per kg, m or L. */
          unit: measuredUnit,
          unitPriceCents: cents,
          discountCents: cents,
          totalCents: cents,
          promotionId: reference,
          /** Price typed by the cashier instead of the table price (audited, POS-16). */
          priceOverride: { type: 'boolean' },
          /** With priceOverride: the table price it replaced, so the bound is checked on the sale itself. */
          listPriceCents: cents,
          /** The part of discountCents the cashier gave by hand (line discount + share of a sale discount), POS-20. */
          manualDiscountCents: cents,
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
          /** A payment of a voucher-method payment type: the voucher it spends (POS-21). */
          voucherNumber: voucherNumberField,
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
            properties: { productId: reference, quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 }, unit: measuredUnit, unitPriceCents: cents },
            required: ['productId', 'quantity', 'unitPriceCents'],
          },
        },
        /** The voucher issued for the credit the exchange did not use (POS-21): its number and value. */
        voucher: {
          type: 'object',
          additionalProperties: false,
          properties: { number: voucherNumberField, amountCents: cents },
          required: ['number', 'amountCents'],
        },
      },
      required: ['originalSaleId', 'creditCents', 'returnedItems'],
    },
    status: { type: 'string', enum: SALE_STATUSES, maxLength: 12 },
    /** Supervisor authorisations given at the station for this sale (POS-20). */
    authorizations: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { action: { type: 'string', enum: SALE_AUTHORIZATION_ACTIONS, maxLength: 16 }, supervisorId: reference, at: instant },
        required: ['action', 'supervisorId', 'at'],
      },
    },
    cancellation: {
      type: 'object',
      additionalProperties: false,
      properties: { reasonId: reference, userId: reference, at: instant, note: { type: 'string', maxLength: 500 }, supervisorId: reference },
      required: ['reasonId', 'userId', 'at'],
    },
  },
  required: ['id', 'stationId', 'number', 'userId', 'sellerId', 'createdAt', 'items', 'payments', 'subtotalCents', 'discountCents', 'totalCents', 'changeCents', 'status'],
  indexes: ['createdAt'],
} as const satisfies CollectionSchema;

export interface SaleItem {
  productId: string;
  /** Whole units, or grams/mm/mL when `unit` is set. */
  quantity: number;
  unit?: (typeof SALE_MEASURED_UNITS)[number];
  unitPriceCents: number;
  discountCents: number;
  totalCents: number;
  promotionId?: string;
  priceOverride?: boolean;
  listPriceCents?: number;
  manualDiscountCents?: number;
}
export interface SaleAuthorization {
  action: (typeof SALE_AUTHORIZATION_ACTIONS)[number];
  /** The supervisor's user id. */
  supervisorId: string;
  at: string;
}
export interface SalePayment {
  paymentTypeId: string;
  paymentConditionId?: string;
  installments?: number;
  amountCents: number;
  interestCents?: number;
  voucherNumber?: string;
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
    returnedItems: { productId: string; quantity: number; unit?: (typeof SALE_MEASURED_UNITS)[number]; unitPriceCents: number }[];
    voucher?: { number: string; amountCents: number };
  };
  status: (typeof SALE_STATUSES)[number];
  authorizations?: SaleAuthorization[];
  cancellation?: { reasonId: string; userId: string; at: string; note?: string; supervisorId?: string };
}
