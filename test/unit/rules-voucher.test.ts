/** The exchange-voucher rule shared by station and server (sync/rules/voucher.ts, POS-21). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MasterRecord, Sale } from '../../sync/schema/index.ts';
import {
  normalizeVoucherNumber,
  redeemVoucher,
  voucherBalanceCents,
  voucherKnownAtStation,
  voucherNumberFor,
  voucherPaymentProblem,
  voucherSpends,
  type VoucherState,
} from '../../sync/rules/index.ts';

const state = (issuedCents: number, redemptions: [string, number][] = [], isVoid = false): VoucherState => ({ number: 'CX01-7', issuedCents, saleId: 'ex', void: isVoid, redemptions: new Map(redemptions) });
const record = (extra: Partial<MasterRecord> = {}): MasterRecord => ({ id: 'voucher-CX01-7', kind: 'voucher', code: 'CX01-7', name: 'CX01-7', active: true, issuedCents: 10_000, saleId: 'ex', redemptions: [], ...extra });
const spendingSale = (id: string, cents: number, status: Sale['status'] = 'finished'): Sale =>
  ({ id, stationId: 's', number: 1, userId: 'u', sellerId: 'v', createdAt: '2026-11-29T12:00:00.000Z', items: [], payments: [{ paymentTypeId: 'vale', amountCents: cents, voucherNumber: 'CX01-7' }], subtotalCents: cents, discountCents: 0, totalCents: cents, changeCents: 0, status }) as Sale;

describe('exchange voucher rule', () => {
  it('POS-21 numbers are the station code and the exchange number, and typed numbers are read back in that form', () => {
    expect(voucherNumberFor('cx01', 42)).toBe('CX01-42');
    expect(voucherNumberFor('loja1-cx02', 7)).toBe('LOJA1-CX02-7');
    expect(normalizeVoucherNumber(' cx01 - 42 ')).toBe('CX01-42');
    for (const bad of ['', '42', 'CX01-', 'CX01-4a', '-42', 'CX01-12345678901']) expect(normalizeVoucherNumber(bad), bad).toBeNull();
  });

  it('POS-21 a spend beyond the balance, of a void voucher or of an unknown one is refused with its reason', () => {
    const spent = redeemVoucher(state(10_000, [['a', 6_000]]), 'CX01-7', 'b', 4_001);
    expect(spent).toMatchObject({ ok: false, error: { code: 'voucher_overspent', params: { balanceCents: 4_000, amountCents: 4_001 } } });
    expect(redeemVoucher(state(10_000, [], true), 'CX01-7', 'b', 1)).toMatchObject({ ok: false, error: { code: 'voucher_void' } });
    expect(redeemVoucher(null, 'CX01-7', 'b', 1)).toMatchObject({ ok: false, error: { code: 'voucher_unknown' } });
    expect(redeemVoucher(state(10_000), 'CX01-7', 'b', 0)).toMatchObject({ ok: false, error: { code: 'invalid_payment' } });
    const exact = redeemVoucher(state(10_000, [['a', 6_000]]), 'CX01-7', 'b', 4_000);
    expect(exact.ok && voucherBalanceCents(exact.value)).toBe(0);
    // The same sale spending again (a retry) replaces its spend instead of adding to it.
    const again = redeemVoucher(state(10_000, [['a', 6_000]]), 'CX01-7', 'a', 10_000);
    expect(again.ok && voucherBalanceCents(again.value)).toBe(0);
  });

  it('POS-21 whatever spends arrive, in any order, applying them in order never spends more than was issued', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 500_000 })), { maxLength: 30 }), (issued, spends) => {
        let current = state(issued);
        for (const [sale, cents] of spends) {
          const next = redeemVoucher(current, 'CX01-7', `s${sale}`, cents);
          if (next.ok) current = next.value;
          else expect(next.error.code).toBe('voucher_overspent');
        }
        const total = [...current.redemptions.values()].reduce((sum, cents) => sum + cents, 0);
        expect(total).toBeLessThanOrEqual(issued);
        expect(voucherBalanceCents(current)).toBe(issued - total);
      }),
    );
  });

  it('POS-21 a station lays its own sales over the record it received: unsent spends count, its cancellations give back', () => {
    // The server applied sale a (R$ 30,00); this station spent R$ 20,00 in b (not sent yet) and cancelled a.
    const known = voucherKnownAtStation('CX01-7', record({ redemptions: [{ saleId: 'a', amountCents: 3_000 }] }), [spendingSale('a', 3_000, 'cancelled'), spendingSale('b', 2_000)]);
    expect(known && voucherBalanceCents(known)).toBe(8_000);
    // Issued here and not received back yet: the exchange itself says what it is worth.
    const exchange = { ...spendingSale('ex', 0), payments: [], exchange: { originalSaleId: 'o', creditCents: 5_000, returnedItems: [], voucher: { number: 'CX01-7', amountCents: 5_000 } } } as Sale;
    const local = voucherKnownAtStation('CX01-7', undefined, [exchange]);
    expect(local && voucherBalanceCents(local)).toBe(5_000);
    expect(voucherKnownAtStation('CX01-7', undefined, [])).toBeNull();
    const cancelledExchange = voucherKnownAtStation('CX01-7', record(), [{ ...exchange, status: 'cancelled' }]);
    expect(cancelledExchange?.void).toBe(true);
  });

  it('POS-21 only voucher payments name a voucher, they must, and payments of one voucher add up', () => {
    const types = new Map<string, MasterRecord>([
      ['vale', { id: 'vale', kind: 'paymentType', code: 'vale', name: 'Vale', active: true, method: 'voucher' }],
      ['cash', { id: 'cash', kind: 'paymentType', code: 'cash', name: 'Dinheiro', active: true, method: 'cash' }],
    ]);
    expect(voucherPaymentProblem({ payments: [{ paymentTypeId: 'vale', amountCents: 1, voucherNumber: 'CX01-7' }] }, types).ok).toBe(true);
    expect(voucherPaymentProblem({ payments: [{ paymentTypeId: 'vale', amountCents: 1 }] }, types)).toMatchObject({ ok: false, error: { code: 'voucher_payment' } });
    expect(voucherPaymentProblem({ payments: [{ paymentTypeId: 'cash', amountCents: 1, voucherNumber: 'CX01-7' }] }, types)).toMatchObject({ ok: false, error: { code: 'voucher_payment' } });
    expect(voucherSpends({ payments: [{ paymentTypeId: 'vale', amountCents: 100, voucherNumber: 'CX01-7' }, { paymentTypeId: 'vale', amountCents: 50, voucherNumber: 'CX01-7' }, { paymentTypeId: 'cash', amountCents: 9 }] })).toEqual(new Map([['CX01-7', 150]]));
  });
});
