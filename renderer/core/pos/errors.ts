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
  /** The local database has no space left (quota or disk). */
  | 'storage_full'
  /** Any other failure to write the local database. */
  | 'storage_failed'
  /** POS-20: the code typed is no supervisor's code at this station. */
  | 'supervisor_denied'
  /** POS-20: the operation needs a supervisor's authorisation (discount, price override, cancellation). */
  | 'needs_supervisor'
  /** POS-19: a sale on a closed till needs a supervisor. */
  | 'till_closed'
  /** POS-19: a withdrawal larger than the cash in the drawer needs a supervisor. */
  | 'withdrawal_exceeds_cash'
  /** Store setting stockPolicy = block: a line sells more than the stock the station knows. */
  | 'over_stock'
  /** POS-21: the server, asked online, refused the voucher spend (`detail`: its reason); nothing was recorded. */
  | 'voucher_refused'
  /** POS-21: the exchange's voucher was already spent (`sales`): cancel those sales first. */
  | 'voucher_spent'
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
