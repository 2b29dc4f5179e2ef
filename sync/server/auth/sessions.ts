import type { ApiKeyEnvironment, ApiScope, Role, SessionUser } from '../../schema/index.ts';
import type { Database, Queryable } from '../db/database.ts';
import { authCache, forgetLookups, REVOKED_CHANNEL } from './auth-cache.ts';
import { digest, newRandomSecret } from './secrets.ts';

/** Who is calling: resolved from the bearer token on every request. */
export interface Session {
  user: SessionUser;
  store: { id: string; code: string; name: string };
  stationId: string | null;
  expiresAt: string;
  /** SHA-256 of the bearer token: the session's id in storage and in revocation notices. */
  tokenHash: string;
  /**
   * Set when the caller is an integrator's API key (auth/api-keys.ts), not a person: it acts in its
   * store as an administrator would, limited to its scopes and to routes that declare an apiResource.
   */
  apiKey?: { id: string; name: string; scopes: readonly ApiScope[]; rateLimitPerMinute: number; environment?: ApiKeyEnvironment };
}

export const SESSION_HOURS = 12;

/** NOTIFY channel that tells every server process which sessions ended (their open streams close, their cached lookups go). */
export { REVOKED_CHANNEL };

export async function createSession(db: Queryable, userId: string, storeId: string, stationId: string | null): Promise<{ token: string; expiresAt: string }> {
  const token = newRandomSecret();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000).toISOString();
  await db.query('INSERT INTO sessions (token_hash, user_id, store_id, station_id, expires_at) VALUES ($1, $2, $3, $4, $5)', [digest(token), userId, storeId, stationId, expiresAt]);
  // Expired sessions are dead weight; sweeping here keeps the table small without a scheduler.
  await db.query('DELETE FROM sessions WHERE expires_at < now() - interval \'1 day\'');
  return { token, expiresAt };
}

export type SessionLookup = { session: Session } | { problem: 'unknown' | 'expired' };

export async function findSession(db: Queryable, token: string): Promise<SessionLookup> {
  const tokenHash = digest(token);
  const rows = await db.query<{
    user_id: string; user_code: string; user_name: string; roles: Role[];
    store_id: string; store_code: string; store_name: string; station_id: string | null; expires_at: Date | string; expired: boolean;
  }>(
    `SELECT u.id AS user_id, u.code AS user_code, u.name AS user_name, u.roles,
            s.id AS store_id, s.code AS store_code, s.name AS store_name,
            se.station_id, se.expires_at, se.expires_at < now() AS expired
       FROM sessions se JOIN users u ON u.id = se.user_id JOIN stores s ON s.id = se.store_id
      WHERE se.token_hash = $1`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return { problem: 'unknown' };
  if (row.expired) return { problem: 'expired' };
  return {
    session: {
      user: { id: row.user_id, code: row.user_code, name: row.user_name, roles: row.roles },
      store: { id: row.store_id, code: row.store_code, name: row.store_name },
      stationId: row.station_id,
      expiresAt: new Date(row.expires_at).toISOString(),
      tokenHash,
    },
  };
}

export function isAdmin(session: Session): boolean {
  return session.user.roles.includes('admin');
}

/** Which sessions end: one token (logout), every session of a station (re-pairing, unpairing). */
export type Revocation = { tokenHash: string } | { stationId: string };

/**
 * Deletes the sessions and tells every server process (through the database) so their open streams
 * close. Call inside the transaction that makes the change: the notice is delivered at commit.
 */
export async function revokeSessions(tx: Queryable, revocation: Revocation): Promise<number> {
  const rows = 'tokenHash' in revocation
    ? await tx.query<{ token_hash: string }>('DELETE FROM sessions WHERE token_hash = $1 RETURNING token_hash', [revocation.tokenHash])
    : await tx.query<{ token_hash: string }>('DELETE FROM sessions WHERE station_id = $1 RETURNING token_hash', [revocation.stationId]);
  const hashes = rows.map((row) => row.token_hash);
  // Cached lookups end here at once, and in other processes at commit (auth-cache.ts).
  await forgetLookups(tx, hashes);
  return hashes.length;
}

type Closer = () => void;

/**
 * The long-lived connections (event streams) of this process by session, so a revoked or expired
 * session stops receiving data at once instead of at its next request.
 */
export class LiveSessions {
  private readonly byToken = new Map<string, Set<Closer>>();
  private stop: (() => Promise<void>) | null = null;

  async start(db: Database): Promise<void> {
    this.stop = await db.listen(REVOKED_CHANNEL, (payload) => this.revoked(payload), () => this.recheck(db));
  }

  private revoked(payload: string): void {
    let hashes: unknown;
    try {
      hashes = JSON.parse(payload);
    } catch {
      return;
    }
    if (!Array.isArray(hashes)) return;
    const names = hashes.filter((hash): hash is string => typeof hash === 'string');
    authCache.forget(names);
    for (const hash of names) this.end(hash);
  }

  /**
   * After the listening connection was lost and made again (PostgreSQL): revocations notified meanwhile
   * are gone, so the cached lookups are dropped and every open stream whose session no longer exists is
   * closed, as its notice would have done. A failure is tried again by listen().
   */
  private async recheck(db: Database): Promise<void> {
    authCache.clear();
    const tracked = [...this.byToken.keys()];
    if (tracked.length === 0) return;
    const live = new Set((await db.query<{ token_hash: string }>('SELECT token_hash FROM sessions WHERE token_hash = ANY($1::text[])', [tracked])).map((row) => row.token_hash));
    for (const hash of tracked) if (!live.has(hash)) this.end(hash);
  }

  /** Registers a connection of a session; the returned function unregisters it. */
  track(session: Session, close: Closer): () => void {
    const closers = this.byToken.get(session.tokenHash) ?? new Set<Closer>();
    closers.add(close);
    this.byToken.set(session.tokenHash, closers);
    const untilExpiry = Math.max(0, Math.min(Date.parse(session.expiresAt) - Date.now(), 2 ** 31 - 1));
    const expiry = setTimeout(() => this.end(session.tokenHash), untilExpiry);
    expiry.unref();
    return () => {
      clearTimeout(expiry);
      closers.delete(close);
      if (closers.size === 0) this.byToken.delete(session.tokenHash);
    };
  }

  /** Closes every connection of a session. */
  end(tokenHash: string): void {
    const closers = this.byToken.get(tokenHash);
    if (!closers) return;
    this.byToken.delete(tokenHash);
    for (const close of closers) close();
  }

  async close(): Promise<void> {
    this.byToken.clear();
    await this.stop?.();
    this.stop = null;
  }
}
