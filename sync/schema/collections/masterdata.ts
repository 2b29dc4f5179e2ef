import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, shortText } from '../common-fields.ts';

/**
 * Small kinds of central master data share one collection (RxDB's open-source edition opens at most
 * 13 collections per process). Fields that belong to one kind only are optional.
 */
export const MASTER_KINDS = [
  'seller',
  'paymentType',
  'paymentCondition',
  'financialReason',
  'promotion',
  'productGroup',
  'stationGroup',
  'station',
] as const;
export type MasterKind = (typeof MASTER_KINDS)[number];

export const PAYMENT_METHODS = ['cash', 'card', 'pix', 'credit', 'voucher'] as const;
export const FINANCIAL_REASON_USES = ['supply', 'withdrawal', 'cancel', 'exchange'] as const;
export const PROMOTION_TYPES = ['percentOff', 'amountOff', 'buyXPayY'] as const;

const idList = { type: 'array', items: reference, maxItems: 10_000 } as const;

export const masterdataSchema = {
  title: 'masterdata',
  description: 'Sellers, payment types and conditions, financial reasons, promotions, groups and stations (POS-03..06, POS-17).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    kind: { type: 'string', enum: MASTER_KINDS, maxLength: 20 },
    code: { type: 'string', minLength: 1, maxLength: 40 },
    name: { ...shortText, minLength: 1 },
    active: { type: 'boolean' },
    /** paymentType */
    method: { type: 'string', enum: PAYMENT_METHODS },
    /** paymentCondition */
    paymentTypeId: reference,
    installments: { type: 'integer', minimum: 1, maximum: 48 },
    /** Monthly interest in basis points (199 = 1.99 % a month); 0 = no interest. */
    interestBp: { type: 'integer', minimum: 0, maximum: 10_000 },
    /** financialReason */
    uses: { type: 'array', items: { type: 'string', enum: FINANCIAL_REASON_USES }, maxItems: 4 },
    /** promotion */
    promotion: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: PROMOTION_TYPES },
        percentBp: { type: 'integer', minimum: 0, maximum: 10_000 },
        amountCents: cents,
        buyQuantity: { type: 'integer', minimum: 1, maximum: 1000 },
        payQuantity: { type: 'integer', minimum: 0, maximum: 1000 },
        productIds: idList,
        productGroupIds: idList,
        stationGroupIds: idList,
        startsAt: instant,
        endsAt: instant,
      },
      required: ['type'],
    },
    /** stationGroup: its own prices, overriding the catalogue price (POS-08). */
    priceTable: {
      type: 'array',
      maxItems: 200_000,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { productId: reference, priceCents: cents },
        required: ['productId', 'priceCents'],
      },
    },
    /** station */
    groupId: reference,
  },
  required: ['id', 'kind', 'code', 'name', 'active'],
  indexes: ['kind'],
} as const satisfies CollectionSchema;

export interface Promotion {
  type: (typeof PROMOTION_TYPES)[number];
  percentBp?: number;
  amountCents?: number;
  buyQuantity?: number;
  payQuantity?: number;
  productIds?: string[];
  productGroupIds?: string[];
  stationGroupIds?: string[];
  startsAt?: string;
  endsAt?: string;
}

export interface MasterRecord {
  id: string;
  kind: MasterKind;
  code: string;
  name: string;
  active: boolean;
  method?: (typeof PAYMENT_METHODS)[number];
  paymentTypeId?: string;
  installments?: number;
  interestBp?: number;
  uses?: (typeof FINANCIAL_REASON_USES)[number][];
  promotion?: Promotion;
  priceTable?: { productId: string; priceCents: number }[];
  groupId?: string;
}
