import type { Sale } from '../schema/index.ts';
import { lineAmountCents, stepsPerUnit } from './measure.ts';
import { sumCents } from './money.ts';

/** What a sale's goods of one product are worth when they come back (POS-11). */
export interface ReturnableLine {
  productId: string;
  /** Quantity the sale sold, over all its lines of the product: whole units, or grams/mm/mL when `unit` is set. */
  soldQuantity: number;
  /** The lines' unit (absent: counted goods, or a line written before POS-22). */
  unit?: Sale['items'][number]['unit'];
  /** Whether the sale's lines of the product disagree on `unit`: then none of it can come back by exchange. */
  mixedUnits: boolean;
  /**
   * What the customer actually paid per unit (per kg, m or L of measured goods), after discounts and
   * promotions, rounded down, so one return of it (rounded half-up per line, measure.ts) never credits
   * more than was paid; over several exchanges `paidCents` caps the sum (returnUnitPriceCents). In cents.
   */
  unitPriceCents: number;
  /**
   * What the sale charged for the product over all its lines, after discounts and promotions: the most
   * all the sale's exchanges together may credit for it. In cents.
   */
  paidCents: number;
}

/** What is still returnable of one product of a sale once its standing exchanges are counted (POS-11). */
export interface ReturnLeft extends ReturnableLine {
  /** Quantity those exchanges did not take back yet: whole units, or grams/mm/mL when `unit` is set. */
  quantityLeft: number;
  /** The part of `paidCents` those exchanges did not credit yet. In cents. */
  creditLeftCents: number;
}

type ReturnedItem = NonNullable<Sale['exchange']>['returnedItems'][number];

/**
 * The returnable lines of a sale, by product: the one rule for what an exchange may give back and at
 * what credit, used through returnsLeft by the station (renderer/core/pos returnable) and by the server,
 * which refuses an exchange that returns a product in another unit, credits more per unit than this, or
 * takes the product's credit over all the sale's exchanges past `paidCents` (server/rules/exchanges.ts).
 */
export function returnableLines(sale: Pick<Sale, 'items'>): Map<string, ReturnableLine> {
  const totals = new Map<string, { quantity: number; totalCents: number; unit?: ReturnableLine['unit']; mixedUnits: boolean }>();
  for (const item of sale.items) {
    const line = totals.get(item.productId);
    if (!line) totals.set(item.productId, { quantity: item.quantity, totalCents: item.totalCents, ...(item.unit ? { unit: item.unit } : {}), mixedUnits: false });
    else totals.set(item.productId, { ...line, quantity: line.quantity + item.quantity, totalCents: line.totalCents + item.totalCents, mixedUnits: line.mixedUnits || line.unit !== item.unit });
  }
  return new Map(
    [...totals].map(([productId, line]) => [
      productId,
      {
        productId,
        soldQuantity: line.quantity,
        ...(line.unit ? { unit: line.unit } : {}),
        mixedUnits: line.mixedUnits,
        // In BigInt: a sale's total of one product times 1,000 steps may pass what a double holds exactly.
        unitPriceCents: line.quantity > 0 ? Number((BigInt(Math.max(0, line.totalCents)) * BigInt(stepsPerUnit(line.unit))) / BigInt(line.quantity)) : 0,
        paidCents: Math.max(0, line.totalCents),
      },
    ]),
  );
}

/**
 * The credit one returned line gives, in cents: its unit price (cents per unit, kg, m or L) times its
 * quantity (units, grams, mm or mL), half-up to the cent for measured goods (measure.ts lineAmountCents).
 */
export function returnedCreditCents(item: Pick<ReturnedItem, 'unitPriceCents' | 'quantity' | 'unit'>): number {
  return lineAmountCents(item.unitPriceCents, item.quantity, item.unit);
}

/**
 * What is still returnable of each product of `sale`, after its standing exchanges among `exchanges`
 * (finished exchanges of this sale; others are ignored): the quantity not yet returned and the part of
 * what was paid not yet credited. The station passes the exchanges it knows of, the server those it
 * stores (read under the store's lock), so of two stations exchanging the same sale offline the server
 * judges the second against the first.
 */
export function returnsLeft(sale: Pick<Sale, 'id' | 'items'>, exchanges: readonly Pick<Sale, 'status' | 'exchange'>[]): Map<string, ReturnLeft> {
  const returned = new Map<string, { quantity: number; creditCents: number }>();
  for (const exchange of exchanges) {
    if (exchange.status !== 'finished' || exchange.exchange?.originalSaleId !== sale.id) continue;
    for (const item of exchange.exchange.returnedItems) {
      const sum = returned.get(item.productId) ?? { quantity: 0, creditCents: 0 };
      returned.set(item.productId, { quantity: sum.quantity + item.quantity, creditCents: sumCents([sum.creditCents, returnedCreditCents(item)]) });
    }
  }
  return new Map(
    [...returnableLines(sale)].map(([productId, line]) => {
      const earlier = returned.get(productId) ?? { quantity: 0, creditCents: 0 };
      return [productId, { ...line, quantityLeft: Math.max(0, line.soldQuantity - earlier.quantity), creditLeftCents: Math.max(0, line.paidCents - earlier.creditCents) }];
    }),
  );
}

/**
 * The unit price (cents per unit, kg, m or L) at which `quantity` (units, grams, mm or mL) of a product
 * comes back: what was paid per unit, lowered only as far as needed for the line's credit, rounded
 * half-up, to stay within `creditLeftCents`. Each line rounds on its own, so without this cap a weighed
 * product returned a gram at a time over several exchanges would credit up to half a cent more per
 * exchange than was paid (3 g paid 119 cents came back as 3 × 40). A price is the only lever the sale
 * document has (its credit is the sum of its lines'), so when the cap binds on a line of a kilogram or
 * more the credit may fall short of it by under a cent per kg, m or L: the same order as rounding
 * `unitPriceCents` down already costs.
 */
export function returnUnitPriceCents(left: Pick<ReturnLeft, 'unitPriceCents' | 'unit' | 'creditLeftCents'>, quantity: number): number {
  if (quantity <= 0 || returnedCreditCents({ unitPriceCents: left.unitPriceCents, quantity, unit: left.unit }) <= left.creditLeftCents) return left.unitPriceCents;
  // Half-up keeps price × quantity ÷ steps at most `credit` while price × quantity < (credit + ½) × steps.
  const steps = BigInt(stepsPerUnit(left.unit));
  const highest = (BigInt(left.creditLeftCents) * steps + (steps + 1n) / 2n - 1n) / BigInt(quantity);
  return Math.min(left.unitPriceCents, Number(highest));
}
