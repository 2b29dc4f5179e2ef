/** A backoff wait that an outside event (stream reconnected, sendNow, stop) can cut short. */
export class WakeableDelay {
  private waiters = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export function backoff(base: number, attempt: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.min(attempt, 10));
}
