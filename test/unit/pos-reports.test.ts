/** Station query sync states (POS-12) and the sales summary (POS-15), pure. */
import { describe, expect, it } from 'vitest';
import { BehaviorSubject } from 'rxjs';
import type { Sale } from '../../sync/schema/index.ts';
import type { SyncStatus } from '../../sync/client/types.ts';
import { summarize, localDay } from '../../renderer/core/pos/summary.ts';
import { saleSyncState, UploadWatermark } from '../../renderer/core/pos/sync-state.ts';

function sale(id: string, createdAt: string, extra: Partial<Sale> = {}): Sale {
  return {
    id, stationId: 'st', number: 1, userId: 'u', sellerId: 'v1', createdAt,
    items: [{ productId: 'p', quantity: 1, unitPriceCents: 1000, discountCents: 0, totalCents: 1000 }],
    payments: [{ paymentTypeId: 'cash', amountCents: 1500 }],
    subtotalCents: 1000, discountCents: 0, totalCents: 1000, changeCents: 500, status: 'finished',
    ...extra,
  };
}

const memory = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), clear: () => map.clear(), key: () => null, length: 0 };
};

describe('POS reports', () => {
  it('POS-12 a sale is pending until the engine, online, reports nothing pending after it; refused wins; a later cancellation is pending again', () => {
    const storage = memory();
    const status = new BehaviorSubject<SyncStatus>({ online: false, pendingUploads: 0, lastSyncAt: null, lastError: null, initialSync: { done: false, pulled: 0 } });
    let now = new Date('2026-11-20T10:00:00.000Z');
    const watermark = new UploadWatermark(storage, 'wm', () => now);
    watermark.track(status);
    const s = sale('a', '2026-11-20T09:59:00.000Z');
    expect(saleSyncState(s, watermark.value, new Set())).toBe('pending');
    status.next({ ...status.value, online: true, pendingUploads: 3, lastSyncAt: now.toISOString() });
    expect(saleSyncState(s, watermark.value, new Set())).toBe('pending');
    status.next({ ...status.value, pendingUploads: 0 });
    expect(saleSyncState(s, watermark.value, new Set())).toBe('sent');
    expect(saleSyncState(s, watermark.value, new Set(['a']))).toBe('refused');
    const cancelled = { ...s, status: 'cancelled' as const, cancellation: { reasonId: 'r', userId: 'u', at: '2026-11-20T10:05:00.000Z' } };
    expect(saleSyncState(cancelled, watermark.value, new Set())).toBe('pending');
    // The watermark survives a reload.
    now = new Date('2026-11-20T11:00:00.000Z');
    expect(new UploadWatermark(storage, 'wm').value).toBe('2026-11-20T10:00:00.000Z');
  });

  it('POS-15 totals per payment type (cash net of change), seller and day; cancelled and waiting apart', () => {
    const sales = [
      sale('a', '2026-11-20T12:00:00.000Z'),
      sale('b', '2026-11-20T13:00:00.000Z', { sellerId: 'v2', payments: [{ paymentTypeId: 'card', amountCents: 600 }, { paymentTypeId: 'cash', amountCents: 700 }], changeCents: 300 }),
      sale('c', '2026-11-21T13:00:00.000Z', { status: 'cancelled' }),
      sale('d', '2026-11-21T14:00:00.000Z', { payments: [{ paymentTypeId: 'card', amountCents: 1030, interestCents: 30 }], changeCents: 0 }),
    ];
    const summary = summarize(sales, (s) => (s.id === 'd' || s.id === 'c' ? 'pending' : 'sent'), (id) => id === 'cash');
    expect(summary.saleCount).toBe(3);
    expect(summary.totalCents).toBe(3000);
    expect(summary.paidCents).toBe(1000 + 1000 + 1030);
    expect(summary.byPaymentType).toEqual([
      { key: 'card', count: 2, totalCents: 1630 },
      { key: 'cash', count: 2, totalCents: 1000 + 400 },
    ]);
    expect(summary.bySeller).toEqual([
      { key: 'v1', count: 2, totalCents: 2030 },
      { key: 'v2', count: 1, totalCents: 1000 },
    ]);
    expect(summary.byDay.map((d) => d.key)).toEqual([localDay('2026-11-21T14:00:00.000Z'), localDay('2026-11-20T12:00:00.000Z')].filter((v, i, a) => a.indexOf(v) === i));
    expect(summary.cancelledCount).toBe(1);
    expect(summary.waiting).toEqual({ count: 2, totalCents: 1000 });
  });
});
