import type { Role, SessionUser } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import { digest, newRandomSecret } from './secrets.ts';

/** Who is calling: resolved from the bearer token on every request. */
export interface Session {
  user: SessionUser;
  store: { id: string; code: string; name: string };
  stationId: string | null;
  expiresAt: string;
}

export const SESSION_HOURS = 12;

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
  const rows = await db.query<{
    user_id: string; user_code: string; user_name: string; roles: Role[];
    store_id: string; store_code: string; store_name: string; station_id: string | null; expires_at: Date | string; expired: boolean;
  }>(
    `SELECT u.id AS user_id, u.code AS user_code, u.name AS user_name, u.roles,
            s.id AS store_id, s.code AS store_code, s.name AS store_name,
            se.station_id, se.expires_at, se.expires_at < now() AS expired
       FROM sessions se JOIN users u ON u.id = se.user_id JOIN stores s ON s.id = se.store_id
      WHERE se.token_hash = $1`,
    [digest(token)],
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
    },
  };
}

export function isAdmin(session: Session): boolean {
  return session.user.roles.includes('admin');
}
