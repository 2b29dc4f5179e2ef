/** Every failure the core hands to the UI carries one of these codes; the UI translates it (errors.*). */
export type CoreErrorCode =
  | 'server_unreachable'
  | 'invalid_server_url'
  | 'insecure_server_url'
  | 'invalid_pairing'
  | 'invalid_credentials'
  | 'offline_never_logged_in'
  | 'offline_wrong_password'
  | 'session_expired'
  | 'not_paired'
  | 'storage_full'
  | 'storage_failed'
  | 'open_in_another_tab'
  | 'crypto_unavailable'
  | 'forbidden'
  | 'rate_limited'
  | 'server_error'
  | 'unexpected';

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? code, options);
    this.name = 'CoreError';
  }
}

export function coreErrorCode(error: unknown): CoreErrorCode {
  return error instanceof CoreError ? error.code : 'unexpected';
}
