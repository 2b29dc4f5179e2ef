import { ApiError } from '../../../sync/client/index.ts';
import { CoreError } from '../errors.ts';

/** Why a design operation failed on this device; the UI translates `design.errors.<code>`. */
export type DesignErrorCode =
  | 'forbidden'
  | 'not_ready'
  | 'name_required'
  | 'customer_required'
  | 'legacy_id_required'
  | 'invalid_item'
  | 'not_manual_item'
  | 'nothing_to_update'
  | 'wrong_design_credentials'
  | 'portal_not_registered'
  | 'offline'
  | 'storage_full'
  | 'storage_failed';

export class DesignError extends Error {
  constructor(
    readonly code: DesignErrorCode,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'DesignError';
  }
}

/** The HTTP status behind a CoreError from core.request, when the server answered at all. */
export function statusOf(error: unknown): number | null {
  const cause = error instanceof CoreError ? error.cause : error;
  return cause instanceof ApiError && cause.code !== 'network' ? cause.status : null;
}

/** The server's own sentence (English, for the detail line), when it gave one. */
export function serverMessageOf(error: unknown): string | null {
  const cause = error instanceof CoreError ? error.cause : error;
  return cause instanceof ApiError ? cause.message : null;
}
