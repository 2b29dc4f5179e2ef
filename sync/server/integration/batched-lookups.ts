/**
 * Single GETs answered in batches (issue 12: single GET p95 with 50 concurrent clients). A lookup that arrives
 * while the event loop is busy waits for the end of the current turn (setImmediate); the lookups of one group
 * (a store, or a store's collection) gathered by then are answered by one query. With 50 clients that is one
 * database round trip for many GETs instead of one each — the round trip (parse and plan, two socket writes
 * and reads, the pool) was most of a GET's cost: server CPU 0.31–0.47 → 0.11 ms and PostgreSQL's 0.25 → 0.03 ms
 * a GET (test/bench/integration/run.ts).
 *
 * Nothing is cached: a batch's query is sent after every lookup in it arrived, so a GET sees every write that
 * committed before the GET reached the server, as a query of its own would. Groups never share a query, so a
 * store's lookups are answered only from that store.
 */

/** Lookups in one query at most (the rest go in the next one). */
export const MAX_BATCH = 200;

type Waiter<T> = { resolve: (value: T | null) => void; reject: (error: unknown) => void };

/** Resolves to what `load` found for `key` in `group`, or null. */
export type BatchedLookup<T> = (group: string, key: string) => Promise<T | null>;

/**
 * A batched lookup over `load(group, keys)` (at most MAX_BATCH distinct keys, resolving to what it found by
 * key). When a batch's query fails, each of its keys is asked alone, so an error reaches only the lookups of
 * the key whose own query fails. One per server: it holds the lookups waiting for the current turn to end.
 */
export function batchedLookups<T>(load: (group: string, keys: string[]) => Promise<Map<string, T>>): BatchedLookup<T> {
  let waiting = new Map<string, Map<string, Waiter<T>[]>>();
  let scheduled = false;

  const answer = async (group: string, keys: string[], byKey: Map<string, Waiter<T>[]>): Promise<void> => {
    try {
      // PostgreSQL's text holds no NUL: such a key names nothing, and must not fail the query of the others.
      const asked = keys.filter((key) => !key.includes('\u0000'));
      const found = asked.length > 0 ? await load(group, asked) : new Map<string, T>();
      for (const key of keys) for (const waiter of byKey.get(key) ?? []) waiter.resolve(found.get(key) ?? null);
    } catch (error) {
      // One caller's key must never fail the others' GETs: a failed batch is asked again key by key, so only
      // the key (or the outage) that fails its own query answers with the error.
      if (keys.length > 1) await Promise.all(keys.map((key) => answer(group, [key], byKey)));
      else for (const waiter of byKey.get(keys[0]!) ?? []) waiter.reject(error);
    }
  };

  const flush = () => {
    scheduled = false;
    const groups = waiting;
    waiting = new Map();
    for (const [group, byKey] of groups) {
      const keys = [...byKey.keys()];
      for (let start = 0; start < keys.length; start += MAX_BATCH) void answer(group, keys.slice(start, start + MAX_BATCH), byKey);
    }
  };

  return (group, key) =>
    new Promise((resolve, reject) => {
      let byKey = waiting.get(group);
      if (!byKey) waiting.set(group, (byKey = new Map()));
      const waiters = byKey.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else byKey.set(key, [{ resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
