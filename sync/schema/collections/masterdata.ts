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
  /** One per store: the rules the counter follows (stock policy, seller policy, discount bound). */
  'storeSettings',
  /** A user who may authorise at a station, with the salted hash of their supervisor code (POS-20). */
  'supervisor',
  /**
   * An exchange voucher (POS-21), written only by the server when it accepts the exchange that issued
   * it, and updated as sales redeem it; every station of the store receives it (sync/rules/voucher.ts).
   */
  'voucher',
] as const;
export type MasterKind = (typeof MASTER_KINDS)[number];

export const PAYMENT_METHODS = ['cash', 'card', 'pix', 'credit', 'voucher'] as const;
export const FINANCIAL_REASON_USES = ['supply', 'withdrawal', 'cancel', 'exchange'] as const;
export const PROMOTION_TYPES = ['percentOff', 'amountOff', 'buyXPayY'] as const;
/** Selling past the stock the station knows: `warn` shows it and goes on, `block` stops the sale. */
export const STOCK_POLICIES = ['warn', 'block'] as const;
/** The seller of a sale: `ask` every sale, or `remember` the last one chosen on this station. */
export const SELLER_POLICIES = ['ask', 'remember'] as const;

/**
 * Version 1 added the kinds storeSettings and supervisor and their fields (all optional), so a stored
 * version-0 record is valid unchanged. Version 2 added the kind voucher and its fields (optional too).
 */

const idList = { type: 'array', items: reference, maxItems: 10_000 } as const;

export const masterdataSchema = {
  title: 'masterdata',
  description: 'Sellers, payment types and conditions, financial reasons, promotions, groups and stations (POS-03..06, POS-17).',
  version: 2,
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
    /** storeSettings */
    stockPolicy: { type: 'string', enum: STOCK_POLICIES, maxLength: 8 },
    sellerPolicy: { type: 'string', enum: SELLER_POLICIES, maxLength: 8 },
    /** storeSettings: the largest manual discount a supervisor may authorise, in basis points of the amount. */
    maxManualDiscountBp: { type: 'integer', minimum: 0, maximum: 10_000 },
    /** supervisor: the user this code belongs to. */
    userId: reference,
    /**
     * supervisor: PBKDF2-SHA256 of the code with a per-record random salt; the clear code never leaves
     * the admin's request. Verified offline at the station (sync/rules/supervisor.ts).
     */
    codeHash: {
      type: 'object',
      additionalProperties: false,
      properties: {
        iterations: { type: 'integer', minimum: 10_000, maximum: 10_000_000 },
        salt: { type: 'string', minLength: 16, maxLength: 64 },
        hash: { type: 'string', minLength: 16, maxLength: 128 },
      },
      required: ['iterations', 'salt', 'hash'],
    },
    /** voucher: its value when issued, in cents (the exchange's unused credit). */
    issuedCents: cents,
    /** voucher: the exchange sale that issued it. */
    saleId: reference,
    /** voucher: the sales the server accepted that paid with it, in the order applied (cents each). */
    redemptions: {
      type: 'array',
      maxItems: 1000,
      items: { type: 'object', additionalProperties: false, properties: { saleId: reference, amountCents: cents }, required: ['saleId', 'amountCents'] },
    },
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
  stockPolicy?: (typeof STOCK_POLICIES)[number];
  sellerPolicy?: (typeof SELLER_POLICIES)[number];
  maxManualDiscountBp?: number;
  userId?: string;
  codeHash?: SupervisorCodeHash;
  issuedCents?: number;
  saleId?: string;
  redemptions?: VoucherRedemption[];
}

/** One sale's spend of a voucher, as the server applied it (POS-21). */
export interface VoucherRedemption {
  saleId: string;
  amountCents: number;
}

/** PBKDF2-SHA256 of a supervisor code: salt and hash in base64. */
export interface SupervisorCodeHash {
  iterations: number;
  salt: string;
  hash: string;
}
