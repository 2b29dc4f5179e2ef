/**
 * From what the cashier entered to the sale document, with sync/rules doing every sum: the sale
 * screen calls it on each keystroke (pure, synchronous) and the POS core calls it again to record.
 */
import type { Product, Sale, SaleAuthorization, SaleItem, SalePayment } from '../../../sync/schema/index.ts';
import {
  computeSaleTotals,
  isValidTaxId,
  lineAmountCents,
  normalizeTaxId,
  ok,
  paymentWithCondition,
  returnUnitPriceCents,
  settlePayments,
  sumCents,
  type CartLine,
  type PaymentSummary,
  type RuleResult,
  type SaleTotals,
} from '../../../sync/rules/index.ts';
import type { PosCatalog } from './catalog.ts';

/** A payment as the cashier enters it: the part of the sale it pays, before the condition's interest. */
export interface PaymentInput {
  paymentTypeId: string;
  paymentConditionId?: string;
  principalCents: number;
  /** A voucher-method payment type: the voucher it spends (POS-21), in its stored form. */
  voucherNumber?: string;
}

export interface ReturnedItem {
  productId: string;
  /** Whole units, or grams/mm/mL when `unit` is set (POS-22). */
  quantity: number;
  unit?: 'KG' | 'M' | 'L';
  /** Per unit, or per kg/m/L when `unit` is set. */
  unitPriceCents: number;
}

/** A product of an earlier sale as the exchange offers it back (POS-11): `quantity` is what is left to return. */
export interface ReturnableItem extends ReturnedItem {
  /** What the sale sold of it: whole units, or grams/mm/mL when `unit` is set. */
  soldQuantity: number;
  /** What the sale's exchanges this station knows of did not credit yet of what was paid for it, in cents. */
  creditLeftCents: number;
}

/**
 * The line that returns `quantity` (units, or grams/mm/mL) of `line`: at the price paid per unit (cents
 * per unit, kg, m or L), lowered when its rounded credit would take the product's credit over all the
 * sale's exchanges past what was paid (sync/rules returnUnitPriceCents). The exchange screen prices
 * with it as the cashier types, and recordExchange records with it, so both show the same credit.
 */
export function returnedItemOf(line: ReturnableItem, quantity: number): ReturnedItem {
  return { productId: line.productId, quantity, ...(line.unit ? { unit: line.unit } : {}), unitPriceCents: returnUnitPriceCents(line, quantity) };
}

export interface SaleDraft {
  lines: CartLine[];
  sellerId: string;
  customerTaxId?: string;
  saleDiscountCents?: number;
  payments: PaymentInput[];
  /** Goods brought back against an earlier sale (POS-11); their value pays first. */
  exchange?: { originalSaleId: string; returnedItems: ReturnedItem[] };
  /** Supervisor authorisations given for this sale (POS-20): discount, price override, closed till. */
  authorizations?: SaleAuthorization[];
}

export interface SaleQuote {
  totals: SaleTotals;
  creditCents: number;
  /** What is left to pay after exchange credit and the payments entered so far (principal). */
  remainingCents: number;
  payments: SalePayment[];
  /** Installment amounts per payment, for the receipt. */
  installmentAmounts: number[][];
}

export type ProductLookup = (id: string) => Product | undefined;

export function creditOf(returned: readonly ReturnedItem[]): number {
  return sumCents(returned.map((item) => lineAmountCents(item.unitPriceCents, item.quantity, item.unit)));
}

/** Totals and priced payments, without requiring the payments to cover the sale yet. */
export function quoteSale(draft: SaleDraft, catalog: PosCatalog, lookup: ProductLookup, at: string): RuleResult<SaleQuote> {
  const products = new Map<string, Product>();
  for (const line of draft.lines) {
    const product = lookup(line.productId);
    if (product) products.set(product.id, product);
  }
  const totals = computeSaleTotals(
    draft.lines,
    { products, promotions: catalog.promotions, priceTable: catalog.priceTable, stationGroupId: catalog.stationGroup?.id, at },
    draft.saleDiscountCents ?? 0,
    catalog.settings.maxManualDiscountBp,
  );
  if (!totals.ok) return totals;
  const creditCents = draft.exchange ? creditOf(draft.exchange.returnedItems) : 0;
  const payments: SalePayment[] = [];
  const installmentAmounts: number[][] = [];
  for (const input of draft.payments) {
    const condition = input.paymentConditionId ? catalog.byId.get(input.paymentConditionId) : undefined;
    const priced = paymentWithCondition(input.principalCents, input.paymentTypeId, condition?.kind === 'paymentCondition' ? condition : undefined);
    payments.push(input.voucherNumber ? { ...priced.payment, voucherNumber: input.voucherNumber } : priced.payment);
    installmentAmounts.push(priced.installmentAmounts);
  }
  const paid = sumCents(draft.payments.map((p) => p.principalCents));
  const due = Math.max(0, totals.value.totalCents - creditCents);
  return ok({ totals: totals.value, creditCents, remainingCents: Math.max(0, due - paid), payments, installmentAmounts });
}

export interface BuiltSale {
  sale: Omit<Sale, 'id' | 'number' | 'stationId' | 'userId'>;
  settlement: PaymentSummary;
  installmentAmounts: number[][];
}

/** The complete sale, or why it cannot be recorded (payments short, change from a card, …). */
export function buildSale(draft: SaleDraft, catalog: PosCatalog, lookup: ProductLookup, at: string): RuleResult<BuiltSale> {
  const quote = quoteSale(draft, catalog, lookup, at);
  if (!quote.ok) return quote;
  const { totals, creditCents, payments } = quote.value;
  const settled = settlePayments({ totalCents: totals.totalCents, exchangeCreditCents: creditCents, payments, paymentTypes: catalog.byId });
  if (!settled.ok) return settled;
  const taxId = draft.customerTaxId ? normalizeTaxId(draft.customerTaxId) : null;
  const sale: BuiltSale['sale'] = {
    sellerId: draft.sellerId,
    ...(taxId ? { customerTaxId: taxId } : {}),
    createdAt: at,
    items: totals.items satisfies SaleItem[],
    payments,
    subtotalCents: totals.subtotalCents,
    discountCents: totals.discountCents,
    totalCents: totals.totalCents,
    changeCents: settled.value.changeCents,
    ...(draft.exchange ? { exchange: { originalSaleId: draft.exchange.originalSaleId, creditCents, returnedItems: draft.exchange.returnedItems } } : {}),
    ...(draft.authorizations?.length ? { authorizations: draft.authorizations } : {}),
    status: 'finished',
  };
  return ok({ sale, settlement: settled.value, installmentAmounts: quote.value.installmentAmounts });
}

/** Empty is fine (the customer is optional); anything typed must be a valid CPF or CNPJ. */
export function customerTaxIdProblem(value: string | undefined): boolean {
  if (!value || !value.trim()) return false;
  return !isValidTaxId(value);
}

