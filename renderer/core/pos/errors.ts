import type { RuleError } from '../../../sync/rules/index.ts';

/** Why a POS operation was refused on the station; the UI translates `pos.errors.<code>` with `params`. */
export type PosErrorCode =
  | 'not_ready'
  | 'forbidden'
  | 'empty_cart'
  | 'unknown_seller'
  | 'invalid_customer_tax_id'
  | 'unknown_sale'
  | 'not_finished'
  | 'is_exchange'
  | 'not_exchange'
  | 'reason_required'
  | 'invalid_reason'
  | 'nothing_returned'
  | 'return_exceeds_sold'
  | 'invalid_amount'
  | 'cash_not_open'
  | 'cash_already_open'
  | 'storage_failed'
  /** A sync/rules refusal; `rule` carries it so the UI can use ruleMessage(). */
  | 'rule';

export class PosError extends Error {
  constructor(
    readonly code: PosErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly rule?: RuleError,
  ) {
    super(rule?.message ?? `${code} ${JSON.stringify(params)}`);
    this.name = 'PosError';
  }
}
