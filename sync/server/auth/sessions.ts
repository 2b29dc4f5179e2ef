import type { ApiKeyEnvironment, ApiScope, Role, SessionUser } from '../../schema/index.ts';
import type { Database, Queryable } from '../db/database.ts';
import { authCache, forgetLookups, REVOKED_CHANNEL, revocationNames } from './auth-cache.ts';
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

/** NOTIFY channel that tells every server process which sessions ended or changed rights (their open streams close, their cached lookups go). */
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

/** One open connection: the session it was opened with, how to close it, and its expiry timer. */
interface Connection {
  session: Session;
  close: Closer;
  expiry: ReturnType<typeof setTimeout>;
}

/**
 * Those of `sessions` that no longer hold the rights they were resolved with: a person's session that
 * no longer exists or whose user's roles differ from the session's (its stream's scope was fixed by
 * them); an API key that was revoked (a key has no row in sessions; its expiry has its own timer).
 * Two queries at most, whatever the count.
 */
async function outdatedSessions(db: Queryable, sessions: readonly Session[]): Promise<Set<Session>> {
  const people = sessions.filter((session) => !session.apiKey);
  const keys = sessions.filter((session) => session.apiKey);
  const rolesNow = new Map<string, string>();
  if (people.length > 0) {
    const rows = await db.query<{ token_hash: string; roles: string[] }>(
      'SELECT se.token_hash, u.roles FROM sessions se JOIN users u ON u.id = se.user_id WHERE se.token_hash = ANY($1::text[])',
      [people.map((session) => session.tokenHash)],
    );
    for (const row of rows) rolesNow.set(row.token_hash, rolesKey(row.roles));
  }
  const liveKeys = keys.length === 0
    ? new Set<string>()
    : new Set((await db.query<{ id: string }>('SELECT id FROM api_keys WHERE id = ANY($1::text[]) AND revoked_at IS NULL', [keys.map((session) => session.apiKey!.id)])).map((row) => row.id));
  return new Set([
    ...people.filter((session) => rolesNow.get(session.tokenHash) !== rolesKey(session.user.roles)),
    ...keys.filter((session) => !liveKeys.has(session.apiKey!.id)),
  ]);
}

/** Roles as one comparable value (order carries no meaning). */
function rolesKey(roles: readonly string[]): string {
  return [...roles].sort().join(',');
}

/**
 * The long-lived connections (event streams) of this process by session, so a revoked or expired
 * session, or one whose user's roles changed, stops receiving data at once instead of at its next
 * request. A stream fixes its collections and read scope when it opens; closing it makes the device
 * reconnect with the rights it has now.
 */
export class LiveSessions {
  /** Each connection under every name a revocation notice may use for it (revocationNames). */
  private readonly byName = new Map<string, Set<Connection>>();
  private stop: (() => Promise<void>) | null = null;

  async start(db: Database): Promise<void> {
    this.stop = await db.listen(REVOKED_CHANNEL, (payload) => this.revoked(payload), () => this.recheck(db));
  }

  private revoked(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (!Array.isArray(parsed)) return;
    const names = parsed.filter((name): name is string => typeof name === 'string');
    authCache.forget(names);
    for (const name of names) this.end(name);
  }

  /**
   * After the listening connection was lost and made again (PostgreSQL): revocations notified meanwhile
   * are gone, so the cached lookups are dropped and each open stream is closed that its notice would
   * have closed (`outdatedSessions`). A failure is tried again by listen().
   */
  private async recheck(db: Database): Promise<void> {
    authCache.clear();
    const open = new Set([...this.byName.values()].flatMap((connections) => [...connections]));
    const outdated = await outdatedSessions(db, [...open].map((connection) => connection.session));
    for (const connection of open) if (outdated.has(connection.session)) this.disconnect(connection);
  }

  /**
   * Whether a session still holds the rights it was resolved with (`outdatedSessions`). A stream asks
   * once it is tracked: a change committed between its session's lookup and `track` sent its notice
   * before the stream could hear it, and the stream would keep the old rights for its whole life.
   */
  async isCurrent(db: Queryable, session: Session): Promise<boolean> {
    return !(await outdatedSessions(db, [session])).has(session);
  }

  /**
   * Registers a connection of a session under its token hash, `user:<id>` and (an API key) `key:<id>`,
   * so a notice naming any of them closes it. The returned function unregisters it (call it when the
   * connection ends, however it ends; calling it twice is harmless).
   */
  track(session: Session, close: Closer): () => void {
    const untilExpiry = Math.max(0, Math.min(Date.parse(session.expiresAt) - Date.now(), 2 ** 31 - 1));
    const connection: Connection = { session, close, expiry: setTimeout(() => this.disconnect(connection), untilExpiry) };
    connection.expiry.unref();
    for (const name of revocationNames(session)) {
      const connections = this.byName.get(name) ?? new Set<Connection>();
      connections.add(connection);
      this.byName.set(name, connections);
    }
    return () => this.untrack(connection);
  }

  /** Closes every connection a revocation name reaches: a token hash, `user:<id>` or `key:<id>`. */
  end(name: string): void {
    const connections = this.byName.get(name);
    if (!connections) return;
    for (const connection of [...connections]) this.disconnect(connection);
  }

  async close(): Promise<void> {
    for (const connections of this.byName.values()) for (const connection of connections) clearTimeout(connection.expiry);
    this.byName.clear();
    await this.stop?.();
    this.stop = null;
  }

  private disconnect(connection: Connection): void {
    this.untrack(connection);
    connection.close();
  }

  private untrack(connection: Connection): void {
    clearTimeout(connection.expiry);
    for (const name of revocationNames(connection.session)) {
      const connections = this.byName.get(name);
      if (!connections?.delete(connection)) continue;
      if (connections.size === 0) this.byName.delete(name);
    }
  }
}
