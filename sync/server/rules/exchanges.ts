import type { Sale } from '../../schema/index.ts';
import { formatBrl, returnedCreditCents, returnsLeft } from '../../rules/index.ts';
import type { ReferenceRequest, References, Refusal } from './rule.ts';

/**
 * Exchanges (POS-11) return goods of an earlier sale. Stock follows them (stock-effects.ts), so the
 * server makes sure goods never come back twice: not more than the original sold (over all its
 * exchanges), not from a cancelled sale, and a sale is not cancelled while an exchange of it stands.
 * Credit and stock follow the returned lines, so each comes back in the unit it was sold in, for at
 * most what the customer paid per unit, and all the sale's exchanges together credit a product at most
 * what was paid for it (sync/rules exchange-lines.ts, the station's own rule).
 */
const ORIGINAL = ['exchange', 'originalSaleId'] as const;

export function exchangeReferences(sale: Sale): ReferenceRequest[] {
  const requests: ReferenceRequest[] = [];
  if (sale.exchange) {
    requests.push({ collection: 'sales', ids: [sale.exchange.originalSaleId] }, { collection: 'sales', field: ORIGINAL, ids: [sale.exchange.originalSaleId] });
  }
  if (sale.status === 'cancelled') requests.push({ collection: 'sales', field: ORIGINAL, ids: [sale.id] });
  return requests;
}

/** Standing exchanges of a sale among what the batch loaded (rows accepted earlier in the batch included). */
function standingExchangesOf(references: References, originalSaleId: string, except: string): Sale[] {
  const found: Sale[] = [];
  for (const stored of references.get('sales')?.values() ?? []) {
    const sale = stored.data as unknown as Sale;
    if (!stored.deleted && sale.id !== except && sale.status === 'finished' && sale.exchange?.originalSaleId === originalSaleId) found.push(sale);
  }
  return found;
}

export function checkExchange(sale: Sale, references: References): Refusal | null {
  if (!sale.exchange) return null;
  const originalId = sale.exchange.originalSaleId;
  const stored = references.get('sales')?.get(originalId);
  if (!stored || stored.deleted) {
    return { reason: 'unknown_reference', message: `Exchange ${sale.id} returns goods of sale ${originalId}, which the server does not have. Upload the original sale first (it may be waiting on another station), then retry.` };
  }
  const original = stored.data as unknown as Sale;
  if (original.status === 'cancelled') {
    return { reason: 'invalid_transition', message: `Exchange ${sale.id} returns goods of sale ${originalId}, which is cancelled (its goods already came back). Cancel the exchange and record a new sale instead.` };
  }
  // Each returned line comes back in the unit it was sold in and for at most what was paid for it (sync/rules
  // returnsLeft, the station's own rule): otherwise a line priced up, or sent without its unit (500 g read
  // as 500 kg), turns a small purchase into a large credit, a voucher, or stock that never was. What is left
  // counts the exchanges stored, read under the store's lock with the rows accepted earlier in the batch.
  const left = returnsLeft(original, standingExchangesOf(references, originalId, sale.id));
  // One line per product, as the station returns them: each line's credit is rounded on its own (half a cent
  // up at most), so a product split into many small lines would gain a cent's fraction per line.
  const seen = new Set<string>();
  for (const item of sale.exchange.returnedItems) {
    if (seen.has(item.productId)) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} returns product ${item.productId} in more than one line. Return each product in one line, then retry.` };
    }
    seen.add(item.productId);
  }
  for (const item of sale.exchange.returnedItems) {
    const line = left.get(item.productId);
    if (!line) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} returns product ${item.productId}, which sale ${originalId} did not sell. Correct the returned items, then retry.` };
    }
    if (line.mixedUnits || (item.unit ?? null) !== (line.unit ?? null)) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} returns product ${item.productId} ${item.unit ? `by ${item.unit}` : 'in whole units'}, but sale ${originalId} sold it ${line.mixedUnits ? 'in lines of different units' : line.unit ? `by ${line.unit}` : 'in whole units'}. Return it in the unit it was sold in, then retry.` };
    }
    if (item.unitPriceCents > line.unitPriceCents) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} credits ${formatBrl(item.unitPriceCents)} per unit of product ${item.productId}, but the customer paid ${formatBrl(line.unitPriceCents)} for it in sale ${originalId}. Credit at most what was paid, then retry.` };
    }
    if (item.quantity > line.quantityLeft) {
      return {
        reason: 'invalid_transition',
        message: `Exchange ${sale.id} returns ${item.quantity} of product ${item.productId}, but only ${line.quantityLeft} of it from sale ${originalId} can still come back. Correct the returned quantities, then retry.`,
      };
    }
    // Each exchange's line rounds half-up on its own, so exchanges of a few grams each would together credit
    // more than was paid. A station from before this cap, or one that did not know of another station's
    // exchange of the sale, goes over by a cent or so: refused all the same, since the server cannot tell it
    // from a crafted upload that repeats it at will, and kept in integration errors (nothing is lost).
    const credit = returnedCreditCents(item);
    if (credit > line.creditLeftCents) {
      return {
        reason: 'invalid_transition',
        message: `Exchange ${sale.id} credits ${formatBrl(credit)} for product ${item.productId}, but only ${formatBrl(line.creditLeftCents)} of the ${formatBrl(line.paidCents)} paid for it in sale ${originalId} is left after the sale's other exchanges. Cancel it at the station (it is kept as cancelled) and record the exchange again on an up-to-date station, which credits at most what is left.`,
      };
    }
  }
  return null;
}

/** A sale with a standing exchange is cancelled only after the exchange, or its returned goods would come back twice. */
export function checkNoStandingExchange(sale: Sale, references: References): Refusal | null {
  const [exchange] = standingExchangesOf(references, sale.id, sale.id);
  if (!exchange) return null;
  return { reason: 'invalid_transition', message: `Sale ${sale.id} has exchange ${exchange.id}, which returned part of its goods. Cancel the exchange first, then this sale.` };
}
