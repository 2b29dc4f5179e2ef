import type { MasterRecord } from '../schema/index.ts';

/**
 * The store's own rules for the counter (issue 15), one master record of kind `storeSettings` with the
 * fixed id STORE_SETTINGS_ID in each store (ids are per store on the server). The admin edits it in the
 * app (PUT /api/store/settings); stations receive it like all master data and follow it offline.
 */
export const STORE_SETTINGS_ID = 'store-settings';

export interface StoreSettings {
  /** Selling past the stock the station knows: warn and go on, or block the sale. */
  stockPolicy: 'warn' | 'block';
  /** Seller: asked every sale, or the last one chosen on this station preselected. */
  sellerPolicy: 'ask' | 'remember';
  /** Largest manual discount a supervisor may authorise, in basis points of a line's amount (1000 = 10 %). */
  maxManualDiscountBp: number;
}

/** What a store that never saved its settings gets: warn, ask every sale, discounts up to 10 %. */
export const DEFAULT_STORE_SETTINGS: StoreSettings = { stockPolicy: 'warn', sellerPolicy: 'ask', maxManualDiscountBp: 1000 };

/** The settings in force: the store's record when it has one (and it is active), else the defaults. */
export function storeSettingsOf(record: MasterRecord | undefined): StoreSettings {
  if (!record || record.kind !== 'storeSettings' || !record.active) return DEFAULT_STORE_SETTINGS;
  return {
    stockPolicy: record.stockPolicy ?? DEFAULT_STORE_SETTINGS.stockPolicy,
    sellerPolicy: record.sellerPolicy ?? DEFAULT_STORE_SETTINGS.sellerPolicy,
    maxManualDiscountBp: record.maxManualDiscountBp ?? DEFAULT_STORE_SETTINGS.maxManualDiscountBp,
  };
}

/** The master record that stores `settings` (what the admin's route writes). */
export function storeSettingsRecord(settings: StoreSettings): MasterRecord {
  return { id: STORE_SETTINGS_ID, kind: 'storeSettings', code: 'store', name: 'Store settings', active: true, ...settings };
}

/**
 * Lines that sell more than the stock the station knows (quantities and stock in the unit's smallest
 * step). Under `block` the station refuses to record the sale while any is left; under `warn` it shows
 * them. The server never refuses a sale for stock: a station that sold offline did sell the goods.
 */
export function linesOverStock<L extends { productId: string; quantity: number }>(lines: readonly L[], stockOf: (productId: string) => number | undefined): L[] {
  const wanted = new Map<string, number>();
  for (const line of lines) wanted.set(line.productId, (wanted.get(line.productId) ?? 0) + line.quantity);
  return lines.filter((line) => {
    const stock = stockOf(line.productId);
    return stock !== undefined && (wanted.get(line.productId) ?? 0) > stock;
  });
}
