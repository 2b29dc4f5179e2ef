import { call } from './servers.ts';

export const CASH = 'loja1-paymentType-dinheiro';
export const DEBIT = 'loja1-paymentType-debito';
export const CREDIT = 'loja1-paymentType-credito';
export const PIX = 'loja1-paymentType-pix';
export const CANCEL_REASON = 'loja1-financialReason-cancelamento';

export type Line = [productId: string, quantity: number, unitPriceCents: number];

export interface SaleOptions {
  number?: number;
  sellerId?: string;
  createdAt?: string;
  /** Defaults to one cash payment of exactly what is due. */
  payments?: { paymentTypeId: string; amountCents: number; paymentConditionId?: string; installments?: number; interestCents?: number }[];
  changeCents?: number;
  /** Returned goods of an exchange; the credit is their value. */
  returned?: { originalSaleId: string; lines: Line[] };
}

/** A sale whose lines, totals, credit and payments add up, as a station records it. */
export function posSale(id: string, stationId: string, lines: Line[], options: SaleOptions = {}): Record<string, unknown> {
  const items = lines.map(([productId, quantity, unitPriceCents]) => ({ productId, quantity, unitPriceCents, discountCents: 0, totalCents: quantity * unitPriceCents }));
  const totalCents = items.reduce((sum, item) => sum + item.totalCents, 0);
  const exchange = options.returned
    ? {
        originalSaleId: options.returned.originalSaleId,
        creditCents: options.returned.lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0),
        returnedItems: options.returned.lines.map(([productId, quantity, unitPriceCents]) => ({ productId, quantity, unitPriceCents })),
      }
    : undefined;
  const due = Math.max(0, totalCents - (exchange?.creditCents ?? 0));
  return {
    id,
    stationId,
    number: options.number ?? 1,
    userId: 'loja1-caixa',
    sellerId: options.sellerId ?? 'loja1-seller-v01',
    createdAt: options.createdAt ?? '2026-11-23T13:00:00.000Z',
    items,
    payments: options.payments ?? (due > 0 ? [{ paymentTypeId: CASH, amountCents: due }] : []),
    subtotalCents: totalCents,
    discountCents: 0,
    totalCents,
    changeCents: options.changeCents ?? 0,
    ...(exchange ? { exchange } : {}),
    status: 'finished',
    _deleted: false,
  };
}

export function cancelled(sale: Record<string, unknown>, at = '2026-11-23T15:00:00.000Z'): Record<string, unknown> {
  return { ...sale, status: 'cancelled', cancellation: { reasonId: CANCEL_REASON, userId: 'loja1-caixa', at } };
}

export async function stockOf(server: { url: string }, token: string, productIds: string[]): Promise<Record<string, number>> {
  const stock: Record<string, number> = {};
  for (const id of productIds) {
    const answer = await call(server.url, 'GET', `/api/v1/products/${id}`, { token });
    if (answer.status !== 200) throw new Error(`product ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    stock[id] = answer.body.stock as number;
  }
  return stock;
}

/** `before` moved by `change` per product, for readable stock expectations. */
export function moved(before: Record<string, number>, change: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(before).map(([id, stock]) => [id, stock + (change[id] ?? 0)]));
}
