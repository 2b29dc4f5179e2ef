import type { Sale } from '../../schema/index.ts';
import { sameDocument } from '../sync/stable-json.ts';
import type { BusinessRule, References, Refusal } from './rule.ts';
import { checkExchange, checkNoStandingExchange, exchangeReferences } from './exchanges.ts';
import { checkSaleTotals } from './sale-totals-check.ts';
import { STORE_SETTINGS_ID, supervisorRecordId } from '../../rules/index.ts';

function findActive(references: References, collection: 'products' | 'masterdata', id: string) {
  const found = references.get(collection)?.get(id);
  return found && !found.deleted ? found : undefined;
}

function masterOfKind(references: References, id: string, kind: string) {
  const found = findActive(references, 'masterdata', id);
  return found && found.data.kind === kind ? found : undefined;
}

/** What may change in a finished sale: only its cancellation (POS-10). */
function isCancellationOf(previous: Record<string, unknown>, next: Sale): boolean {
  if (next.status !== 'cancelled' || !next.cancellation) return false;
  const { status: _s1, cancellation: _c1, ...before } = previous;
  const { status: _s2, cancellation: _c2, _deleted: _d, ...after } = next as Sale & { _deleted?: boolean };
  return sameDocument(before, after);
}

function checkCancellationReason(sale: Sale, references: References): Refusal | null {
  if (!sale.cancellation) return null;
  if (masterOfKind(references, sale.cancellation.reasonId, 'financialReason')) return null;
  return { reason: 'unknown_reference', message: `Sale ${sale.id} was cancelled with financial reason ${sale.cancellation.reasonId}, which the server does not know. Choose another cancellation reason, then retry.` };
}

function checkItems(sale: Sale, references: References): Refusal | null {
  for (const item of sale.items) {
    const product = references.get('products')?.get(item.productId);
    if (!product || product.deleted) {
      return { reason: 'unknown_reference', message: `Product ${item.productId} does not exist on the server (removed?). Replace the item or ask the back office to restore the product, then retry.` };
    }
    if (product.data.active === false) {
      return { reason: 'inactive_reference', message: `Product ${item.productId} is inactive on the server. Replace the item or reactivate the product, then retry.` };
    }
  }
  return null;
}

function checkPaymentReferences(sale: Sale, references: References): Refusal | null {
  for (const payment of sale.payments) {
    if (!masterOfKind(references, payment.paymentTypeId, 'paymentType')) {
      return { reason: 'unknown_reference', message: `Payment type ${payment.paymentTypeId} of sale ${sale.id} does not exist on the server. Choose another payment type or register this one, then retry.` };
    }
    if (payment.paymentConditionId && !masterOfKind(references, payment.paymentConditionId, 'paymentCondition')) {
      return { reason: 'unknown_reference', message: `Payment condition ${payment.paymentConditionId} of sale ${sale.id} does not exist on the server. Choose another condition or register this one, then retry.` };
    }
  }
  return null;
}

/** Every supervisor a sale names: in its authorisations and in its cancellation (POS-20). */
function supervisorsNamed(sale: Sale): string[] {
  return [...(sale.authorizations ?? []).map((authorization) => authorization.supervisorId), ...(sale.cancellation?.supervisorId ? [sale.cancellation.supervisorId] : [])];
}

/**
 * A supervisor named in a sale must be one of the store's (an active master record of kind
 * supervisor). The station checked the code offline against that record's hash; the server cannot see
 * the code, so it makes sure the authority claimed exists.
 */
function checkSupervisors(sale: Sale, references: References): Refusal | null {
  for (const userId of supervisorsNamed(sale)) {
    const record = masterOfKind(references, supervisorRecordId(userId), 'supervisor');
    // A revoked code stays as an inactive record (names still resolve) but authorises nothing.
    if (!record || record.data.active === false) {
      return { reason: 'not_permitted', message: `Sale ${sale.id} names ${userId} as the supervisor who authorised it, but ${userId} is not a supervisor of this store. Have an admin give ${userId} a supervisor code, or cancel the sale and record it again with a supervisor's authorisation.` };
    }
  }
  return null;
}

export const salesRule: BusinessRule<Sale> = {
  references: (sale) => [
    { collection: 'products', ids: sale.items.map((item) => item.productId) },
    {
      collection: 'masterdata',
      ids: [
        sale.sellerId,
        ...sale.payments.flatMap((payment) => (payment.paymentConditionId ? [payment.paymentTypeId, payment.paymentConditionId] : [payment.paymentTypeId])),
        ...(sale.cancellation ? [sale.cancellation.reasonId] : []),
        STORE_SETTINGS_ID,
        ...supervisorsNamed(sale).map(supervisorRecordId),
      ],
    },
    ...exchangeReferences(sale),
  ],
  check(sale, previous, references): Refusal | null {
    // A sale leaves the totals only by its cancellation (POS-10), which gives its stock and voucher spend
    // back and keeps it in the day's reports; a row marked deleted would skip the voucher effects
    // (vouchers.ts) while the stock moved, and would make the stored sale mutable again. No path deletes one.
    if (sale._deleted) {
      return { reason: 'immutable_document', message: `Sale ${sale.id} cannot be deleted: a sale is cancelled instead (its stock and voucher credit are given back and it stays in the reports). Send it with its cancellation, not as deleted.` };
    }
    if (previous && !previous.deleted) {
      const before = previous.data as Record<string, unknown>;
      if (before.status === 'cancelled') {
        return { reason: 'immutable_document', message: `Sale ${sale.id} is already cancelled and cannot change. Record a new sale instead.` };
      }
      if (before.status === 'finished' && !isCancellationOf(before, sale)) {
        return { reason: 'immutable_document', message: `Sale ${sale.id} is finished; only its cancellation may change it. Cancel it and record a new sale.` };
      }
      // A cancellation only needs its sale to exist and a known reason; products removed since must not block it.
      if (before.status === 'finished') return checkCancellationReason(sale, references) ?? checkSupervisors(sale, references) ?? checkNoStandingExchange(sale, references);
    }
    const refusal =
      checkItems(sale, references) ??
      (!masterOfKind(references, sale.sellerId, 'seller')
        ? { reason: 'unknown_reference' as const, message: `Seller ${sale.sellerId} does not exist on the server. Choose another seller or register this one, then retry.` }
        : null) ??
      checkPaymentReferences(sale, references) ??
      (sale.status === 'finished' ? checkExchange(sale, references) : null) ??
      checkCancellationReason(sale, references) ??
      checkSupervisors(sale, references);
    if (refusal) return refusal;
    // A sale cancelled before it was ever accepted counted nowhere: cancelling is a way out of totals_mismatch.
    return sale.status === 'cancelled' ? null : checkSaleTotals(sale, references);
  },
};
