/**
 * The few server calls the renderer makes itself (pairing, login). Replication traffic belongs to
 * sync/client; these move there once it ships a shared API client.
 */
import type { ErrorBody, ErrorCode, Health, LoginRequest, LoginResponse, PairRequest, PairResponse } from '../../sync/schema/index.ts';
import { CoreError, type CoreErrorCode } from './errors.ts';

const TIMEOUT_MS = 8000;

/** Accepts `localhost:4010`, `http://host:4010/`; returns `http://host:4010` or throws invalid_server_url. */
export function normalizeServerUrl(input: string): string {
  let text = input.trim();
  if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CoreError('invalid_server_url');
  }
  if (!url.hostname) throw new CoreError('invalid_server_url');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function mapServerCode(code: ErrorCode | undefined, status: number): CoreErrorCode {
  switch (code) {
    case 'invalid_pairing':
      return 'invalid_pairing';
    case 'invalid_credentials':
      return 'invalid_credentials';
    case 'unauthorized':
    case 'session_expired':
      return 'session_expired';
    case 'forbidden':
      return 'forbidden';
    case 'rate_limited':
      return 'rate_limited';
    default:
      return status >= 500 ? 'server_error' : 'unexpected';
  }
}

async function request<T>(serverUrl: string, path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    // fetch rejects only when no HTTP answer came: DNS, refused connection, CORS, timeout.
    throw new CoreError('server_unreachable', `No answer from ${serverUrl}`, { cause });
  }
  if (response.ok) return (await response.json()) as T;
  let body: Partial<ErrorBody> = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not our server (a proxy page, another app on that port).
  }
  throw new CoreError(mapServerCode(body.error?.code, response.status), body.error?.message ?? `HTTP ${response.status}`);
}

export function health(serverUrl: string): Promise<Health> {
  return request<Health>(serverUrl, '/health');
}

export function pairStation(serverUrl: string, body: PairRequest): Promise<PairResponse> {
  return request<PairResponse>(serverUrl, '/api/stations/pair', { method: 'POST', body: JSON.stringify(body) });
}

export function login(serverUrl: string, body: LoginRequest): Promise<LoginResponse> {
  return request<LoginResponse>(serverUrl, '/api/auth/login', { method: 'POST', body: JSON.stringify(body) });
}
