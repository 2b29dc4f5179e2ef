import type {
  Health,
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

const CALL_TIMEOUT_MS = 10_000;

/** Typed calls the UI makes besides replication; each rejects with an ApiError. */
export interface ApiClient {
  health(): Promise<Health>;
  pair(request: PairRequest): Promise<PairResponse>;
  login(request: LoginRequest): Promise<LoginResponse>;
  me(): Promise<MeResponse>;
  /** Ends the session on the server: the token stops working at once (POST /api/auth/logout). */
  logout(): Promise<void>;
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
  // A hung server must not freeze a login form: these calls give up and say "unreachable".
  const timeout = () => AbortSignal.timeout(CALL_TIMEOUT_MS);
  return {
    health: () => requestJson<Health>(ctx, 'GET', '/health', undefined, timeout()),
    pair: (request) => requestJson<PairResponse>(ctx, 'POST', '/api/stations/pair', request, timeout()),
    login: (request) => requestJson<LoginResponse>(ctx, 'POST', '/api/auth/login', request, timeout()),
    me: () => requestJson<MeResponse>(ctx, 'GET', '/api/auth/me', undefined, timeout()),
    logout: async () => {
      await requestJson<unknown>(ctx, 'POST', '/api/auth/logout', undefined, timeout());
    },
    heartbeat: async (beat) => {
      await requestJson<unknown>(ctx, 'POST', '/api/stations/heartbeat', beat, timeout());
    },
    listErrors: () => requestJson<IntegrationError[]>(ctx, 'GET', '/api/sync/errors', undefined, timeout()),
    retryError: (id) => requestJson<unknown>(ctx, 'POST', `/api/sync/errors/${encodeURIComponent(id)}/retry`, undefined, timeout()),
  };
}
