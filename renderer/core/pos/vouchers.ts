/**
 * Exchange vouchers at the station (POS-21; the design is in sync/rules/voucher.ts). The station
 * knows a voucher from the store's master record (issued anywhere, as last received) and from its own
 * sales (what it issued or spent and the server has not applied yet). Online, a spend is confirmed by
 * the server before the sale is kept; offline, the balance the station knows decides, and the server
 * settles the order when the sale uploads.
 */
import type { RxCollection } from 'rxdb';
import type { MasterRecord, Sale } from '../../../sync/schema/index.ts';
import { normalizeVoucherNumber, redeemVoucher, voucherBalanceCents, voucherKnownAtStation, voucherRecordId, voucherSpends, type VoucherState } from '../../../sync/rules/index.ts';
import { ApiError } from '../../../sync/client/index.ts';
import type { PosCatalog } from './catalog.ts';
import { PosError } from './errors.ts';

/** What the server said about a sale that spends a voucher, asked online before it is kept. */
export type VoucherConfirmation = { kind: 'confirmed' } | { kind: 'refused'; detail: string } | { kind: 'unreachable' };

/** A voucher as the cashier sees it before spending it. */
export interface VoucherInfo {
  number: string;
  issuedCents: number;
  balanceCents: number;
}

/** The station's sales that issue or spend `number`. */
async function salesNaming(sales: RxCollection<Sale>, number: string): Promise<Sale[]> {
  const docs = await sales.find({ selector: { $or: [{ 'exchange.voucher.number': number }, { payments: { $elemMatch: { voucherNumber: number } } }] } }).exec();
  return docs.map((doc) => doc.toJSON() as Sale);
}

export async function voucherAtStation(sales: RxCollection<Sale>, catalog: PosCatalog, number: string): Promise<VoucherState | null> {
  const record = catalog.byId.get(voucherRecordId(number));
  return voucherKnownAtStation(number, record?.kind === 'voucher' ? (record as MasterRecord) : undefined, await salesNaming(sales, number));
}

/** A typed or scanned number's voucher and balance; PosError('rule') when the station knows no such voucher. */
export async function lookUpVoucher(sales: RxCollection<Sale>, catalog: PosCatalog, text: string): Promise<VoucherInfo> {
  const number = normalizeVoucherNumber(text) ?? text.trim().toUpperCase();
  const state = await voucherAtStation(sales, catalog, number);
  const known = redeemVoucher(state, number, '', 1);
  if (!known.ok && known.error.code !== 'voucher_overspent') throw new PosError('rule', known.error.params ?? {}, known.error);
  return { number, issuedCents: state?.issuedCents ?? 0, balanceCents: state ? voucherBalanceCents(state) : 0 };
}

/** Refuses a sale whose voucher payments go beyond what the station knows is left. */
export async function checkSpendsHere(sales: RxCollection<Sale>, catalog: PosCatalog, sale: Pick<Sale, 'id' | 'payments'>): Promise<void> {
  for (const [number, cents] of voucherSpends(sale)) {
    const spent = redeemVoucher(await voucherAtStation(sales, catalog, number), number, sale.id, cents);
    if (!spent.ok) throw new PosError('rule', spent.error.params ?? {}, spent.error);
  }
}

/** An exchange is cancelled only while nothing of its voucher was spent (the server refuses it otherwise). */
export async function checkVoucherUnspent(sales: RxCollection<Sale>, catalog: PosCatalog, exchange: Sale): Promise<void> {
  const number = exchange.exchange?.voucher?.number;
  if (!number) return;
  const state = await voucherAtStation(sales, catalog, number);
  const spentBy = [...(state?.redemptions.keys() ?? [])].filter((saleId) => saleId !== exchange.id);
  if (spentBy.length > 0) throw new PosError('voucher_spent', { number, count: spentBy.length });
}

/**
 * The online confirmation through the core's authenticated request: accepted, refused (409, the
 * server's reason), or — for anything else (offline, timeout, server error) — unreachable, and the
 * station goes on with the balance it knows.
 */
export function voucherConfirmer(request: (method: 'POST', path: string, body: unknown) => Promise<unknown>): (sale: Sale) => Promise<VoucherConfirmation> {
  return async (sale) => {
    try {
      await request('POST', '/api/pos/voucher-sales', sale);
      return { kind: 'confirmed' };
    } catch (error) {
      const cause = (error as { cause?: unknown } | null)?.cause ?? error;
      if (cause instanceof ApiError && cause.status === 409) return { kind: 'refused', detail: cause.message };
      return { kind: 'unreachable' };
    }
  };
}
