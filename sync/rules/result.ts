/**
 * How a rule refuses something. Rules run on the station (pt-BR UI) and on the server (English API
 * messages), so a refusal carries a stable `code` the UI translates, the `params` its text needs, and
 * an English `message` for logs and integrators that says what happened and what to do.
 */
export const RULE_ERROR_CODES = [
  // contracts (BO-03)
  'invalid_transition',
  'reason_required',
  // back office records (BO-01..04)
  'invalid_value',
  'billed_period',
  'contract_cancelled',
  'unknown_service',
  /** A correcting record without a live record of its contract and service that covers it (consumption-corrections.ts). */
  'uncovered_correction',
  // design budgets (DES-11..14)
  'unknown_version',
  'already_converted',
  'outdated_version',
  'outdated_budget',
  'not_converted',
  'not_released',
  'not_in_review',
  'review_outdated',
  'review_finished',
  // sale (POS-06, POS-09, POS-11)
  'unknown_product',
  'invalid_line',
  'line_discount_too_large',
  'sale_discount_too_large',
  'unknown_payment_type',
  'invalid_payment',
  'non_cash_overpayment',
  'insufficient_payment',
  // exchange vouchers (POS-21)
  'voucher_unknown',
  'voucher_void',
  'voucher_overspent',
  'voucher_payment',
] as const;
export type RuleErrorCode = (typeof RULE_ERROR_CODES)[number];

export interface RuleError {
  code: RuleErrorCode;
  message: string;
  params?: Readonly<Record<string, string | number>>;
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; error: RuleError };

export function ok<T>(value: T): RuleResult<T> {
  return { ok: true, value };
}

export function refuse<T = never>(code: RuleErrorCode, message: string, params?: RuleError['params']): RuleResult<T> {
  return { ok: false, error: params ? { code, message, params } : { code, message } };
}
