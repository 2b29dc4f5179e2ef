import type { JsonSchema } from './json-schema.ts';

/** Ids are generated on the device (uuid v4/v7) or by the server's seed; both fit in 64 chars. */
export const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 64 };
export const reference: JsonSchema = { type: 'string', minLength: 1, maxLength: 64 };
export const cents: JsonSchema = { type: 'integer', minimum: 0, maximum: 1_000_000_000_00 };
export const signedCents: JsonSchema = { type: 'integer', minimum: -1_000_000_000_00, maximum: 1_000_000_000_00 };
/** ISO-8601 UTC instant. Device time is only for display and audit; ordering uses server sequences. */
export const instant: JsonSchema = { type: 'string', format: 'date-time', maxLength: 40 };
export const shortText: JsonSchema = { type: 'string', maxLength: 200 };
/**
 * CPF (11 digits) or CNPJ (14 characters: 12 digits or capital letters — the alphanumeric CNPJ issued
 * from July 2026 — and 2 check digits), without punctuation; check digits are verified by sync/rules.
 */
export const taxId: JsonSchema = { type: 'string', pattern: '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$', maxLength: 14 };
/** A calendar day, YYYY-MM-DD (contract start, consumption date, due date); no time zone. */
export const calendarDate: JsonSchema = { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', minLength: 10, maxLength: 10 };
/** A billing period: a calendar month, YYYY-MM. */
export const billingPeriod: JsonSchema = { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', minLength: 7, maxLength: 7 };
/** Why something was done (deactivation, cancellation, a contract transition); shown in history and audit. */
export const reasonText: JsonSchema = { type: 'string', maxLength: 500 };
