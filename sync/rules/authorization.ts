import type { Sale, SaleAuthorization, SaleItem } from '../schema/index.ts';
import { formatBrl, percentOfCents } from './money.ts';
import { lineAmountCents } from './measure.ts';
import type { StoreSettings } from './store-settings.ts';

/**
 * What in a sale needs a supervisor (POS-20) and whether it stays within the store's bound, checked the
 * same way by the station before it records the sale and by the server when the sale arrives:
 *
 * - A manual discount (a line's own, or its share of a whole-sale discount: `manualDiscountCents`)
 *   needs a `discount` authorisation and may not exceed `maxManualDiscountBp` of the line's amount,
 *   rounded up to the cent (manualDiscountCapCents): a whole-sale discount of exactly the bound of the
 *   sale, spread over its lines, then always fits every line (sale-totals.ts), whatever the rounding.
 * - A price override needs a `priceOverride` authorisation, carries the table price it replaced
 *   (`listPriceCents`), and may lower the price by at most `maxManualDiscountBp` of it (raising it is
 *   not a discount). Percentages round half-even to the cent (money.ts).
 * - Whether the supervisor named is one of the store's is the server's check (sync/server/rules).
 */
/** The most manual discount a line of `grossCents` may carry under `basisPoints`, in cents: the bound rounded up. */
export function manualDiscountCapCents(grossCents: number, basisPoints: number): number {
  return Number((BigInt(grossCents) * BigInt(basisPoints) + 9_999n) / 10_000n);
}

export interface AuthorizationIssue {
  /** JSON pointer into the sale. */
  field: string;
  message: string;
}

/** The authorisations a sale's items call for. */
export function requiredAuthorizations(items: readonly SaleItem[]): Set<SaleAuthorization['action']> {
  const needed = new Set<SaleAuthorization['action']>();
  for (const item of items) {
    if ((item.manualDiscountCents ?? 0) > 0) needed.add('discount');
    if (item.priceOverride) needed.add('priceOverride');
  }
  return needed;
}

export function authorizationIssues(sale: Pick<Sale, 'items' | 'authorizations'>, settings: StoreSettings): AuthorizationIssue[] {
  const issues: AuthorizationIssue[] = [];
  const given = new Set((sale.authorizations ?? []).map((authorization) => authorization.action));
  const bound = settings.maxManualDiscountBp;
  for (const [index, item] of sale.items.entries()) {
    const at = `/items/${index}`;
    const manual = item.manualDiscountCents ?? 0;
    if (manual > item.discountCents) {
      issues.push({ field: `${at}/manualDiscountCents`, message: `Item ${index + 1}: the manual discount ${formatBrl(manual)} is more than the line's whole discount ${formatBrl(item.discountCents)}.` });
    }
    const gross = lineAmountCents(item.unitPriceCents, item.quantity, item.unit);
    const most = manualDiscountCapCents(gross, bound);
    if (manual > most) {
      issues.push({ field: `${at}/manualDiscountCents`, message: `Item ${index + 1}: the manual discount ${formatBrl(manual)} is more than the store allows (${bound / 100} % = ${formatBrl(most)}).` });
    }
    if (item.priceOverride) {
      if (item.listPriceCents === undefined) {
        issues.push({ field: `${at}/listPriceCents`, message: `Item ${index + 1}: a price override must say which table price it replaced.` });
      } else if (item.listPriceCents - item.unitPriceCents > percentOfCents(item.listPriceCents, bound)) {
        issues.push({ field: `${at}/unitPriceCents`, message: `Item ${index + 1}: the price ${formatBrl(item.unitPriceCents)} is lower than the store allows below the table price ${formatBrl(item.listPriceCents)} (${bound / 100} %).` });
      }
    }
  }
  for (const action of requiredAuthorizations(sale.items)) {
    if (!given.has(action)) issues.push({ field: '/authorizations', message: `The sale has a ${action === 'discount' ? 'manual discount' : 'price override'} without a supervisor's authorisation.` });
  }
  return issues;
}
