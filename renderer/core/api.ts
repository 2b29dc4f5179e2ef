/**
 * The server calls the core makes outside replication (pairing, login, heartbeat), through
 * sync/client's typed API client; its errors become CoreErrors the UI can translate.
 */
import { ApiError, createApiClient, type ApiClient, type ApiErrorCode } from '../../sync/client/index.ts';
import { parseServerAddress } from '../bridge/types.ts';
import { CoreError, type CoreErrorCode } from './errors.ts';

/**
 * Accepts `localhost:4010`, `http://127.0.0.1:4010/`, `https://servidor.loja.com.br`; returns the
 * origin (`https://servidor.loja.com.br`) or throws invalid_server_url / insecure_server_url
 * (a plain-http address outside this computer). The rule is the bridge's `parseServerAddress`.
 */
export function normalizeServerUrl(input: string): string {
  const address = parseServerAddress(input);
  if (!address.ok) throw new CoreError(address.problem);
  return address.origin;
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
