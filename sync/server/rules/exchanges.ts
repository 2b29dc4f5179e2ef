import type { Sale } from '../../schema/index.ts';
import { formatBrl, returnableLines } from '../../rules/index.ts';
import type { ReferenceRequest, References, Refusal } from './rule.ts';

/**
 * Exchanges (POS-11) return goods of an earlier sale. Stock follows them (stock-effects.ts), so the
 * server makes sure goods never come back twice: not more than the original sold (over all its
 * exchanges), not from a cancelled sale, and a sale is not cancelled while an exchange of it stands.
 * Credit and stock follow the returned lines, so each comes back in the unit it was sold in and for at
 * most what the customer paid per unit (sync/rules returnableLines).
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

function countByProduct(lines: readonly { productId: string; quantity: number }[], into = new Map<string, number>()): Map<string, number> {
  for (const line of lines) into.set(line.productId, (into.get(line.productId) ?? 0) + line.quantity);
  return into;
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
  // returnableLines, the station's own rule): otherwise a line priced up, or sent without its unit (500 g read
  // as 500 kg), turns a small purchase into a large credit, a voucher, or stock that never was.
  const lines = returnableLines(original);
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
    const line = lines.get(item.productId);
    if (!line) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} returns product ${item.productId}, which sale ${originalId} did not sell. Correct the returned items, then retry.` };
    }
    if (line.mixedUnits || (item.unit ?? null) !== (line.unit ?? null)) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} returns product ${item.productId} ${item.unit ? `by ${item.unit}` : 'in whole units'}, but sale ${originalId} sold it ${line.mixedUnits ? 'in lines of different units' : line.unit ? `by ${line.unit}` : 'in whole units'}. Return it in the unit it was sold in, then retry.` };
    }
    if (item.unitPriceCents > line.unitPriceCents) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} credits ${formatBrl(item.unitPriceCents)} per unit of product ${item.productId}, but the customer paid ${formatBrl(line.unitPriceCents)} for it in sale ${originalId}. Credit at most what was paid, then retry.` };
    }
  }
  const sold = countByProduct(original.items);
  const earlier = countByProduct(standingExchangesOf(references, originalId, sale.id).flatMap((exchange) => exchange.exchange?.returnedItems ?? []));
  for (const [productId, quantity] of countByProduct(sale.exchange.returnedItems)) {
    const left = (sold.get(productId) ?? 0) - (earlier.get(productId) ?? 0);
    if (quantity > left) {
      return {
        reason: 'invalid_transition',
        message: `Exchange ${sale.id} returns ${quantity} of product ${productId}, but only ${Math.max(0, left)} of it from sale ${originalId} can still come back. Correct the returned quantities, then retry.`,
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
