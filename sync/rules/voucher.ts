import type { MasterRecord, Sale } from '../schema/index.ts';
import { formatBrl, sumCents } from './money.ts';
import { ok, refuse, type RuleResult } from './result.ts';

/**
 * Exchange vouchers (POS-21): an exchange's unused credit becomes a voucher that any station of the
 * store accepts as a payment, also offline, and that is never spent twice.
 *
 * - Number: `<station code>-<exchange number>` in capitals (e.g. `CX01-42`). A station's codes are
 *   unique in the store and its running numbers are its own, so a station issues unique numbers
 *   without asking anyone, offline too. It is short enough to type and prints as a barcode.
 * - Where it lives: the exchange sale carries the voucher it issued (`exchange.voucher`); a sale that
 *   spends one carries it on the payment (`payments[].voucherNumber`, a payment type of method
 *   `voucher`). When the server accepts the exchange it writes a master record of kind `voucher`
 *   (id `voucher-<number>`) with the value issued and, later, each redemption it accepted; master
 *   data reaches every station of the store, so station 2 knows station 1's vouchers.
 * - The balance is the value issued minus every standing redemption (a cancelled sale gives its
 *   spend back); a cancelled exchange voids its voucher, and may only be cancelled while nothing was
 *   spent of it.
 * - Never spent twice: the server decides, in order. Every sale write of a store holds the store's
 *   lock, so redemptions are applied one after another against the record; one beyond the balance is
 *   refused with its reason and kept in quarantine (integration errors, shown to the admin), never
 *   applied and never lost. Online, a station asks the server first (POST /api/pos/voucher-sales
 *   writes the sale under that lock and answers accepted or refused) so the cashier knows at the
 *   counter; offline, the station checks the balance it knows — the record as last received, plus
 *   its own sales not yet applied there — and the server's in-order check settles the rest.
 */

/** The id of a voucher's master record. */
export function voucherRecordId(number: string): string {
  return `voucher-${number}`;
}

/** The number a station gives the voucher of its exchange number `saleNumber`. */
export function voucherNumberFor(stationCode: string, saleNumber: number): string {
  return `${stationCode.trim().toUpperCase()}-${saleNumber}`;
}

const NUMBER = /^[0-9A-Z][0-9A-Z-]{0,31}-[0-9]{1,10}$/;

/** A typed or scanned voucher number in its stored form (spaces dropped, capitals), or null when it cannot be one. */
export function normalizeVoucherNumber(text: string): string | null {
  const number = text.replace(/\s+/g, '').toUpperCase();
  return NUMBER.test(number) ? number : null;
}

/** A voucher as one side knows it: the value issued and the spends that stand, by sale id (cents). */
export interface VoucherState {
  number: string;
  issuedCents: number;
  /** The exchange that issued it. */
  saleId: string;
  /** The exchange was cancelled: the voucher is worth nothing. */
  void: boolean;
  redemptions: ReadonlyMap<string, number>;
}

export function voucherBalanceCents(state: VoucherState): number {
  return state.void ? 0 : Math.max(0, state.issuedCents - sumCents([...state.redemptions.values()]));
}

/** What a sale spends per voucher number, in cents (payments naming the same voucher add up). */
export function voucherSpends(sale: Pick<Sale, 'payments'>): Map<string, number> {
  const spends = new Map<string, number>();
  for (const payment of sale.payments) {
    if (!payment.voucherNumber) continue;
    spends.set(payment.voucherNumber, (spends.get(payment.voucherNumber) ?? 0) + payment.amountCents - (payment.interestCents ?? 0));
  }
  return spends;
}

/** The server's state of a voucher, from its master record. */
export function voucherFromRecord(record: MasterRecord): VoucherState {
  return {
    number: record.code,
    issuedCents: record.issuedCents ?? 0,
    saleId: record.saleId ?? '',
    void: !record.active,
    redemptions: new Map((record.redemptions ?? []).map((redemption) => [redemption.saleId, redemption.amountCents])),
  };
}

/**
 * The voucher as a station knows it: the server's record as last received (if any), with the
 * station's own sales laid over it — its issuing exchange, its spends not yet applied by the server,
 * and its cancellations not yet reflected there. Null when the station knows no such voucher.
 */
export function voucherKnownAtStation(number: string, record: MasterRecord | undefined, localSales: readonly Sale[]): VoucherState | null {
  const issuing = localSales.find((sale) => sale.exchange?.voucher?.number === number);
  if (!record && !issuing) return null;
  const redemptions = new Map(record ? voucherFromRecord(record).redemptions : []);
  for (const sale of localSales) {
    const spent = voucherSpends(sale).get(number);
    if (spent === undefined) continue;
    if (sale.status === 'finished') redemptions.set(sale.id, spent);
    else redemptions.delete(sale.id);
  }
  return {
    number,
    issuedCents: record?.issuedCents ?? issuing?.exchange?.voucher?.amountCents ?? 0,
    saleId: record?.saleId ?? issuing?.id ?? '',
    void: (record ? !record.active : false) || issuing?.status === 'cancelled',
    redemptions,
  };
}

/**
 * Spends `amountCents` of a voucher for sale `saleId`: the new state, or why not (unknown, void,
 * beyond the balance). Spending again for the same sale replaces its earlier spend (a retry).
 */
export function redeemVoucher(state: VoucherState | null, number: string, saleId: string, amountCents: number): RuleResult<VoucherState> {
  if (!state) {
    return refuse('voucher_unknown', `Voucher ${number} is not known here. Check the number; if it was issued at another station moments ago, connect to the server or sync, then retry.`, { number });
  }
  if (state.void) {
    return refuse('voucher_void', `Voucher ${number} is void: the exchange that issued it was cancelled. Choose another payment.`, { number });
  }
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) {
    return refuse('invalid_payment', `The amount paid with voucher ${number} must be a positive whole number of cents.`, { number });
  }
  const others = new Map(state.redemptions);
  others.delete(saleId);
  const balance = voucherBalanceCents({ ...state, redemptions: others });
  if (amountCents > balance) {
    return refuse(
      'voucher_overspent',
      `Voucher ${number} has ${formatBrl(balance)} left, less than the ${formatBrl(amountCents)} this sale spends from it (it was spent elsewhere). Pay the difference another way.`,
      { number, balanceCents: balance, amountCents },
    );
  }
  others.set(saleId, amountCents);
  return ok({ ...state, redemptions: others });
}

/**
 * Voucher payments must say which voucher, and only voucher payments may: a voucher-method payment
 * without a number, or a number on another method, is refused (`voucher_payment`).
 */
export function voucherPaymentProblem(sale: Pick<Sale, 'payments'>, paymentTypes: ReadonlyMap<string, MasterRecord>): RuleResult<null> {
  for (const [index, payment] of sale.payments.entries()) {
    const isVoucher = paymentTypes.get(payment.paymentTypeId)?.method === 'voucher';
    if (isVoucher !== Boolean(payment.voucherNumber)) {
      return refuse(
        'voucher_payment',
        isVoucher ? `Payment ${index + 1} is a voucher payment without a voucher number. Type or scan the voucher's number.` : `Payment ${index + 1} names voucher ${payment.voucherNumber} but its payment type is not a voucher.`,
        { payment: index + 1 },
      );
    }
    if (isVoucher && (payment.interestCents ?? 0) > 0) {
      return refuse('voucher_payment', `Payment ${index + 1} spends a voucher with interest; a voucher pays its face value.`, { payment: index + 1 });
    }
  }
  return ok(null);
}
