import type { JsonSchema } from '../../schema/index.ts';
import { billingPeriod, calendarDate, reasonText } from '../../schema/common-fields.ts';
import { documentSchema } from '../validation/schemas.ts';
import { formatQuery } from '../http/xlsx.ts';

/**
 * Request and response schemas of the billing API (BO-06), built from the collection schemas of
 * sync/schema so the OpenAPI document, the validation and the devices agree on every field.
 */
const customer = documentSchema('customers');
const backoffice = documentSchema('backoffice');
const consumption = documentSchema('consumption');

function pick(schema: JsonSchema, fields: readonly string[], required: readonly string[] = []): JsonSchema {
  const properties = Object.fromEntries(fields.map((field) => [field, schema.properties![field]!]));
  return { type: 'object', additionalProperties: false, properties, required };
}

export const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' },
  ...formatQuery,
} as const;

const CUSTOMER_FIELDS = ['name', 'taxId', 'email', 'phone', 'cep', 'uf', 'address', 'city'] as const;
/** POST /customers: a new customer (id optional: the server makes one). */
export const customerCreateBody = pick(customer, ['id', ...CUSTOMER_FIELDS], ['name', 'taxId']);
/** POST /customers/:id: the fields to change; `active: true` reactivates. */
export const customerChangeBody = pick(customer, [...CUSTOMER_FIELDS, 'active']);
export const deactivateBody: JsonSchema = { type: 'object', additionalProperties: false, properties: { reason: { ...reasonText, minLength: 1 } }, required: ['reason'] };

export const customerResponse = customer;
export const serviceResponse = backoffice;
export const contractResponse = backoffice;
export const consumptionResponse = consumption;

const line: JsonSchema = backoffice.properties!.lines!.items!;
/** POST /contracts: a draft contract with its service lines (line ids optional). */
export const contractCreateBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: backoffice.properties!.id!,
    code: backoffice.properties!.code!,
    name: backoffice.properties!.name!,
    customerId: backoffice.properties!.customerId!,
    startDate: calendarDate,
    billingDay: backoffice.properties!.billingDay!,
    lines: { type: 'array', minItems: 1, maxItems: 200, items: { ...line, required: ['serviceId', 'quantity'] } },
  },
  required: ['code', 'customerId', 'startDate', 'billingDay', 'lines'],
};

export const transitionBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reason: reasonText,
    effectiveDate: { ...calendarDate, description: 'cancel: the day from which the contract is cancelled (default: today in the store calendar, São Paulo); counted from its local midnight' },
  },
};

/** POST /consumption: a usage record; re-sending the same externalId answers the existing record. */
export const consumptionCreateBody = pick(consumption, ['id', 'externalId', 'contractId', 'serviceId', 'quantity', 'date', 'description', 'correctsId'], ['contractId', 'serviceId', 'quantity', 'date']);
/** PUT /consumption/:id: the record's new values. */
export const consumptionChangeBody = pick(consumption, ['serviceId', 'quantity', 'date', 'description'], ['serviceId', 'quantity', 'date']);

export function listOf(item: JsonSchema, key: string): JsonSchema {
  return { type: 'object', properties: { [key]: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } }, required: [key, 'nextCursor'] };
}

export const billingRunBody: JsonSchema = { type: 'object', additionalProperties: false, properties: { period: billingPeriod }, required: ['period'] };
export const payBody: JsonSchema = { type: 'object', additionalProperties: false, properties: { paidAt: { type: 'string', format: 'date-time', maxLength: 40, description: 'default: now' } } };
export const cancelBody: JsonSchema = deactivateBody;
