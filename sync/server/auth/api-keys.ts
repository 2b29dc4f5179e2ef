import { randomBytes } from 'node:crypto';
import { API_SCOPES, DEFAULT_KEY_RATE_LIMIT, type ApiKeyEnvironment, type ApiKeyInfo, type ApiScope, type CreatedApiKey } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import type { HomologationRun } from '../../schema/sandbox.ts';
import { forgetLookups } from './auth-cache.ts';
import { digest, digestsEqual } from './secrets.ts';
import type { Session } from './sessions.ts';

/**
 * Integrator API keys (API-08). A key is `bk.<id>.<secret>` (production) or `bk_test.<id>.<secret>`
 * (sandbox, API-06): the id finds the row, the secret (256 random bits) is checked against its stored
 * SHA-256 of the whole token in constant time — so a prefix cannot be swapped. The dots cannot occur in a
 * session token (base64url), so one look at a bearer token says which kind it is.
 */
export const KEY_PREFIX = 'bk.';
/** Sandbox keys: told apart from production keys at a glance; they resolve only to the sandbox store. */
export const SANDBOX_KEY_PREFIX = 'bk_test.';
const KEY_PATTERN = /^(?:bk|bk_test)\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export function isApiKeyToken(token: string): boolean {
  return token.startsWith(KEY_PREFIX) || token.startsWith(SANDBOX_KEY_PREFIX);
}

/** The environment a key token's prefix names (not verified). */
export function environmentOfToken(token: string): ApiKeyEnvironment {
  return token.startsWith(SANDBOX_KEY_PREFIX) ? 'sandbox' : 'production';
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
  environment: ApiKeyEnvironment;
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
    environment: row.environment,
  };
}

const COLUMNS = 'id, store_id, name, secret_hash, prefix, scopes, rate_limit_per_minute, created_by, created_at, expires_at, last_used_at, revoked_at, environment';
/** The store and its sandbox (API-06): the production admin manages the keys of both. */
const STORE_AND_SANDBOX = 'store_id IN (SELECT $1::text UNION ALL SELECT sandbox_store_id FROM sandboxes WHERE store_id = $1)';

/**
 * Creates a key; the answer carries the secret, which is never stored nor shown again. `storeId` is
 * the store whose data the key reaches: a sandbox key's is the sandbox store (sandbox/sandboxes.ts).
 * `expiresAt` ISO-8601 or undefined (never); `rateLimitPerMinute` requests per minute. This function
 * does not check the homologation rule (API-07): the admin route makes only sandbox keys, and
 * production keys come from promoteApiKey — or from seedProductionKey (api-keys-seed.ts, tests and tools).
 */
export async function createApiKey(
  db: Queryable,
  input: { storeId: string; createdBy: string; name: string; scopes: readonly ApiScope[]; expiresAt?: string; rateLimitPerMinute?: number; environment?: ApiKeyEnvironment; promotedFrom?: string },
): Promise<CreatedApiKey> {
  const environment = input.environment ?? 'production';
  const keyPrefix = environment === 'sandbox' ? SANDBOX_KEY_PREFIX : KEY_PREFIX;
  const id = randomBytes(8).toString('hex');
  const secret = `${keyPrefix}${id}.${randomBytes(32).toString('base64url')}`;
  const prefix = secret.slice(0, keyPrefix.length + 16 + 5);
  const scopes = [...new Set(input.scopes)].sort();
  const rows = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, store_id, name, secret_hash, prefix, scopes, rate_limit_per_minute, created_by, expires_at, environment, promoted_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
    [id, input.storeId, input.name, digest(secret), prefix, scopes, input.rateLimitPerMinute ?? DEFAULT_KEY_RATE_LIMIT, input.createdBy, input.expiresAt ?? null, environment, input.promotedFrom ?? null],
  );
  return { ...infoOf(rows[0]!), secret };
}

/**
 * The keys of the store and of its sandbox, newest first, revoked ones included (an audit of who had
 * access), each with its environment, its last homologation run and, for a sandbox key, the live
 * production key promoted from it (API-07).
 */
export async function listApiKeys(db: Queryable, storeId: string): Promise<ApiKeyInfo[]> {
  const rows = await db.query<KeyRow & { last_run: string | null; created_by_name: string | null; promoted_to: string | null }>(
    `SELECT ${COLUMNS.split(', ').map((column) => `k.${column}`).join(', ')},
            (SELECT u.name FROM users u WHERE u.id = k.created_by) AS created_by_name,
            (SELECT row_to_json(h)::text FROM homologation_runs h WHERE h.key_id = k.id ORDER BY h.received_at DESC, h.id DESC LIMIT 1) AS last_run,
            (SELECT p.id FROM api_keys p WHERE p.promoted_from = k.id AND p.revoked_at IS NULL ORDER BY p.created_at DESC LIMIT 1) AS promoted_to
       FROM api_keys k WHERE k.${STORE_AND_SANDBOX} ORDER BY k.created_at DESC, k.id`,
    [storeId],
  );
  return rows.map((row) => ({ ...infoOf(row), createdByName: row.created_by_name, lastHomologation: row.last_run === null ? null : runFromJson(row.last_run), promotedTo: row.promoted_to }));
}

/** A key of the store or of its sandbox (what its admin may manage), or null. */
/** Locks a key of the store or of its sandbox (FOR UPDATE), for a change decided on what the key is now. */
export async function lockStoreKey(tx: Queryable, storeId: string, id: string): Promise<void> {
  await tx.query(`SELECT id FROM api_keys WHERE ${STORE_AND_SANDBOX} AND id = $2 FOR UPDATE`, [storeId, id]);
}

export async function findStoreKey(db: Queryable, storeId: string, id: string): Promise<(ApiKeyInfo & { storeId: string }) | null> {
  const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE ${STORE_AND_SANDBOX} AND id = $2`, [storeId, id]);
  return rows[0] ? { ...infoOf(rows[0]), storeId: rows[0].store_id } : null;
}

/** A homologation_runs row as row_to_json gives it, in the wire shape. */
export function runFromJson(text: string): HomologationRun {
  const row = JSON.parse(text) as { id: string; key_id: string; received_at: string; passed: boolean; steps: string; uncorroborated: string[] };
  return { id: row.id, keyId: row.key_id, receivedAt: new Date(row.received_at).toISOString(), passed: row.passed, steps: JSON.parse(row.steps) as HomologationRun['steps'], uncorroborated: row.uncorroborated };
}

/**
 * Revokes a key of the store (idempotent: revoking twice keeps the first time); null when the store
 * has no such key. `revokedNow` is false when it was already revoked (nothing changed).
 */
export async function revokeApiKey(db: Queryable, storeId: string, id: string, revokedBy: string): Promise<{ key: ApiKeyInfo; revokedNow: boolean } | null> {
  const changed = await db.query(`UPDATE api_keys SET revoked_at = now(), revoked_by = $3 WHERE ${STORE_AND_SANDBOX} AND id = $2 AND revoked_at IS NULL RETURNING id`, [storeId, id, revokedBy]);
  // The key's cached lookups end now in this process, and at commit in the others (auth-cache.ts).
  if (changed.length > 0) await forgetLookups(db, [`key:${id}`]);
  const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE ${STORE_AND_SANDBOX} AND id = $2`, [storeId, id]);
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
    `SELECT k.id, k.store_id, k.name, k.secret_hash, k.prefix, k.scopes, k.rate_limit_per_minute, k.created_by, k.created_at, k.expires_at, k.last_used_at, k.revoked_at, k.environment,
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
      apiKey: { id: row.id, name: row.name, scopes: info.scopes, rateLimitPerMinute: row.rate_limit_per_minute, environment: row.environment },
    },
  };
}
