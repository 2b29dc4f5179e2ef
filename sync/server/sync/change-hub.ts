import { COLLECTION_NAMES } from '../../schema/index.ts';
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
    this.stop = await this.db.listen(
      CHANGES_CHANNEL,
      (payload) => {
        let notice: ChangeNotice;
        try {
          notice = JSON.parse(payload) as ChangeNotice;
        } catch {
          return;
        }
        this.deliver(notice);
      },
      // A failed catch-up is tried again by listen(), with backoff.
      () => this.catchUp(),
    );
  }

  private deliver(notice: ChangeNotice): void {
    for (const listener of this.byStore.get(notice.storeId) ?? []) listener(notice);
  }

  /**
   * After the listening connection was lost and made again, the notices sent meanwhile are gone: each
   * store with open streams gets one notice per collection up to its last sequence number, so every
   * stream reads what it missed (a stream reads only what it has not sent yet: nothing is sent twice).
   */
  private async catchUp(): Promise<void> {
    const stores = [...this.byStore.keys()];
    if (stores.length === 0) return;
    const rows = await this.db.query<{ store_id: string; last: number | string }>('SELECT store_id, last FROM store_seq WHERE store_id = ANY($1::text[])', [stores]);
    for (const row of rows) {
      for (const collection of COLLECTION_NAMES) this.deliver({ storeId: row.store_id, collection, seq: Number(row.last) });
    }
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
