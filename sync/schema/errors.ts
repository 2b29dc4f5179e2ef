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
  /** Integration API: a request with the same Idempotency-Key is still running; retry after it ends. */
  'idempotency_in_progress',
  /** Integration API: If-Match names an older version (ETag) of the resource: read it again (no lost update). */
  'precondition_failed',
  /** Design portal events: the project's review is finished, design changes are refused (DES-14). */
  'design_locked',
  /** The design portal could not be reached or answered an error; try again later. */
  'portal_unavailable',
  /** Back office: a business rule refused the request (the message says which and what to do). */
  'business_rule',
  'internal',
  /** Integration API: a reservation or order asks for more than the available stock (stock − reserved). */
  'insufficient_stock',
  /** API-07: a production key is made only by promoting a sandbox key whose last homologation run passed. */
  'homologation_required',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * RFC 9457 problem details (`application/problem+json`) with the project's `error` object kept for
 * existing clients. `detail` is pt-BR or English as the request's Accept-Language picks.
 */
export interface ErrorBody {
  /** Stable URI of the problem type (a section of the server's /docs/conventions). */
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** pt-BR detail before the server localises the body (never sent to a client). */
  detailPt?: string;
  /** Per field or per batch item: a JSON pointer into the request and what is wrong with it. */
  errors?: { pointer: string; code?: string; detail: string; detailPt?: string }[];
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
  /**
   * A field breaks a rule of sync/rules (phone, e-mail, CEP, a missing deactivation reason, …), or the
   * document — or what the server derives from it — cannot be stored as it is: a device time out of
   * range, text the database cannot hold, a total beyond the limits. The message names the field.
   */
  'invalid_value',
  /** Back office: a customer with open receivables cannot be deactivated (BO-01). */
  'open_receivables',
  /** Back office: a service a contract uses cannot be deleted; deactivate it instead (BO-02). */
  'in_use',
  /** Back office: a record of a billed period cannot change; make a correcting record (BO-04). */
  'billed_period',
  /** Back office: usage for a contract cancelled on or before its date (BO-04). */
  'contract_cancelled',
  /** Another live record already holds this key (a product's sku, a master record's kind + code, a CPF/CNPJ, a consumption external id, a service code). */
  'duplicate_key',
  /** Records are never deleted (customers are deactivated, contracts cancelled). */
  'not_deletable',
  /** Two devices changed the same field offline; the first upload kept it, this version is kept here to re-apply. */
  'edit_conflict',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];
