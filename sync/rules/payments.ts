import type { MasterRecord, SalePayment } from '../schema/index.ts';
import { formatBrl, installmentPlan, isCents, sumCents } from './money.ts';
import { ok, refuse, type RuleResult } from './result.ts';

/**
 * The payment step (POS-06) and exchange credit (POS-11).
 *
 * - Exchange credit pays first: what is due is the total minus the credit, never below zero. Credit
 *   beyond the total is reported as left over (the store decides: voucher or refund), not as change.
 * - A payment's `amountCents` includes the interest of its payment condition; only the principal
 *   (amount − interest) pays what is due.
 * - Change only comes from cash: card, PIX and credit amounts together may not exceed what is due.
 */
export interface PaymentCheck {
  totalCents: number;
  exchangeCreditCents?: number;
  payments: readonly SalePayment[];
  /** Payment types by id (master records of kind 'paymentType'). */
  paymentTypes: ReadonlyMap<string, MasterRecord>;
}

export interface PaymentSummary {
  dueCents: number;
  /** Principal paid, interest excluded. */
  paidCents: number;
  cashCents: number;
  interestCents: number;
  changeCents: number;
  /** Exchange credit the sale did not use. */
  creditLeftCents: number;
}

export function settlePayments(check: PaymentCheck): RuleResult<PaymentSummary> {
  const credit = check.exchangeCreditCents ?? 0;
  const dueCents = Math.max(0, check.totalCents - credit);
  const creditLeftCents = Math.max(0, credit - check.totalCents);
  let cash = 0;
  let nonCash = 0;
  const interests: number[] = [];
  for (const [index, payment] of check.payments.entries()) {
    const type = check.paymentTypes.get(payment.paymentTypeId);
    if (!type || type.kind !== 'paymentType') {
      return refuse('unknown_payment_type', `Payment ${index + 1}: payment type ${payment.paymentTypeId} is unknown at this station. Choose another payment type or sync the station.`, { payment: index + 1, paymentTypeId: payment.paymentTypeId });
    }
    const interest = payment.interestCents ?? 0;
    if (!isCents(payment.amountCents) || !isCents(interest) || interest > payment.amountCents) {
      return refuse('invalid_payment', `Payment ${index + 1} (${type.name}) has an amount or interest that is not valid. Remove the payment and enter it again.`, { payment: index + 1, paymentType: type.name });
    }
    const principal = payment.amountCents - interest;
    if (type.method === 'cash') cash += principal;
    else nonCash += principal;
    interests.push(interest);
  }
  const paidCents = cash + nonCash;
  if (nonCash > dueCents) {
    return refuse('non_cash_overpayment', `Card, PIX and credit payments add up to ${formatBrl(nonCash)} but only ${formatBrl(dueCents)} is due; change can only be given in cash. Lower the non-cash amount.`, { nonCashCents: nonCash, dueCents });
  }
  if (paidCents < dueCents) {
    return refuse('insufficient_payment', `${formatBrl(paidCents)} paid of ${formatBrl(dueCents)} due. Add a payment for the remaining ${formatBrl(dueCents - paidCents)}.`, { paidCents, dueCents, missingCents: dueCents - paidCents });
  }
  return ok({ dueCents, paidCents, cashCents: cash, interestCents: sumCents(interests), changeCents: paidCents - dueCents, creditLeftCents });
}

/**
 * The payment for `principalCents` under a payment condition (n× with or without interest): the
 * amount the customer is charged, its interest and the installment amounts to print.
 */
export function paymentWithCondition(principalCents: number, paymentTypeId: string, condition?: MasterRecord): { payment: SalePayment; installmentAmounts: number[] } {
  const count = condition?.installments ?? 1;
  const plan = installmentPlan(principalCents, count, condition?.interestBp ?? 0);
  const payment: SalePayment = {
    paymentTypeId,
    ...(condition ? { paymentConditionId: condition.id } : {}),
    installments: count,
    amountCents: plan.totalCents,
    interestCents: plan.interestCents,
  };
  return { payment, installmentAmounts: plan.installments };
}
