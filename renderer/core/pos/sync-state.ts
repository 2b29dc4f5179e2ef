/**
 * Each sale's upload state for the station query (POS-12). The sync engine reports a pending count,
 * not which documents, so the station keeps a watermark: the device time at which the engine, online,
 * last reported nothing pending. A sale whose last local change is older than that was uploaded; the
 * server's integration errors (POS-07) say which of the uploaded ones it refused.
 * Approximation: a sale written in the instant between the engine's count and its report can be
 * shown as sent a moment early; the next report corrects nothing about it, but the header count stays exact.
 */
import type { Observable, Subscription } from 'rxjs';
import type { Sale } from '../../../sync/schema/index.ts';
import type { SyncStatus } from '../../../sync/client/types.ts';
import type { KeyValueStorage } from '../offline-login.ts';

export type SaleSyncState = 'pending' | 'sent' | 'refused';

export function lastLocalChange(sale: Pick<Sale, 'createdAt' | 'cancellation'>): string {
  return sale.cancellation?.at ?? sale.createdAt;
}

export function saleSyncState(sale: Pick<Sale, 'id' | 'createdAt' | 'cancellation'>, watermark: string | null, refusedIds: ReadonlySet<string>): SaleSyncState {
  if (refusedIds.has(sale.id)) return 'refused';
  return watermark !== null && lastLocalChange(sale) <= watermark ? 'sent' : 'pending';
}

export class UploadWatermark {
  private subscription: Subscription | null = null;
  private current: string | null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.current = storage.getItem(key);
  }

  get value(): string | null {
    return this.current;
  }

  track(status$: Observable<SyncStatus>, onChange?: (value: string) => void): void {
    this.subscription?.unsubscribe();
    this.subscription = status$.subscribe((status) => {
      if (!status.online || status.pendingUploads !== 0 || !status.lastSyncAt) return;
      this.current = this.now().toISOString();
      this.storage.setItem(this.key, this.current);
      onChange?.(this.current);
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }
}
