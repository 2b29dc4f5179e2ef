import type { ErrorBody, ErrorCode } from '../../schema/index.ts';

/** An error a caller can act on: thrown anywhere in a route, answered as an `ErrorBody`. */
export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Extra response headers (e.g. retry-after on 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const problems = {
  unauthorized: () => new ApiProblem(401, 'unauthorized', 'Sign in first: send the token from POST /api/auth/login as "Authorization: Bearer <token>".'),
  sessionExpired: () => new ApiProblem(401, 'session_expired', 'Your session has expired. Sign in again.'),
  forbidden: (what: string) => new ApiProblem(403, 'forbidden', `${what} Ask a store administrator for access if you need it.`),
  notFound: (what: string) => new ApiProblem(404, 'not_found', `${what} was not found. Check the id and try again.`),
  unknownCollection: (name: string) => new ApiProblem(404, 'unknown_collection', `There is no collection "${name}". See /docs for the list.`),
  readOnly: (name: string) => new ApiProblem(403, 'read_only_collection', `Collection "${name}" is read-only for your role; changes come from the central office.`),
  rateLimited: (seconds: number, what: string) =>
    new ApiProblem(429, 'rate_limited', `Too many failed attempts (${what}). Wait ${seconds} s and try again.`, undefined, { 'retry-after': String(seconds) }),
};

/** The `ErrorBody` shape for route schemas, so the API document shows what a refusal looks like. */
export const errorBodySchema = {
  type: 'object',
  description: 'A refusal: what happened and what to do (see the error codes in sync/schema/errors.ts)',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/** `response` entries for the 4xx and 5xx answers of a route. */
export const errorResponses = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const;
