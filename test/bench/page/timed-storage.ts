import type { RxStorage } from 'rxdb';
import type { StorageProfile } from '../types.ts';

const TIMED = ['bulkWrite', 'findDocumentsById', 'query', 'count', 'getChangedDocumentsSince'] as const;

/**
 * Wraps a storage so every call of the methods above adds its duration to `profile()` under the
 * instance's collection name (RxDB's replication meta instances have their own names). Concurrent
 * calls overlap, so sums are an upper bound of wall time, good enough to see where time goes.
 */
export function timedStorage<Internals, Options>(inner: RxStorage<Internals, Options>, profile: () => StorageProfile | null): RxStorage<Internals, Options> {
  return {
    name: inner.name,
    rxdbVersion: inner.rxdbVersion,
    async createStorageInstance(params) {
      const instance = await inner.createStorageInstance(params);
      const methods = instance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      for (const method of TIMED) {
        const original = methods[method]?.bind(instance);
        if (!original) continue;
        methods[method] = async (...args: unknown[]) => {
          const target = profile();
          if (!target) return original(...args);
          const started = performance.now();
          try {
            return await original(...args);
          } finally {
            const byMethod = (target[params.collectionName] ??= {});
            const entry = (byMethod[method] ??= { calls: 0, docs: 0, ms: 0 });
            entry.calls++;
            entry.ms += performance.now() - started;
            if (method === 'bulkWrite' || method === 'findDocumentsById') entry.docs += Array.isArray(args[0]) ? args[0].length : 0;
          }
        };
      }
      return instance;
    },
  };
}
