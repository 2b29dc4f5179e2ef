import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

type Entry = { current: number; ttl: number; iterationStartMs: number };
type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A rate-limit store that reads the time from `now` (ms) instead of Date.now: the same fixed windows
 * as @fastify/rate-limit's LocalStore (a key's count starts at its first request and resets once the
 * window has gone by; `ttl` is what is left of it, ms), for a test that moves its own clock forward
 * to wait out a Retry-After without sleeping. The server without such a clock keeps LocalStore.
 * Keys are kept in a Map (a test server sees a few dozen); no continueExceeding or backoff (unused).
 */
export function clockedRateLimitStore(now: () => number): FastifyRateLimitStoreCtor {
  return class ClockedStore implements FastifyRateLimitStore {
    private readonly entries = new Map<string, Entry>();
    // The constructor signature the plugin calls (`new Store(options)`); nothing in the options is needed.
    constructor(_options?: FastifyRateLimitOptions) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      const entry = this.entries.get(key);
      if (!entry || entry.iterationStartMs + timeWindow <= at) {
        this.entries.set(key, { current: 1, ttl: timeWindow, iterationStartMs: at });
        callback(null, { current: 1, ttl: timeWindow });
        return;
      }
      entry.current += 1;
      entry.ttl = timeWindow - (at - entry.iterationStartMs);
      callback(null, { current: entry.current, ttl: entry.ttl });
    }

    read(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      const entry = this.entries.get(key);
      if (!entry || entry.iterationStartMs + timeWindow <= at) callback(null, { current: 0, ttl: 0 });
      else callback(null, { current: entry.current, ttl: timeWindow - (at - entry.iterationStartMs) });
    }

    // A route with its own rate-limit settings gets its own counts, as with LocalStore.
    child(): FastifyRateLimitStore {
      return new ClockedStore();
    }
  };
}
