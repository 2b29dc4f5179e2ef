import type { MasterRecord, Sale } from '../../schema/index.ts';
import { redeemVoucher, voucherFromRecord, voucherRecordId, voucherSpends, type VoucherState } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments, writeDocuments, type DocumentWrite, type StoredDocument } from '../db/documents.ts';
import type { Refusal } from './rule.ts';

/**
 * Exchange vouchers on the server (POS-21; the design is in sync/rules/voucher.ts). Runs inside the
 * sales write transaction, which holds the store's lock, after the sale rule accepted the batch: the
 * batch's sales are applied to the voucher records one after another, in upload order, so of two
 * sales spending the same balance (two stations offline, or two at the same instant online) the first
 * applied wins and the second is refused with its reason and kept in quarantine — never both applied.
 *
 * Effects hang on state transitions, like stock: a sale newly finished spends; a sale cancelled after
 * it was accepted gives its spend back; an exchange newly accepted issues its voucher (one number is
 * issued once: another sale claiming it is refused); an exchange cancelled voids its voucher, which it
 * may only do while nothing was spent of it. A retried batch finds its rows unchanged and gets here
 * with nothing to do.
 *
 * Returns the refusals by sale id (the caller moves them to quarantine) and writes the changed voucher
 * records (new sequence numbers, so they reach every station of the store).
 */
export async function applyVoucherEffects(tx: Queryable, storeId: string, accepted: readonly DocumentWrite[], previous: ReadonlyMap<string, StoredDocument>): Promise<Map<string, Refusal>> {
  const refusals = new Map<string, Refusal>();
  const numbers = new Set<string>();
  for (const write of accepted) {
    const sale = write.data as unknown as Sale;
    if (sale.exchange?.voucher) numbers.add(sale.exchange.voucher.number);
    for (const number of voucherSpends(sale).keys()) numbers.add(number);
  }
  if (numbers.size === 0) return refusals;

  const stored = await loadDocuments(tx, storeId, 'masterdata', [...numbers].map(voucherRecordId));
  const states = new Map<string, VoucherState | null>();
  const stateOf = (number: string): VoucherState | null => {
    if (!states.has(number)) {
      const record = stored.get(voucherRecordId(number));
      states.set(number, record && !record.deleted && record.data.kind === 'voucher' ? voucherFromRecord(record.data as unknown as MasterRecord) : null);
    }
    return states.get(number) ?? null;
  };
  const changed = new Set<string>();

  for (const write of accepted) {
    if (write.deleted) continue;
    const sale = write.data as unknown as Sale;
    const before = previous.get(write.id);
    const wasFinished = before !== undefined && !before.deleted && before.data.status === 'finished';
    const refusal = sale.status === 'finished' && !wasFinished ? finish(sale, stateOf, states, changed) : sale.status === 'cancelled' && wasFinished ? cancel(sale, stateOf, states, changed) : null;
    if (refusal) refusals.set(write.id, refusal);
  }

  const writes: DocumentWrite[] = [];
  for (const number of changed) {
    const state = states.get(number);
    if (!state) continue;
    const record: MasterRecord = {
      id: voucherRecordId(number),
      kind: 'voucher',
      code: number,
      name: number,
      active: !state.void,
      issuedCents: state.issuedCents,
      saleId: state.saleId,
      redemptions: [...state.redemptions].map(([saleId, amountCents]) => ({ saleId, amountCents })),
    };
    writes.push({ id: record.id, stationId: null, data: record as unknown as Record<string, unknown>, deleted: false });
  }
  if (writes.length > 0) await writeDocuments(tx, storeId, 'masterdata', writes);
  return refusals;
}

type StateOf = (number: string) => VoucherState | null;

/** A sale newly finished: issues its voucher and spends the ones it pays with; all or nothing. */
function finish(sale: Sale, stateOf: StateOf, states: Map<string, VoucherState | null>, changed: Set<string>): Refusal | null {
  const next = new Map<string, VoucherState>();
  const issued = sale.exchange?.voucher;
  if (issued) {
    const existing = stateOf(issued.number);
    if (existing && existing.saleId !== sale.id) {
      return { reason: 'duplicate_key', message: `Exchange ${sale.id} issues voucher ${issued.number}, but sale ${existing.saleId} already issued that number. The station's running numbers were reused (a restored or re-paired station?): cancel this exchange at the station and record it again.` };
    }
    next.set(issued.number, { number: issued.number, issuedCents: issued.amountCents, saleId: sale.id, void: false, redemptions: existing?.redemptions ?? new Map() });
  }
  for (const [number, amountCents] of voucherSpends(sale)) {
    const spent = redeemVoucher(next.get(number) ?? stateOf(number), number, sale.id, amountCents);
    if (!spent.ok) return { reason: spent.error.code === 'voucher_unknown' ? 'unknown_reference' : 'invalid_transition', message: `Sale ${sale.id}: ${spent.error.message}` };
    next.set(number, spent.value);
  }
  for (const [number, state] of next) {
    states.set(number, state);
    changed.add(number);
  }
  return null;
}

/** A sale cancelled after it was accepted: gives its spends back; an exchange voids its voucher if nothing was spent. */
function cancel(sale: Sale, stateOf: StateOf, states: Map<string, VoucherState | null>, changed: Set<string>): Refusal | null {
  const issued = sale.exchange?.voucher;
  const voucher = issued ? stateOf(issued.number) : null;
  if (issued && voucher && voucher.saleId === sale.id) {
    const spentBy = [...voucher.redemptions.keys()].filter((saleId) => saleId !== sale.id);
    if (spentBy.length > 0) {
      return { reason: 'invalid_transition', message: `Exchange ${sale.id} issued voucher ${issued.number}, which sale ${spentBy[0]} already spent. Cancel the sales paid with the voucher first, then this exchange.` };
    }
    states.set(issued.number, { ...voucher, void: true });
    changed.add(issued.number);
  }
  for (const number of voucherSpends(sale).keys()) {
    const state = stateOf(number);
    if (!state?.redemptions.has(sale.id)) continue;
    const redemptions = new Map(state.redemptions);
    redemptions.delete(sale.id);
    states.set(number, { ...state, redemptions });
    changed.add(number);
  }
  return null;
}
