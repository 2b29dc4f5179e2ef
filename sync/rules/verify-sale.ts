import type { MasterRecord, Product, Sale } from '../schema/index.ts';
import { formatBrl, installmentPlan, sumCents } from './money.ts';
import { isMeasuredUnit, lineAmountCents } from './measure.ts';
import { settlePayments } from './payments.ts';
import { EMPTY_PRICE_TABLE, unitPriceOf, type PriceTable } from './pricing.ts';
import { promotionPicker } from './promotions.ts';
import { totalsOf } from './sale-totals.ts';
import { authorizationIssues } from './authorization.ts';
import { voucherPaymentProblem } from './voucher.ts';
import type { StoreSettings } from './store-settings.ts';

/**
 * The server's recomputation of a sale a station pushed (quarantine reason `totals_mismatch`).
 *
 * Mismatches have a kind so the server can tell tampering or a bug from honest offline staleness:
 * - `arithmetic`: the sale contradicts itself (lines, totals, change, interest do not add up).
 * - `masterData`: the sale is consistent but used other prices or promotions than the server has now,
 *   e.g. a station that sold offline before a price change reached it.
 * - `payment`: the payments do not settle the sale (too little, change from a card, unknown type).
 * - `authorization`: a manual discount or price override without a supervisor, or beyond the store's
 *   bound (authorization.ts, POS-20). Checked only when the context carries the store's settings.
 *
 * The sale's own `createdAt` is the instant promotions are evaluated at. Manual discounts are not
 * stored apart from promotion discounts, so a line's discount is only checked to be at least its
 * promotion's and at most the line amount.
 */
export type SaleMismatchKind = 'arithmetic' | 'masterData' | 'payment' | 'authorization';

export interface SaleMismatch {
  kind: SaleMismatchKind;
  /** JSON pointer into the sale, e.g. `/items/2/totalCents`. */
  field: string;
  expected?: number | string | null;
  actual?: number | string | null;
  message: string;
}

export interface SaleVerificationContext {
  products: ReadonlyMap<string, Product>;
  promotions: readonly MasterRecord[];
  /** Payment types and payment conditions by id. */
  masterdata: ReadonlyMap<string, MasterRecord>;
  priceTable?: PriceTable;
  stationGroupId?: string;
  /** The store's settings (bound of manual discounts); without them authorisations are not checked. */
  settings?: StoreSettings;
}

function verifyItems(sale: Sale, context: SaleVerificationContext, out: SaleMismatch[]): void {
  const pick = promotionPicker(context.promotions, { at: sale.createdAt, stationGroupId: context.stationGroupId });
  for (const [index, item] of sale.items.entries()) {
    const at = `/items/${index}`;
    const gross = lineAmountCents(item.unitPriceCents, item.quantity, item.unit);
    if (item.discountCents > gross) {
      out.push({ kind: 'arithmetic', field: `${at}/discountCents`, expected: gross, actual: item.discountCents, message: `Item ${index + 1}: discount ${formatBrl(item.discountCents)} is more than the line amount ${formatBrl(gross)}.` });
    }
    if (item.totalCents !== gross - item.discountCents) {
      out.push({ kind: 'arithmetic', field: `${at}/totalCents`, expected: gross - item.discountCents, actual: item.totalCents, message: `Item ${index + 1}: total should be quantity × unit price − discount.` });
    }
    const product = context.products.get(item.productId);
    if (!product) {
      out.push({ kind: 'masterData', field: `${at}/productId`, actual: item.productId, message: `Item ${index + 1}: product ${item.productId} is unknown to the server.` });
      continue;
    }
    const unit = isMeasuredUnit(product.unit) ? product.unit : undefined;
    if ((item.unit ?? null) !== (unit ?? null)) {
      out.push({ kind: 'masterData', field: `${at}/unit`, expected: unit ?? null, actual: item.unit ?? null, message: `Item ${index + 1}: sold by ${item.unit ?? 'unit'} but the product is sold by ${product.unit} now.` });
    }
    if (!item.priceOverride) {
      const expectedPrice = unitPriceOf(product, context.priceTable ?? EMPTY_PRICE_TABLE);
      if (item.unitPriceCents !== expectedPrice) {
        out.push({ kind: 'masterData', field: `${at}/unitPriceCents`, expected: expectedPrice, actual: item.unitPriceCents, message: `Item ${index + 1}: unit price ${formatBrl(item.unitPriceCents)} differs from the price table's ${formatBrl(expectedPrice)}.` });
      }
    }
    const promotion = item.priceOverride ? undefined : pick(product, item.unitPriceCents, item.quantity, item.unit);
    if ((item.promotionId ?? null) !== (promotion?.promotionId ?? null)) {
      out.push({ kind: 'masterData', field: `${at}/promotionId`, expected: promotion?.promotionId ?? null, actual: item.promotionId ?? null, message: `Item ${index + 1}: the promotion applied differs from the best promotion running at the sale's time.` });
    } else if (promotion && item.discountCents < promotion.discountCents) {
      out.push({ kind: 'masterData', field: `${at}/discountCents`, expected: promotion.discountCents, actual: item.discountCents, message: `Item ${index + 1}: discount is less than promotion ${promotion.promotionId} gives.` });
    }
  }
}

function verifySums(sale: Sale, out: SaleMismatch[]): void {
  const expected = totalsOf(sale.items);
  for (const key of ['subtotalCents', 'discountCents', 'totalCents'] as const) {
    if (sale[key] !== expected[key]) {
      out.push({ kind: 'arithmetic', field: `/${key}`, expected: expected[key], actual: sale[key], message: `The sale's ${key} is not the sum of its items.` });
    }
  }
  if (sale.exchange) {
    const credit = sumCents(sale.exchange.returnedItems.map((item) => lineAmountCents(item.unitPriceCents, item.quantity, item.unit)));
    if (sale.exchange.creditCents !== credit) {
      out.push({ kind: 'arithmetic', field: '/exchange/creditCents', expected: credit, actual: sale.exchange.creditCents, message: 'Exchange credit is not the sum of the returned items.' });
    }
  }
}

function verifyPayments(sale: Sale, context: SaleVerificationContext, out: SaleMismatch[]): void {
  for (const [index, payment] of sale.payments.entries()) {
    if (!payment.paymentConditionId) continue;
    const condition = context.masterdata.get(payment.paymentConditionId);
    if (!condition || condition.kind !== 'paymentCondition') {
      out.push({ kind: 'masterData', field: `/payments/${index}/paymentConditionId`, actual: payment.paymentConditionId, message: `Payment ${index + 1}: payment condition ${payment.paymentConditionId} is unknown to the server.` });
      continue;
    }
    const interest = payment.interestCents ?? 0;
    const plan = installmentPlan(Math.max(0, payment.amountCents - interest), condition.installments ?? 1, condition.interestBp ?? 0);
    if (interest !== plan.interestCents || (payment.installments ?? 1) !== (condition.installments ?? 1)) {
      out.push({ kind: 'arithmetic', field: `/payments/${index}/interestCents`, expected: plan.interestCents, actual: interest, message: `Payment ${index + 1}: installments or interest do not match condition ${condition.name}.` });
    }
  }
  const settled = settlePayments({ totalCents: sale.totalCents, exchangeCreditCents: sale.exchange?.creditCents, payments: sale.payments, paymentTypes: context.masterdata });
  if (!settled.ok) {
    out.push({ kind: 'payment', field: '/payments', message: settled.error.message });
  } else {
    if (sale.changeCents !== settled.value.changeCents) {
      out.push({ kind: 'arithmetic', field: '/changeCents', expected: settled.value.changeCents, actual: sale.changeCents, message: 'Change is not the payments minus what was due.' });
    }
    // POS-21: an issued voucher is worth exactly the exchange credit the sale did not use.
    const voucher = sale.exchange?.voucher;
    if (voucher && voucher.amountCents !== settled.value.creditLeftCents) {
      out.push({ kind: 'arithmetic', field: '/exchange/voucher/amountCents', expected: settled.value.creditLeftCents, actual: voucher.amountCents, message: 'The voucher issued is not the exchange credit left unused.' });
    }
  }
  const voucherPayments = voucherPaymentProblem(sale, context.masterdata);
  if (!voucherPayments.ok) out.push({ kind: 'payment', field: '/payments', message: voucherPayments.error.message });
}

/** Every way the pushed sale differs from the server's recomputation; empty when it checks out. */
export function verifySaleTotals(sale: Sale, context: SaleVerificationContext): SaleMismatch[] {
  const mismatches: SaleMismatch[] = [];
  verifyItems(sale, context, mismatches);
  verifySums(sale, mismatches);
  verifyPayments(sale, context, mismatches);
  if (context.settings) {
    for (const issue of authorizationIssues(sale, context.settings)) mismatches.push({ kind: 'authorization', field: issue.field, message: issue.message });
  }
  return mismatches;
}
