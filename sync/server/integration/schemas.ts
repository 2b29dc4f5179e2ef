import { formatQuery } from '../http/xlsx.ts';
import type { FastifySchemaCompiler } from 'fastify';
import type { JsonSchema } from '../../schema/index.ts';
import { reasonText } from '../../schema/common-fields.ts';
import { errorBodySchema } from '../http/problem.ts';
import { documentSchema, wireDocumentSchema } from '../validation/schemas.ts';
import { validatorCompiler } from '../validation/validator.ts';
import { cursorQuery } from './api-resource.ts';

/**
 * Request and response schemas of the integration resources, built from the collection schemas of
 * sync/schema, so the OpenAPI document, the validation and the devices agree on every field.
 */
const product = documentSchema('products');
const master = documentSchema('masterdata');
const sale = documentSchema('sales');

/** At most this many items in one batch upsert call. */
export const MAX_BATCH = 1_000;

/** Kinds of master data the ERP sends; stations are registered (and paired) by the store admin. */
export const UPSERT_KINDS = ['seller', 'paymentType', 'paymentCondition', 'financialReason', 'promotion', 'productGroup', 'stationGroup'] as const;

function optionalFields(schema: JsonSchema, overrides: Record<string, JsonSchema> = {}, required: readonly string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties: { ...schema.properties, ...overrides }, required };
}

/**
 * One product of a batch: `sku` identifies it (the ERP's key; `id` is optional and found by sku).
 * A new product needs name, unit, priceCents and groupId; an existing one changes only the fields
 * sent. `stock` sets the level (units in the unit's smallest step); absent, the stock stays as it is.
 */
export const productItemSchema = optionalFields(product, {}, ['sku']);

/** One master record of a batch: `kind` + `code` identify it; a new one needs name. */
export const masterItemSchema = optionalFields(master, { kind: { type: 'string', enum: UPSERT_KINDS } }, ['kind', 'code']);

/** The batch body as the API document shows it: each item with its full schema. */
export function batchBody(item: JsonSchema): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    description: 'Items are checked one by one: a bad item is answered as that item\'s error (with JSON pointers), never as the whole batch\'s.',
    properties: { items: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: item } },
    required: ['items'],
  };
}

/**
 * What the route itself validates of a batch: only the envelope (1 to MAX_BATCH items of any shape).
 * Each item is then validated by batch-upsert.ts against the schema the document shows, so one bad
 * item is that item's error instead of a 400 for the whole call.
 */
const batchEnvelope = { type: 'object', additionalProperties: false, properties: { items: { type: 'array', minItems: 1, maxItems: MAX_BATCH } }, required: ['items'] } as const;
export const batchValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => validatorCompiler(route.httpPart === 'body' ? { ...route, schema: batchEnvelope } : route);

const itemError = {
  type: 'object',
  properties: {
    pointer: { type: 'string', description: 'JSON pointer into the request body, e.g. /items/3/priceCents' },
    message: { type: 'string' },
  },
  required: ['pointer', 'message'],
} as const;

export const batchResponse = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          id: { type: ['string', 'null'], description: 'The record id (null when the item could not be identified)' },
          status: { type: 'string', enum: ['created', 'updated', 'unchanged', 'error'] },
          errors: { type: 'array', items: itemError },
        },
        required: ['index', 'id', 'status'],
      },
    },
    summary: {
      type: 'object',
      properties: { created: { type: 'integer' }, updated: { type: 'integer' }, unchanged: { type: 'integer' }, error: { type: 'integer' } },
      required: ['created', 'updated', 'unchanged', 'error'],
    },
  },
  required: ['results', 'summary'],
} as const;

/**
 * 422: no item was accepted; the problem names the first error, the results name every one. Or a plain
 * problem without results (an Idempotency-Key already used for another request): with the first shape
 * alone, that answer could not be serialised and left as a 500.
 */
export const batchRefusedResponse = {
  anyOf: [
    {
      type: 'object',
      properties: { error: errorBodySchema.properties.error, results: batchResponse.properties.results, summary: batchResponse.properties.summary },
      required: ['error', 'results', 'summary'],
    },
    errorBodySchema,
  ],
} as const;

export const productResponse = product;
export const productWire = wireDocumentSchema('products');

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  cursor: cursorQuery,
  ...formatQuery,
} as const;

export function pageOf(item: unknown, key: string): Record<string, unknown> {
  return {
    type: 'object',
    properties: { [key]: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] }, hasMore: { type: 'boolean' } },
    required: [key, 'nextCursor', 'hasMore'],
  };
}

export const feedQuery = {
  type: 'object',
  properties: { cursor: cursorQuery, limit: { type: 'integer', minimum: 1, maximum: 5000, default: 1000 } },
} as const;

export const feedResponse = {
  ...pageOf(productWire, 'items'),
  description: 'Changes in commit order, deletions included (`_deleted: true`). nextCursor is the checkpoint to ask from next; it is returned also when hasMore is false, so polling never skips a row.',
  properties: { ...(pageOf(productWire, 'items').properties as object), resync: { type: 'boolean', description: 'The cursor came from another history (restored backup): this feed starts over' } },
} as const;

export const skuParams = { type: 'object', properties: { sku: product.properties!.sku! }, required: ['sku'] } as const;
export const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;

// ── Stock ────────────────────────────────────────────────────────────────────────────────────────

/** An id the sender chooses for a write it may retry (letters, digits and . _ ~ : -). */
const senderId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._~:-]+$' } as const;
/** A reservation named in a path: an id its sender chose (an order's reservation is not one, and is not reached here). */
export const reservationParams = { type: 'object', properties: { id: senderId }, required: ['id'] } as const;
const quantity = { type: 'integer', minimum: 1, maximum: 1_000_000, description: "In the unit's smallest step (units, grams, mm, ml)" } as const;
const productRef = {
  productId: { type: 'string', minLength: 1, maxLength: 64 },
  sku: product.properties!.sku!,
} as const;

export const stockLevel = {
  type: 'object',
  properties: {
    productId: { type: 'string' },
    sku: { type: 'string' },
    stock: { type: 'integer', description: 'On hand, as the store knows it (stations sell it down)' },
    reserved: { type: 'integer', description: 'Held by active, unexpired reservations' },
    available: { type: 'integer', description: 'stock − reserved: what a new reservation may take' },
  },
  required: ['productId', 'sku', 'stock', 'reserved', 'available'],
} as const;

export const stockQuery = {
  type: 'object',
  properties: { sku: product.properties!.sku!, productId: productRef.productId, ...pageQuery },
} as const;

export const adjustmentBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { ...senderId, description: "The adjustment's id, chosen by the sender: the same id is applied once" },
    ...productRef,
    delta: { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000, not: { const: 0 }, description: "Units to add (positive) or remove (negative), in the unit's smallest step" },
    reason: { ...reasonText, minLength: 1 },
  },
  required: ['id', 'delta', 'reason'],
} as const;

export const adjustmentResponse = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    productId: { type: 'string' },
    delta: { type: 'integer' },
    reason: { type: 'string' },
    stockBefore: { type: 'integer' },
    stockAfter: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    replayed: { type: 'boolean', description: 'true: this adjustment id was applied before; nothing changed now' },
  },
  required: ['id', 'productId', 'delta', 'reason', 'stockBefore', 'stockAfter', 'at', 'replayed'],
} as const;

export const reservationBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { ...senderId, description: "The reservation's id, chosen by the sender: the same id reserves once" },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: { type: 'object', additionalProperties: false, properties: { ...productRef, quantity }, required: ['quantity'] },
    },
    ttlSeconds: { type: 'integer', minimum: 1, maximum: 30 * 86_400, default: 900, description: 'Seconds until the reservation lapses by itself unless committed or released' },
  },
  required: ['id', 'items'],
} as const;

export const reservationResponse = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    orderId: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['active', 'expired', 'committed', 'released'] },
    expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'null: held until committed or released (a paid order)' },
    items: { type: 'array', items: { type: 'object', properties: { productId: { type: 'string' }, quantity: { type: 'integer' } }, required: ['productId', 'quantity'] } },
  },
  required: ['id', 'orderId', 'status', 'expiresAt', 'items'],
} as const;

// ── Orders ───────────────────────────────────────────────────────────────────────────────────────

const text = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const cents = product.properties!.priceCents!;

export const orderBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { ...text(64, 1), description: "The shop's order number; the same id creates one order" },
    customer: {
      type: 'object',
      additionalProperties: false,
      properties: { name: text(200, 1), taxId: { ...text(18, 11), description: 'CPF or CNPJ (also alphanumeric), punctuation allowed; check digits are verified' }, email: text(200), phone: text(30) },
      required: ['name', 'taxId'],
    },
    delivery: {
      type: 'object',
      additionalProperties: false,
      properties: {
        address: text(300, 1),
        city: text(100, 1),
        uf: { type: 'string', pattern: '^[A-Z]{2}$' },
        cep: { type: 'string', pattern: '^[0-9]{5}-?[0-9]{3}$' },
        shippingCents: cents,
      },
      required: ['address', 'city', 'uf', 'cep', 'shippingCents'],
    },
    payment: {
      type: 'object',
      additionalProperties: false,
      properties: {
        method: { type: 'string', enum: ['card', 'pix', 'boleto', 'voucher'] },
        installments: { type: 'integer', minimum: 1, maximum: 48, default: 1 },
        amountCents: { ...cents, description: 'What the customer pays: items + shipping, to the cent' },
      },
      required: ['method', 'amountCents'],
    },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: { type: 'object', additionalProperties: false, properties: { ...productRef, quantity, unitPriceCents: cents }, required: ['quantity', 'unitPriceCents'] },
    },
    reservationTtlSeconds: { type: 'integer', minimum: 60, maximum: 30 * 86_400, default: 86_400, description: 'An unpaid order holds its stock this long; paying holds it until invoiced or cancelled' },
  },
  required: ['id', 'customer', 'delivery', 'payment', 'items'],
} as const;

export const orderResponse = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['new', 'paid', 'invoiced', 'shipped', 'delivered', 'cancelled'] },
    customer: orderBody.properties.customer,
    delivery: orderBody.properties.delivery,
    payment: orderBody.properties.payment,
    items: { type: 'array', items: { type: 'object', properties: { productId: { type: 'string' }, sku: { type: 'string' }, quantity: { type: 'integer' }, unitPriceCents: { type: 'integer' }, totalCents: { type: 'integer' } }, required: ['productId', 'sku', 'quantity', 'unitPriceCents', 'totalCents'] } },
    itemsCents: { type: 'integer' },
    totalCents: { type: 'integer' },
    reservation: reservationResponse,
    allowedActions: { type: 'array', items: { type: 'string' } },
    history: {
      type: 'array',
      items: { type: 'object', properties: { action: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, at: { type: 'string' }, userId: { type: 'string' }, reason: { type: 'string' } }, required: ['action', 'from', 'to', 'at', 'userId'] },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'status', 'customer', 'delivery', 'payment', 'items', 'itemsCents', 'totalCents', 'reservation', 'allowedActions', 'history', 'createdAt', 'updatedAt'],
} as const;

export const orderActionParams = {
  type: 'object',
  properties: { id: idParams.properties.id, action: { type: 'string', enum: ['pay', 'invoice', 'ship', 'deliver', 'cancel'] } },
  required: ['id', 'action'],
} as const;
/** Optional: a move may be sent without a body. */
export const orderActionBody = { type: ['object', 'null'], additionalProperties: false, properties: { reason: reasonText } } as const;
export const orderActionResponse = { type: 'object', properties: { applied: { type: 'boolean', description: 'false: the order had already made this move (a retry); nothing changed' }, order: orderResponse }, required: ['applied', 'order'] } as const;

export const orderListQuery = {
  type: 'object',
  properties: { status: orderResponse.properties.status, ...pageQuery },
} as const;

// ── Sales (read-only) ───────────────────────────────────────────────────────────────────────────

export const salesQuery = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time', maxLength: 40, description: 'Sales created at or after this instant' },
    to: { type: 'string', format: 'date-time', maxLength: 40, description: 'Sales created before this instant' },
    stationId: { type: 'string', minLength: 1, maxLength: 64 },
    status: { type: 'string', enum: ['finished', 'cancelled'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
    cursor: cursorQuery,
    ...formatQuery,
  },
} as const;

export const saleResponse = { ...sale, properties: { ...sale.properties, storedAt: { type: 'string', description: 'When the server received this state of the sale' } } };

export const salesResponse = pageOf(saleResponse, 'sales');

/** The 4xx/5xx problem answers of every route (one definition, in http/problem.ts). */
export { errorResponses as errors } from '../http/problem.ts';
