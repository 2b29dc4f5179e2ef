import type { Queryable } from '../db/database.ts';
import type { Session } from './sessions.ts';

/**
 * A short-lived, in-process memory of resolved bearer tokens (sessions and API keys), so a request
 * does not pay a database round trip to learn who is calling (issue 12: single GET p95). An entry
 * lives CACHE_SECONDS at most, and never past the session's or key's own expiry.
 *
 * Revocation is immediate in this process: logout, re-pairing, unpairing, a key's revocation and a
 * change of a user's roles call `forget…` in the transaction that makes the change, which drops the
 * entries at once and keeps the token out of the cache (a tombstone) until the change has surely
 * committed — so a request racing the commit reads the database, never a stale entry. Other server
 * processes hear it through NOTIFY on REVOKED_CHANNEL at commit (LiveSessions' listener); a lost
 * notice is bounded by CACHE_SECONDS.
 */
export const CACHE_SECONDS = 5;
const MAX_ENTRIES = 10_000;
/** NOTIFY channel of revocations, shared with sessions.ts (payload: JSON array of token hashes, `key:<id>` or `user:<id>`). */
export const REVOKED_CHANNEL = 'balcao_sessions_revoked';

interface Entry {
  session: Session;
  /** ms since the epoch after which the entry is not used. */
  until: number;
}

class AuthCache {
  private readonly entries = new Map<string, Entry>();
  /** Token hashes, `key:<id>` and `user:<id>` that may not be cached until the ms given. */
  private readonly tombstones = new Map<string, number>();

  /** The cached session of a token hash, or undefined (expired, revoked, unknown). */
  get(tokenHash: string, now = Date.now()): Session | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now || this.isTombstoned(entry.session, now)) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.session;
  }

  /** Remembers a session the database just resolved, unless a revocation touching it is in flight. */
  put(session: Session, now = Date.now()): void {
    if (this.isTombstoned(session, now)) return;
    const until = Math.min(now + CACHE_SECONDS * 1000, Date.parse(session.expiresAt));
    if (!(until > now)) return;
    // Crude but bounded: a full cache starts over rather than tracking recency per request.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(session.tokenHash, { session, until });
  }

  /** Drops every entry a revocation names and refuses to cache them again for a while. */
  forget(names: readonly string[], now = Date.now()): void {
    if (names.length === 0) return;
    const until = now + CACHE_SECONDS * 1000 * 2;
    for (const name of names) this.tombstones.set(name, until);
    for (const [hash, entry] of this.entries) if (this.isTombstoned(entry.session, now)) this.entries.delete(hash);
    if (this.tombstones.size > MAX_ENTRIES) for (const [name, end] of this.tombstones) if (end <= now) this.tombstones.delete(name);
  }

  /** Empties the cache (tests that change the database behind the server's back). */
  clear(): void {
    this.entries.clear();
    this.tombstones.clear();
  }

  private isTombstoned(session: Session, now: number): boolean {
    if (this.tombstones.size === 0) return false;
    return revocationNames(session).some((name) => (this.tombstones.get(name) ?? 0) > now);
  }
}

/**
 * Every name a revocation notice may end a session by: its token hash, `user:<id>` and, for an API
 * key, `key:<id>`. One list for the cache and for the open streams (LiveSessions), so the two never
 * disagree on what a notice reaches.
 */
export function revocationNames(session: Session): string[] {
  const names = [session.tokenHash, `user:${session.user.id}`];
  if (session.apiKey) names.push(`key:${session.apiKey.id}`);
  return names;
}

/** The process's cache: token hashes are random, so servers sharing a process (tests) never collide. */
export const authCache = new AuthCache();

/**
 * Ends cached lookups at once here and, at commit, in every other server process; at commit every
 * process also closes the open streams the names reach (LiveSessions), so they reconnect with the
 * rights the change left. `names`: token hashes, `key:<id>` (an API key), `user:<id>` (every session
 * of a user). Call inside the transaction that makes the change. NOTIFY payloads stay under 8,000
 * bytes: 100 names a notice.
 */
export async function forgetLookups(tx: Queryable, names: readonly string[]): Promise<void> {
  authCache.forget(names);
  for (let start = 0; start < names.length; start += 100) {
    await tx.query('SELECT pg_notify($1, $2)', [REVOKED_CHANNEL, JSON.stringify(names.slice(start, start + 100))]);
  }
}
