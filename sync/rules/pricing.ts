import type { MasterRecord, Product } from '../schema/index.ts';

/**
 * A station group's own prices (POS-08). A group's table can hold 200,000 rows, so it is indexed once
 * per group and then looked up per scanned item.
 */
export type PriceTable = ReadonlyMap<string, number>;

export const EMPTY_PRICE_TABLE: PriceTable = new Map();

/**
 * The price table a station gets from its group. An inactive group no longer drives prices (the
 * admin switched it off), so its stations fall back to the catalogue. A product listed twice takes
 * its last row, matching how a spreadsheet import overwrites.
 */
export function priceTableOf(stationGroup: MasterRecord | undefined): PriceTable {
  if (!stationGroup || stationGroup.kind !== 'stationGroup' || !stationGroup.active || !stationGroup.priceTable) {
    return EMPTY_PRICE_TABLE;
  }
  return new Map(stationGroup.priceTable.map((row) => [row.productId, row.priceCents]));
}

/** Unit price of a product at a station: the group's price when it has one, else the catalogue price. */
export function unitPriceOf(product: Product, priceTable: PriceTable = EMPTY_PRICE_TABLE): number {
  return priceTable.get(product.id) ?? product.priceCents;
}
