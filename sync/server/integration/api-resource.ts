import { ApiProblem } from '../http/problem.ts';

/**
 * The resource an integration route serves (contract with the API-key work): a key needs
 * `<resource>:read` for GET/HEAD and `<resource>:write` for any other method on the route.
 */
export type ApiResource = 'products' | 'stock' | 'orders' | 'sales' | 'masterdata' | 'billing' | 'webhooks';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The integration resource of the route (API keys are scoped per resource). */
    apiResource?: ApiResource;
  }
}

/** `/api/v1` routes of the integration resources. */
export const V1 = '/api/v1';

/**
 * An opaque cursor: base64url of a small JSON value. Integrators pass it back unchanged; its inside
 * may change between versions. A cursor that does not decode is a 400 naming the parameter.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The value inside a cursor, when `isValid` accepts it; else a 400 naming `cursor`. */
export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) throw new ApiProblem(400, 'validation_failed', 'The cursor is not one this server issued. Pass nextCursor of the previous page unchanged, or leave it out to start from the beginning.', 'cursor');
  return value;
}

export const cursorQuery = { type: 'string', minLength: 1, maxLength: 400, description: 'Opaque: nextCursor of the previous page; absent = from the beginning' } as const;
