import { BehaviorSubject } from 'rxjs';
import type { SyncStatus } from './types.ts';

/** Holds the one status object and only emits when something actually changed. */
export class StatusStore {
  readonly subject = new BehaviorSubject<SyncStatus>({
    online: false,
    pendingUploads: 0,
    lastSyncAt: null,
    lastError: null,
    initialSync: { done: false, pulled: 0 },
  });

  get value(): SyncStatus {
    return this.subject.value;
  }

  patch(change: Partial<SyncStatus>): void {
    const current = this.subject.value;
    const next = { ...current, ...change };
    const same =
      next.online === current.online &&
      next.pendingUploads === current.pendingUploads &&
      next.lastSyncAt === current.lastSyncAt &&
      next.lastError === current.lastError &&
      next.initialSync.done === current.initialSync.done &&
      next.initialSync.pulled === current.initialSync.pulled &&
      next.initialSync.expected === current.initialSync.expected;
    if (!same) this.subject.next(next);
  }

  succeeded(): void {
    this.patch({ online: true, lastSyncAt: new Date().toISOString(), lastError: null });
  }
}
