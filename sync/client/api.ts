import type {
  Heartbeat,
  IntegrationError,
  LoginRequest,
  LoginResponse,
  PairRequest,
  PairResponse,
  SessionUser,
} from '../schema/index.ts';
import { requestJson, type HttpContext } from './http.ts';

export interface MeResponse {
  user: SessionUser;
  store: { id: string; code: string; name: string };
  stationId: string | null;
}

/** Typed calls the UI makes besides replication; each rejects with an ApiError. */
export interface ApiClient {
  pair(request: PairRequest): Promise<PairResponse>;
  login(request: LoginRequest): Promise<LoginResponse>;
  me(): Promise<MeResponse>;
  heartbeat(beat: Heartbeat): Promise<void>;
  listErrors(): Promise<IntegrationError[]>;
  retryError(id: string): Promise<unknown>;
}

export function createApiClient(
  serverUrl: string,
  getToken: () => string | null,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  onUnauthorized?: () => void,
): ApiClient {
  const ctx: HttpContext = { serverUrl: serverUrl.replace(/\/+$/, ''), getToken, fetchImpl, onUnauthorized };
  return {
    pair: (request) => requestJson<PairResponse>(ctx, 'POST', '/api/stations/pair', request),
    login: (request) => requestJson<LoginResponse>(ctx, 'POST', '/api/auth/login', request),
    me: () => requestJson<MeResponse>(ctx, 'GET', '/api/auth/me'),
    heartbeat: async (beat) => {
      await requestJson<unknown>(ctx, 'POST', '/api/stations/heartbeat', beat);
    },
    listErrors: () => requestJson<IntegrationError[]>(ctx, 'GET', '/api/sync/errors'),
    retryError: (id) => requestJson<unknown>(ctx, 'POST', `/api/sync/errors/${encodeURIComponent(id)}/retry`),
  };
}
