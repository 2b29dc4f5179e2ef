import type { CartLine } from '../../../sync/rules/index.ts';

/**
 * The cart being rung up survives switching screens, a reload or a crash of the window: nothing a
 * cashier scanned is dropped. Cleared as soon as the sale is recorded, so it can never be sold twice.
 */
const KEY = 'balcao.pos.open-cart';

export interface OpenCart {
  lines: CartLine[];
  sellerId: string;
  taxId: string;
}

const isLine = (value: unknown): value is CartLine => {
  const line = value as Partial<CartLine> | null;
  return !!line && typeof line.productId === 'string' && Number.isSafeInteger(line.quantity) && (line.quantity ?? 0) >= 1;
};

export function loadOpenCart(): OpenCart | null {
  try {
    const stored = JSON.parse(window.localStorage.getItem(KEY) ?? 'null') as Partial<OpenCart> | null;
    if (!stored || !Array.isArray(stored.lines) || !stored.lines.every(isLine)) return null;
    return { lines: stored.lines, sellerId: typeof stored.sellerId === 'string' ? stored.sellerId : '', taxId: typeof stored.taxId === 'string' ? stored.taxId : '' };
  } catch {
    return null;
  }
}

export function saveOpenCart(cart: OpenCart | null): void {
  try {
    if (!cart || (cart.lines.length === 0 && !cart.taxId)) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, JSON.stringify(cart));
  } catch {
    // Storage full or unavailable: the cart still lives on screen, as before.
  }
}
