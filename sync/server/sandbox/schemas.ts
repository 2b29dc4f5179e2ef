/** JSON schemas of the sandbox routes (OpenAPI), mirroring the types of sync/schema/sandbox.ts. */
const dateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;

export const sandboxClockSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { now: dateTime, offsetSeconds: { type: 'integer', minimum: 0, description: 'seconds ahead of the real clock' } },
  required: ['now', 'offsetSeconds'],
} as const;

const count = { type: 'integer', minimum: 0 } as const;

export const sandboxInfoSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    storeId: { type: 'string' },
    createdAt: dateTime,
    resetAt: { type: ['string', 'null'], format: 'date-time', maxLength: 40 },
    clock: sandboxClockSchema,
    fixtures: { type: 'object', additionalProperties: false, properties: { products: count, customers: count, stations: count, contracts: count }, required: ['products', 'customers', 'stations', 'contracts'] },
  },
  required: ['storeId', 'createdAt', 'resetAt', 'clock', 'fixtures'],
} as const;

export const homologationRunSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    keyId: { type: 'string' },
    receivedAt: dateTime,
    passed: { type: 'boolean' },
    steps: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { step: { type: 'string' }, passed: { type: 'boolean' }, detail: { type: 'string' } }, required: ['step', 'passed'] },
    },
    uncorroborated: { type: 'array', items: { type: 'string' }, description: 'steps reported passed that the key did not actually do in the sandbox' },
  },
  required: ['id', 'keyId', 'receivedAt', 'passed', 'steps', 'uncorroborated'],
} as const;

/**
 * The conformance script's report (test/homologate/runner.ts RunResult) as posted: the server reads
 * `passed` and each step's `id`, `passed` and failure; other fields (base, timings, the request and the
 * answer of a failure) are accepted and not kept. Bounded: 100 steps, short strings.
 */
export const postedReportSchema = {
  type: 'object',
  properties: {
    passed: { type: 'boolean' },
    base: { type: 'string', maxLength: 2_000 },
    startedAt: { type: 'string', maxLength: 40 },
    steps: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' },
          name: { type: 'string', maxLength: 200 },
          passed: { type: 'boolean' },
          durationMs: { type: 'integer', minimum: 0, maximum: 86_400_000 },
          failure: {
            type: 'object',
            properties: {
              expected: { type: 'string', maxLength: 2_000 },
              error: { type: 'string', maxLength: 2_000 },
              answer: { type: 'object', properties: { status: { type: 'integer', minimum: 0, maximum: 999 } } },
            },
          },
        },
        required: ['id', 'passed'],
      },
    },
  },
  required: ['passed', 'steps'],
} as const;
