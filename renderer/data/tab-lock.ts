/**
 * The database runs with `multiInstance: false`, so two browser tabs on the same IndexedDB would not
 * see each other's writes and would both replicate. A Web Lock makes the first tab the only one that
 * opens the database; another tab is told so instead of silently diverging. Electron has one window,
 * so the lock is always free there.
 */
export interface TabLock {
  release(): void;
}

export async function acquireTabLock(name: string): Promise<TabLock | null> {
  if (typeof navigator === 'undefined' || !navigator.locks) return { release() {} };
  return new Promise<TabLock | null>((resolve) => {
    void navigator.locks.request(`balcao:${name}`, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(null);
        return undefined;
      }
      // The lock is held until this promise settles, i.e. until release().
      return new Promise<void>((release) => resolve({ release }));
    });
  });
}
