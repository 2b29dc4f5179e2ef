/**
 * The sales summary (POS-15): totals per payment type, seller and day, from the station's own sales.
 * What has not been uploaded yet is totalled apart, so a manager comparing with the server's
 * summary knows which part the server cannot have seen.
 */
import type { Sale } from '../../../sync/schema/index.ts';
import type { SaleSyncState } from './sync-state.ts';

export interface SummaryBucket {
  key: string;
  count: number;
  totalCents: number;
}

export interface SalesSummary {
  saleCount: number;
  /** Goods sold: sum of sale totals (after discounts, before interest and exchange credit). */
  totalCents: number;
  /** Money received: payments including interest, minus change; the server's `paidCents`. */
  paidCents: number;
  byPaymentType: SummaryBucket[];
  bySeller: SummaryBucket[];
  byDay: SummaryBucket[];
  cancelledCount: number;
  cancelledCents: number;
  /** Exchange credit used as payment. */
  exchangeCreditCents: number;
  waiting: { count: number; totalCents: number };
}

/** Local calendar day of an instant, YYYY-MM-DD ('sv-SE' is the locale that formats that way). */
export function localDay(iso: string): string {
  return new Date(iso).toLocaleDateString('sv-SE');
}

function add(map: Map<string, SummaryBucket>, key: string, cents: number, countIt: boolean): void {
  const bucket = map.get(key) ?? { key, count: 0, totalCents: 0 };
  bucket.totalCents += cents;
  if (countIt) bucket.count += 1;
  map.set(key, bucket);
}

/**
 * Per payment type, seller and day the figures are what was really received (cash net of change,
 * card amounts with their interest), as the server's GET /api/pos/summary counts them, so the two
 * compare to the cent. The goods total (sale totals) is kept beside it.
 */
export function summarize(sales: readonly Sale[], stateOf: (sale: Sale) => SaleSyncState, isCash: (paymentTypeId: string) => boolean): SalesSummary {
  const byPayment = new Map<string, SummaryBucket>();
  const bySeller = new Map<string, SummaryBucket>();
  const byDay = new Map<string, SummaryBucket>();
  const summary: SalesSummary = { saleCount: 0, totalCents: 0, paidCents: 0, byPaymentType: [], bySeller: [], byDay: [], cancelledCount: 0, cancelledCents: 0, exchangeCreditCents: 0, waiting: { count: 0, totalCents: 0 } };
  for (const sale of sales) {
    if (stateOf(sale) === 'pending') {
      summary.waiting.count += 1;
      summary.waiting.totalCents += sale.status === 'finished' ? sale.totalCents : 0;
    }
    if (sale.status === 'cancelled') {
      summary.cancelledCount += 1;
      summary.cancelledCents += sale.totalCents;
      continue;
    }
    const paid = sale.payments.reduce((sum, p) => sum + p.amountCents, 0) - sale.changeCents;
    summary.saleCount += 1;
    summary.totalCents += sale.totalCents;
    summary.paidCents += paid;
    add(bySeller, sale.sellerId, paid, true);
    add(byDay, localDay(sale.createdAt), paid, true);
    let changeLeft = sale.changeCents;
    for (const payment of sale.payments) {
      let amount = payment.amountCents;
      // Change comes out of cash; a sale may have several cash payments.
      if (changeLeft > 0 && isCash(payment.paymentTypeId)) {
        const fromThis = Math.min(changeLeft, amount);
        amount -= fromThis;
        changeLeft -= fromThis;
      }
      add(byPayment, payment.paymentTypeId, amount, true);
    }
    if (sale.exchange) {
      const used = Math.min(sale.exchange.creditCents, sale.totalCents);
      summary.exchangeCreditCents += used;
    }
  }
  const sorted = (map: Map<string, SummaryBucket>) => [...map.values()].sort((a, b) => b.totalCents - a.totalCents || (a.key < b.key ? -1 : 1));
  summary.byPaymentType = sorted(byPayment);
  summary.bySeller = sorted(bySeller);
  summary.byDay = [...byDay.values()].sort((a, b) => (a.key < b.key ? 1 : -1));
  return summary;
}
