import { ApiError, errorFromResponse, networkError } from './api-error.ts';

export interface HttpContext {
  serverUrl: string;
  getToken(): string | null;
  fetchImpl: typeof fetch;
  onUnauthorized?(): void;
}

/** One JSON request; every failure becomes an ApiError (code `network` when nothing answered). */
export async function requestJson<T>(
  ctx: HttpContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  return (await requestJsonAnswer<T>(ctx, method, path, body, signal)).body;
}

/** requestJson, with the answer's headers (e.g. the push answer's `balcao-seq`). */
export async function requestJsonAnswer<T>(
  ctx: HttpContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = ctx.getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await ctx.fetchImpl(`${ctx.serverUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    throw networkError(ctx.serverUrl, cause);
  }
  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (response.status === 401) ctx.onUnauthorized?.();
    throw error;
  }
  if (response.status === 204) return { body: undefined as T, headers: response.headers };
  try {
    return { body: (await response.json()) as T, headers: response.headers };
  } catch (cause) {
    throw new ApiError('internal', `Server sent an unreadable answer (${String(cause)}). Try again later.`, response.status);
  }
}
