import { randomBytes } from 'node:crypto';
import { API_SCOPES, DEFAULT_KEY_RATE_LIMIT, type ApiKeyInfo, type ApiScope, type CreatedApiKey } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import { forgetLookups } from './auth-cache.ts';
import { digest, digestsEqual } from './secrets.ts';
import type { Session } from './sessions.ts';

/**
 * Integrator API keys (API-08). A key is `bk.<id>.<secret>`: the id finds the row, the secret (256
 * random bits) is checked against its stored SHA-256 in constant time. The dots cannot occur in a
 * session token (base64url), so one look at a bearer token says which kind it is.
 */
export const KEY_PREFIX = 'bk.';
const KEY_PATTERN = /^bk\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export function isApiKeyToken(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}

/** The key id of a well-formed key token (not verified), or null. */
export function apiKeyIdOf(token: string): string | null {
  return KEY_PATTERN.exec(token)?.[1] ?? null;
}

interface KeyRow {
  id: string;
  store_id: string;
  name: string;
  secret_hash: string;
  prefix: string;
  scopes: string[];
  rate_limit_per_minute: number;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function infoOf(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((scope): scope is ApiScope => (API_SCOPES as readonly string[]).includes(scope)),
    rateLimitPerMinute: row.rate_limit_per_minute,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

const COLUMNS = 'id, store_id, name, secret_hash, prefix, scopes, rate_limit_per_minute, created_by, created_at, expires_at, last_used_at, revoked_at';

/**
 * Creates a key for a store; the answer carries the secret, which is never stored nor shown again.
 * `expiresAt` ISO-8601 or undefined (never); `rateLimitPerMinute` requests per minute.
 */
export async function createApiKey(
  db: Queryable,
  input: { storeId: string; createdBy: string; name: string; scopes: readonly ApiScope[]; expiresAt?: string; rateLimitPerMinute?: number },
): Promise<CreatedApiKey> {
  const id = randomBytes(8).toString('hex');
  const secret = `${KEY_PREFIX}${id}.${randomBytes(32).toString('base64url')}`;
  const prefix = secret.slice(0, KEY_PREFIX.length + 16 + 5);
  const scopes = [...new Set(input.scopes)].sort();
  const rows = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, store_id, name, secret_hash, prefix, scopes, rate_limit_per_minute, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [id, input.storeId, input.name, digest(secret), prefix, scopes, input.rateLimitPerMinute ?? DEFAULT_KEY_RATE_LIMIT, input.createdBy, input.expiresAt ?? null],
  );
  return { ...infoOf(rows[0]!), secret };
}

/** The store's keys, newest first, revoked ones included (an audit of who had access). */
export async function listApiKeys(db: Queryable, storeId: string): Promise<ApiKeyInfo[]> {
  const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE store_id = $1 ORDER BY created_at DESC, id`, [storeId]);
  return rows.map(infoOf);
}

/**
 * Revokes a key of the store (idempotent: revoking twice keeps the first time); null when the store
 * has no such key. `revokedNow` is false when it was already revoked (nothing changed).
 */
export async function revokeApiKey(db: Queryable, storeId: string, id: string, revokedBy: string): Promise<{ key: ApiKeyInfo; revokedNow: boolean } | null> {
  const changed = await db.query('UPDATE api_keys SET revoked_at = now(), revoked_by = $3 WHERE store_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id', [storeId, id, revokedBy]);
  // The key's cached lookups end now in this process, and at commit in the others (auth-cache.ts).
  if (changed.length > 0) await forgetLookups(db, [`key:${id}`]);
  const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE store_id = $1 AND id = $2`, [storeId, id]);
  return rows[0] ? { key: infoOf(rows[0]), revokedNow: changed.length > 0 } : null;
}

export type KeyLookup = { session: Session } | { problem: 'unknown' | 'expired' | 'revoked' };

/**
 * Resolves a bearer key into a Session of its store. The key acts as the store's administrator
 * would, but only on routes that declare an apiResource and only within its scopes (enforced by
 * http/authenticate.ts). Records the last use at most once a minute (one write per minute, not per call).
 */
export async function findApiKey(db: Queryable, token: string): Promise<KeyLookup> {
  const id = apiKeyIdOf(token);
  if (id === null) return { problem: 'unknown' };
  const rows = await db.query<KeyRow & { store_code: string; store_name: string; expired: boolean }>(
    `SELECT k.id, k.store_id, k.name, k.secret_hash, k.prefix, k.scopes, k.rate_limit_per_minute, k.created_by, k.created_at, k.expires_at, k.last_used_at, k.revoked_at,
            s.code AS store_code, s.name AS store_name, coalesce(k.expires_at <= now(), false) AS expired
       FROM api_keys k JOIN stores s ON s.id = k.store_id WHERE k.id = $1`,
    [id],
  );
  const row = rows[0];
  const tokenHash = digest(token);
  if (!row || !digestsEqual(tokenHash, row.secret_hash)) return { problem: 'unknown' };
  if (row.revoked_at !== null) return { problem: 'revoked' };
  if (row.expired) return { problem: 'expired' };
  await db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [id]);
  const info = infoOf(row);
  return {
    session: {
      user: { id: `api-key:${row.id}`, code: `api-key:${row.id}`, name: row.name, roles: ['admin'] },
      store: { id: row.store_id, code: row.store_code, name: row.store_name },
      stationId: null,
      expiresAt: info.expiresAt ?? '9999-12-31T23:59:59.999Z',
      tokenHash,
      apiKey: { id: row.id, name: row.name, scopes: info.scopes, rateLimitPerMinute: row.rate_limit_per_minute },
    },
  };
}
