import type { ErrorBody, ErrorCode } from '../schema/index.ts';

/** `network` means the server could not be reached: the UI says "keep working offline". */
export type ApiErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ApiErrorCode, message: string, status = 0, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

export function networkError(serverUrl: string, cause: unknown): ApiError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new ApiError(
    'network',
    `Server ${serverUrl} is unreachable${detail}. You can keep working offline; changes upload when it is back.`,
  );
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Turns a non-2xx response into an ApiError, keeping the server's code when it sent an ErrorBody. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy or a crash page may answer with something that is not JSON; the status still tells enough.
  }
  if (isErrorBody(body)) {
    return new ApiError(body.error.code, body.error.message, response.status, body.error.field);
  }
  const code: ErrorCode =
    response.status === 401 ? 'unauthorized' : response.status === 403 ? 'forbidden' : response.status === 404 ? 'not_found' : 'internal';
  return new ApiError(code, `Server answered HTTP ${response.status}. Try again; if it persists, contact support.`, response.status);
}
