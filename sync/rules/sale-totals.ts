import type { MasterRecord, Product, SaleItem } from '../schema/index.ts';
import { allocateCents, formatBrl, isCents, sumCents } from './money.ts';
import { isMeasuredUnit, lineAmountCents } from './measure.ts';
import { EMPTY_PRICE_TABLE, unitPriceOf, type PriceTable } from './pricing.ts';
import { promotionPicker } from './promotions.ts';
import { ok, refuse, type RuleResult } from './result.ts';
import { manualDiscountCapCents } from './authorization.ts';

/**
 * A sale's items and totals (POS-09), from what the cashier entered. The station computes them offline
 * and the server recomputes them (verify-sale.ts) with these same functions.
 *
 * A line's discount = its promotion + the cashier's line discount + its share of a whole-sale discount.
 * The whole-sale discount is spread over lines in proportion to what is left of each (largest
 * remainder), so line totals always add up to the sale total and no line goes below zero.
 */
export interface CartLine {
  productId: string;
  /** Whole units, or grams/mm/mL for a product sold by KG, M or L (measure.ts, POS-22). */
  quantity: number;
  /** Price the cashier typed instead of the table price (audited, POS-16); disables promotions. */
  priceOverrideCents?: number;
  /** Discount the cashier gave on this line, on top of any promotion. */
  manualDiscountCents?: number;
}

/** The most a sale line may carry, in units or grams/mm/mL (sales schema items[].quantity maximum). */
export const MAX_LINE_QUANTITY = 1_000_000;

export interface PricingContext {
  products: ReadonlyMap<string, Product>;
  /** Master records of kind 'promotion' the station received; others are ignored. */
  promotions: readonly MasterRecord[];
  /** The station group's prices (pricing.ts priceTableOf); the catalogue price otherwise. */
  priceTable?: PriceTable;
  stationGroupId?: string;
  /** Sale instant (ISO-8601) that decides which promotions are running. */
  at: string;
}

export interface SaleTotals {
  items: SaleItem[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
}

/** Subtotal, discount and total are sums of the lines, so they can never disagree with them. */
export function totalsOf(items: readonly SaleItem[]): Omit<SaleTotals, 'items'> {
  return {
    subtotalCents: sumCents(items.map((item) => lineAmountCents(item.unitPriceCents, item.quantity, item.unit))),
    discountCents: sumCents(items.map((item) => item.discountCents)),
    totalCents: sumCents(items.map((item) => item.totalCents)),
  };
}

function priceLine(line: CartLine, index: number, context: PricingContext, pick: ReturnType<typeof promotionPicker>): RuleResult<SaleItem> {
  const product = context.products.get(line.productId);
  if (!product) {
    return refuse('unknown_product', `Line ${index + 1}: product ${line.productId} is not in this station's catalogue. Remove the line or sync the station, then try again.`, { line: index + 1, productId: line.productId });
  }
  const manual = line.manualDiscountCents ?? 0;
  const override = line.priceOverrideCents;
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY || !isCents(manual) || (override !== undefined && !isCents(override))) {
    return refuse('invalid_line', `Line ${index + 1} (${product.name}) needs a whole quantity of at least 1 and prices in whole cents. Correct the line.`, { line: index + 1, product: product.name });
  }
  const unit = isMeasuredUnit(product.unit) ? product.unit : undefined;
  const unitPriceCents = override ?? unitPriceOf(product, context.priceTable ?? EMPTY_PRICE_TABLE);
  const gross = lineAmountCents(unitPriceCents, line.quantity, unit);
  const promotion = override === undefined ? pick(product, unitPriceCents, line.quantity, unit) : undefined;
  const discountCents = (promotion?.discountCents ?? 0) + manual;
  if (discountCents > gross) {
    return refuse('line_discount_too_large', `Line ${index + 1} (${product.name}): the discount ${formatBrl(discountCents)} is more than the line's ${formatBrl(gross)}. Lower the discount.`, { line: index + 1, product: product.name, discountCents, grossCents: gross });
  }
  return ok({
    productId: product.id,
    quantity: line.quantity,
    ...(unit ? { unit } : {}),
    unitPriceCents,
    discountCents,
    totalCents: gross - discountCents,
    ...(promotion ? { promotionId: promotion.promotionId } : {}),
    ...(override !== undefined ? { priceOverride: true, listPriceCents: unitPriceOf(product, context.priceTable ?? EMPTY_PRICE_TABLE) } : {}),
    ...(manual > 0 ? { manualDiscountCents: manual } : {}),
  });
}

/**
 * Spreads `totalCents` over lines in proportion to `weights` without passing any line's `caps`: the
 * proportional split first, then what the caps cut off goes to the lines with room left, in proportion
 * to that room. Null when the caps together hold less than the total.
 */
export function spreadWithinCaps(totalCents: number, weights: readonly number[], caps: readonly number[]): number[] | null {
  if (sumCents(caps) < totalCents) return null;
  const shares = allocateCents(totalCents, weights).map((share, index) => Math.min(share, caps[index]!));
  const left = totalCents - sumCents(shares);
  if (left === 0) return shares;
  const room = caps.map((cap, index) => cap - shares[index]!);
  // left ≤ the room left, so each extra share stays within its line's room (largest remainder).
  return allocateCents(left, room).map((extra, index) => shares[index]! + extra);
}

/**
 * Prices every line, applies promotions and the optional whole-sale discount, and sums it all. With
 * the store's `maxManualDiscountBp`, the sale discount is spread so that no line passes its own bound
 * (authorization.ts) whenever the sale's lines can hold it: a sale discount of exactly the bound of
 * the sale is then accepted, to the cent, instead of one line's rounded share going a cent over.
 */
export function computeSaleTotals(lines: readonly CartLine[], context: PricingContext, saleDiscountCents = 0, maxManualDiscountBp?: number): RuleResult<SaleTotals> {
  const pick = promotionPicker(context.promotions, context);
  const items: SaleItem[] = [];
  for (const [index, line] of lines.entries()) {
    const priced = priceLine(line, index, context, pick);
    if (!priced.ok) return priced;
    items.push(priced.value);
  }
  const before = sumCents(items.map((item) => item.totalCents));
  if (!isCents(saleDiscountCents) || saleDiscountCents > before) {
    return refuse('sale_discount_too_large', `The sale discount ${formatBrl(saleDiscountCents)} is more than the sale's ${formatBrl(before)}. Lower the discount.`, { discountCents: saleDiscountCents, totalCents: before });
  }
  const weights = items.map((item) => item.totalCents);
  const caps =
    maxManualDiscountBp === undefined
      ? null
      : items.map((item) => Math.max(0, Math.min(item.totalCents, manualDiscountCapCents(lineAmountCents(item.unitPriceCents, item.quantity, item.unit), maxManualDiscountBp) - (item.manualDiscountCents ?? 0))));
  // Beyond what the lines can hold, the plain split stands and the authorisation check says why.
  const shares = (caps && spreadWithinCaps(saleDiscountCents, weights, caps)) ?? allocateCents(saleDiscountCents, weights);
  const discounted = items.map((item, index) => {
    const share = shares[index] ?? 0;
    if (share === 0) return item;
    // A whole-sale discount is the cashier's too: its share counts as the line's manual discount (POS-20).
    return { ...item, discountCents: item.discountCents + share, totalCents: item.totalCents - share, manualDiscountCents: (item.manualDiscountCents ?? 0) + share };
  });
  return ok({ items: discounted, ...totalsOf(discounted) });
}
