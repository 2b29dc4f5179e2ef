/**
 * The server calls the core makes outside replication (pairing, login, heartbeat), through
 * sync/client's typed API client; its errors become CoreErrors the UI can translate.
 */
import { ApiError, createApiClient, type ApiClient, type ApiErrorCode } from '../../sync/client/index.ts';
import { CoreError, type CoreErrorCode } from './errors.ts';

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

function coreCodeOf(code: ApiErrorCode, status: number): CoreErrorCode {
  switch (code) {
    case 'network':
      return 'server_unreachable';
    case 'invalid_pairing':
    case 'invalid_credentials':
    case 'forbidden':
    case 'rate_limited':
      return code;
    case 'unauthorized':
    case 'session_expired':
      return 'session_expired';
    default:
      return status >= 500 ? 'server_error' : 'unexpected';
  }
}

/** The API client with every rejection turned into a CoreError. */
export function serverApi(serverUrl: string, getToken: () => string | null = () => null): ApiClient {
  const client = createApiClient(serverUrl, getToken);
  return new Proxy(client, {
    get(target, key: keyof ApiClient) {
      const call = target[key] as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        try {
          return await call(...args);
        } catch (error) {
          if (error instanceof ApiError) throw new CoreError(coreCodeOf(error.code, error.status), error.message, { cause: error });
          throw error;
        }
      };
    },
  });
}
