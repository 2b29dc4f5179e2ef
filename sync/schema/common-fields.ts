import type { JsonSchema } from './json-schema.ts';

/** Ids are generated on the device (uuid v4/v7) or by the server's seed; both fit in 64 chars. */
export const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 64 };
export const reference: JsonSchema = { type: 'string', minLength: 1, maxLength: 64 };
export const cents: JsonSchema = { type: 'integer', minimum: 0, maximum: 1_000_000_000_00 };
export const signedCents: JsonSchema = { type: 'integer', minimum: -1_000_000_000_00, maximum: 1_000_000_000_00 };
/** ISO-8601 UTC instant. Device time is only for display and audit; ordering uses server sequences. */
export const instant: JsonSchema = { type: 'string', format: 'date-time', maxLength: 40 };
export const shortText: JsonSchema = { type: 'string', maxLength: 200 };
/** CPF (11 digits) or CNPJ (14 digits), digits only; check digits are verified by sync/rules. */
export const taxId: JsonSchema = { type: 'string', pattern: '^([0-9]{11}|[0-9]{14})$', maxLength: 14 };
