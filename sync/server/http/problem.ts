import type { ErrorBody, ErrorCode } from '../../schema/index.ts';

/** An error a caller can act on: thrown anywhere in a route, answered as an `ErrorBody`. */
export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
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
};
