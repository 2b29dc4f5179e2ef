import type { Sale } from '../../schema/index.ts';
import { sameDocument } from '../sync/stable-json.ts';
import type { BusinessRule, References, Refusal } from './rule.ts';

function findActive(references: References, collection: 'products' | 'masterdata', id: string) {
  const found = references.get(collection)?.get(id);
  return found && !found.deleted ? found : undefined;
}

/** What may change in a finished sale: only its cancellation (POS-10). */
function isCancellationOf(previous: Record<string, unknown>, next: Sale): boolean {
  if (next.status !== 'cancelled' || !next.cancellation) return false;
  const { status: _s1, cancellation: _c1, ...before } = previous;
  const { status: _s2, cancellation: _c2, _deleted: _d, ...after } = next as Sale & { _deleted?: boolean };
  return sameDocument(before, after);
}

export const salesRule: BusinessRule<Sale> = {
  references: (sale) => [
    { collection: 'products', ids: sale.items.map((item) => item.productId) },
    { collection: 'masterdata', ids: [sale.sellerId] },
  ],
  check(sale, previous, references): Refusal | null {
    if (previous && !previous.deleted) {
      const before = previous.data as Record<string, unknown>;
      if (before.status === 'cancelled') {
        return { reason: 'immutable_document', message: `Sale ${sale.id} is already cancelled and cannot change. Record a new sale instead.` };
      }
      if (before.status === 'finished' && !isCancellationOf(before, sale)) {
        return { reason: 'immutable_document', message: `Sale ${sale.id} is finished; only its cancellation may change it. Cancel it and record a new sale.` };
      }
      // A cancellation only needs its sale to exist; products removed since must not block it.
      if (before.status === 'finished') return null;
    }
    for (const item of sale.items) {
      const product = references.get('products')?.get(item.productId);
      if (!product || product.deleted) {
        return { reason: 'unknown_reference', message: `Product ${item.productId} does not exist on the server (removed?). Replace the item or ask the back office to restore the product, then retry.` };
      }
      if (product.data.active === false) {
        return { reason: 'inactive_reference', message: `Product ${item.productId} is inactive on the server. Replace the item or reactivate the product, then retry.` };
      }
    }
    const seller = findActive(references, 'masterdata', sale.sellerId);
    if (!seller || seller.data.kind !== 'seller') {
      return { reason: 'unknown_reference', message: `Seller ${sale.sellerId} does not exist on the server. Choose another seller or register this one, then retry.` };
    }
    return null;
  },
};
