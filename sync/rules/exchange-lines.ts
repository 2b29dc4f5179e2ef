import type { Sale } from '../schema/index.ts';
import { stepsPerUnit } from './measure.ts';

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
   * promotions, rounded down: the credit of a return (rounded half-up per line, measure.ts) never
   * exceeds what was paid. In cents.
   */
  unitPriceCents: number;
}

/**
 * The returnable lines of a sale, by product: the one rule for what an exchange may give back and at
 * what credit, used by the station (renderer/core/pos returnable) and by the server, which refuses an
 * exchange that returns a product in another unit or credits more per unit than this (server/rules/exchanges.ts).
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
      },
    ]),
  );
}
