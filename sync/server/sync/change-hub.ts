import type { Database } from '../db/database.ts';
import { CHANGES_CHANNEL, type ChangeNotice } from '../db/documents.ts';

type Listener = (notice: ChangeNotice) => void;

/**
 * One LISTEN per server process, fanned out to the streams of that process. Writes through any
 * process sharing the database arrive here, so instances stay stateless.
 */
export class ChangeHub {
  private readonly byStore = new Map<string, Set<Listener>>();
  private stop: (() => Promise<void>) | null = null;

  constructor(private readonly db: Database) {}

  async start(): Promise<void> {
    this.stop = await this.db.listen(CHANGES_CHANNEL, (payload) => {
      let notice: ChangeNotice;
      try {
        notice = JSON.parse(payload) as ChangeNotice;
      } catch {
        return;
      }
      for (const listener of this.byStore.get(notice.storeId) ?? []) listener(notice);
    });
  }

  subscribe(storeId: string, listener: Listener): () => void {
    const listeners = this.byStore.get(storeId) ?? new Set<Listener>();
    listeners.add(listener);
    this.byStore.set(storeId, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.byStore.delete(storeId);
    };
  }

  get streamCount(): number {
    let count = 0;
    for (const listeners of this.byStore.values()) count += listeners.size;
    return count;
  }

  async close(): Promise<void> {
    this.byStore.clear();
    await this.stop?.();
    this.stop = null;
  }
}
