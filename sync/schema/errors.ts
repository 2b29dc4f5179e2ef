/** Every error the server answers with carries one of these codes; the UI translates the code. */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'session_expired',
  'forbidden',
  'not_found',
  'unknown_collection',
  'invalid_credentials',
  'invalid_pairing',
  'read_only_collection',
  'rate_limited',
  'payload_too_large',
  /** Integration API: well-formed but refused for a business reason; kept in quarantine (see GET /api/sync/errors). */
  'quarantined',
  /** Integration API: an Idempotency-Key reused with a different request. */
  'idempotency_conflict',
  /** Design portal events: the project's review is finished, design changes are refused (DES-14). */
  'design_locked',
  /** The design portal could not be reached or answered an error; try again later. */
  'portal_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    /** English, for logs and integrators; says what happened and what to do. */
    message: string;
    /** JSON pointer of the offending field for validation errors, e.g. `/0/newDocumentState/priceCents`. */
    field?: string;
  };
}

/** Reasons the server keeps a well-formed document in quarantine instead of accepting it. */
export const QUARANTINE_REASONS = [
  'unknown_reference',
  'inactive_reference',
  'immutable_document',
  'invalid_transition',
  'totals_mismatch',
  'invalid_tax_id',
  'outdated_version',
  /** The user's roles do not allow this request (e.g. a designer releasing a contract). */
  'not_permitted',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];
