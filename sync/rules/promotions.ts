import type { MasterRecord, Product, Promotion, SaleItem } from '../schema/index.ts';
import { multiplyCents, percentOfCents } from './money.ts';
import { isMeasuredUnit, lineAmountCents } from './measure.ts';

/**
 * Promotions (POS-17), computed the same way offline on the station and again on the server.
 *
 * Choices, so both sides agree to the cent:
 * - At most one promotion per line: the one giving the largest discount; on a tie the smallest
 *   promotion id (plain code-unit order, never locale order). The result therefore does not depend
 *   on the order promotions arrive in.
 * - Scope: with no product ids and no product group ids a promotion covers every product; otherwise a
 *   product matches by its id or its group. Station groups narrow it further when listed.
 * - Period: half-open [startsAt, endsAt) compared as instants, so back-to-back promotions never overlap.
 * - Buy X pay Y counts units of one line (one product): every full X units, X − Y are free.
 * - Lines whose price the cashier typed by hand get no promotion: the typed price is final and audited.
 */
export interface PromotionScope {
  /** The sale instant (ISO-8601), passed in so the rule stays deterministic. */
  at: string;
  /** The selling station's group; promotions limited to station groups skip stations without one. */
  stationGroupId?: string;
}

export interface PromotionChoice {
  promotionId: string;
  discountCents: number;
}

interface CompiledPromotion {
  id: string;
  promotion: Promotion;
  productIds: ReadonlySet<string>;
  productGroupIds: ReadonlySet<string>;
  stationGroupIds: ReadonlySet<string>;
  startsAtMs: number;
  endsAtMs: number;
}

export function instantMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not an ISO-8601 instant.`);
  return ms;
}

function boundMs(iso: string | undefined, open: number): number {
  return iso === undefined ? open : Date.parse(iso);
}

/** Active promotion records only; a promotion with an unreadable date never applies rather than always. */
function compile(records: readonly MasterRecord[]): CompiledPromotion[] {
  const compiled: CompiledPromotion[] = [];
  for (const record of records) {
    const promotion = record.promotion;
    if (record.kind !== 'promotion' || !record.active || !promotion) continue;
    const startsAtMs = boundMs(promotion.startsAt, -Infinity);
    const endsAtMs = boundMs(promotion.endsAt, Infinity);
    if (Number.isNaN(startsAtMs) || Number.isNaN(endsAtMs)) continue;
    compiled.push({
      id: record.id,
      promotion,
      productIds: new Set(promotion.productIds ?? []),
      productGroupIds: new Set(promotion.productGroupIds ?? []),
      stationGroupIds: new Set(promotion.stationGroupIds ?? []),
      startsAtMs,
      endsAtMs,
    });
  }
  return compiled;
}

function applies(promo: CompiledPromotion, product: Product, atMs: number, stationGroupId: string | undefined): boolean {
  if (atMs < promo.startsAtMs || atMs >= promo.endsAtMs) return false;
  if (promo.stationGroupIds.size > 0 && (stationGroupId === undefined || !promo.stationGroupIds.has(stationGroupId))) return false;
  if (promo.productIds.size === 0 && promo.productGroupIds.size === 0) return true;
  return promo.productIds.has(product.id) || promo.productGroupIds.has(product.groupId);
}

/**
 * What a promotion takes off a line of `quantity` at `unitPriceCents`, between 0 and the line amount.
 * With a measured `unit` (KG, M, L: quantity in grams/mm/mL, price per kg/m/L, POS-22) amounts follow
 * lineAmountCents; "buy X pay Y" counts whole units and never applies to measured goods.
 */
export function promotionDiscountCents(promotion: Promotion, unitPriceCents: number, quantity: number, unit?: string): number {
  const gross = lineAmountCents(unitPriceCents, quantity, unit);
  let discount = 0;
  switch (promotion.type) {
    case 'percentOff':
      discount = percentOfCents(gross, Math.min(promotion.percentBp ?? 0, 10_000));
      break;
    case 'amountOff':
      // Per unit, never below zero: R$ 5 off a R$ 3 item makes it free, not negative.
      discount = lineAmountCents(Math.min(promotion.amountCents ?? 0, unitPriceCents), quantity, unit);
      break;
    case 'buyXPayY': {
      const buy = promotion.buyQuantity ?? 0;
      const pay = promotion.payQuantity ?? buy;
      if (buy > 0 && pay < buy && !isMeasuredUnit(unit)) discount = multiplyCents(unitPriceCents, Math.floor(quantity / buy) * (buy - pay));
      break;
    }
  }
  return Math.max(0, Math.min(discount, gross));
}

function better(candidate: PromotionChoice, current: PromotionChoice | undefined): boolean {
  if (!current) return true;
  if (candidate.discountCents !== current.discountCents) return candidate.discountCents > current.discountCents;
  return candidate.promotionId < current.promotionId;
}

function bestOf(compiled: readonly CompiledPromotion[], product: Product, unitPriceCents: number, quantity: number, unit: string | undefined, atMs: number, stationGroupId: string | undefined): PromotionChoice | undefined {
  let best: PromotionChoice | undefined;
  for (const promo of compiled) {
    if (!applies(promo, product, atMs, stationGroupId)) continue;
    const candidate = { promotionId: promo.id, discountCents: promotionDiscountCents(promo.promotion, unitPriceCents, quantity, unit) };
    if (candidate.discountCents > 0 && better(candidate, best)) best = candidate;
  }
  return best;
}

/** Picks a line's promotion; undefined when none gives a discount. */
export type PromotionPicker = (product: Product, unitPriceCents: number, quantity: number, unit?: string) => PromotionChoice | undefined;

/** Prepares the promotions once for a whole sale (a sale can have 1,000 lines). */
export function promotionPicker(promotions: readonly MasterRecord[], scope: PromotionScope): PromotionPicker {
  const compiled = compile(promotions);
  const atMs = instantMs(scope.at);
  return (product, unitPriceCents, quantity, unit) => bestOf(compiled, product, unitPriceCents, quantity, unit, atMs, scope.stationGroupId);
}

/**
 * Items with promotions applied: `discountCents` becomes the promotion's discount, `totalCents` the
 * rest, `promotionId` the chosen promotion. Items need `unitPriceCents` already set (see pricing.ts);
 * items whose product is unknown are returned without a promotion.
 */
export function applyPromotions(
  items: readonly SaleItem[],
  products: ReadonlyMap<string, Product>,
  promotions: readonly MasterRecord[],
  scope: PromotionScope,
): SaleItem[] {
  const pick = promotionPicker(promotions, scope);
  return items.map((item) => {
    const { promotionId: _previous, ...rest } = item;
    const gross = lineAmountCents(item.unitPriceCents, item.quantity, item.unit);
    const product = products.get(item.productId);
    const choice = product && !item.priceOverride ? pick(product, item.unitPriceCents, item.quantity, item.unit) : undefined;
    const discountCents = choice?.discountCents ?? 0;
    return { ...rest, discountCents, totalCents: gross - discountCents, ...(choice ? { promotionId: choice.promotionId } : {}) };
  });
}
