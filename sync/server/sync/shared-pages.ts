import type { Queryable } from '../db/database.ts';
import { readChangesPage, type ChangesPage, type ReadScope } from '../db/documents.ts';

interface Shared {
  covers: number;
  page: Promise<ChangesPage>;
}

/**
 * The live streams' page reads, shared between the streams of one server process (issue 16). One
 * change notice wakes every open stream of the store at once, and streams that stood at the same
 * checkpoint then ask for the same page: a price change of 1,000 products read 1,000 products once
 * per open station. Here the first asks the database and the others take its answer while it is in
 * flight; nothing is kept after it settles.
 *
 * `covers` is the highest change notice (a sequence number) the caller knows of: every row up to it
 * had committed when its notice was delivered, so a read started after it sees them. A caller only
 * joins a read whose `covers` is at least its own; a read started before a later notice may miss that
 * notice's rows, so a caller that knows of it starts a read of its own.
 */
export class SharedPageReads {
  private readonly inFlight = new Map<string, Shared>();

  constructor(private readonly db: Queryable) {}

  /**
   * The page after sequence number `since` (at most `limit` documents, `readChangesPage` without an
   * epoch), read once for every caller of the same scope, `since` and `limit` while it is in flight.
   * Rejects as that read does (every caller that joined it gets the error).
   */
  read(scope: ReadScope, since: number, limit: number, covers: number): Promise<ChangesPage> {
    // Every field of the scope, as it is: a null stationId (an admin: every station) and '' (no station:
    // nothing) must never share a read, or one caller gets the other's documents.
    const key = JSON.stringify([scope.storeId, scope.collection, scope.stationId, since, limit]);
    const joined = this.inFlight.get(key);
    if (joined && joined.covers >= covers) return joined.page;
    const page = readChangesPage(this.db, scope, { seq: since }, limit);
    const entry: Shared = { covers, page };
    this.inFlight.set(key, entry);
    const settle = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    page.then(settle, settle);
    return page;
  }

  /** Reads in flight (for tests). */
  get size(): number {
    return this.inFlight.size;
  }
}
