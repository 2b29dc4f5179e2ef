/**
 * A full disk or quota turns IndexedDB read-only and sync stops silently; these helpers make it
 * visible. `estimate()` is approximate by design (browsers pad it), so only a high ratio warns.
 */
export interface StorageEstimate {
  usage: number;
  quota: number;
  /** 0..1 */
  ratio: number;
  persisted: boolean;
}

export const STORAGE_WARNING_RATIO = 0.9;

export async function estimateStorage(): Promise<StorageEstimate | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
  return { usage, quota, ratio: quota > 0 ? usage / quota : 0, persisted };
}

/** Asks the browser not to evict the local database under storage pressure (best effort). */
export async function requestPersistentStorage(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) return false;
  try {
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

/** True for the errors IndexedDB / Dexie / RxDB raise when the disk or the origin's quota is full. */
export function isQuotaError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { name, message } = current as { name?: unknown; message?: unknown };
    if (name === 'QuotaExceededError' || (typeof message === 'string' && /quota|disk is full|no space/i.test(message))) return true;
    const inner = current as { inner?: unknown; cause?: unknown; parameters?: { error?: unknown } };
    current = inner.inner ?? inner.cause ?? inner.parameters?.error;
  }
  return false;
}
