import type { SandboxInfo } from '../../schema/index.ts';
import { recordAdminEvent } from '../auth/admin-events.ts';
import type { Database, Queryable } from '../db/database.ts';
import { lockStoreSequence } from '../db/documents.ts';
import { seedSandbox } from './fixtures.ts';

/**
 * The sandbox (API-06): a production store's companion store. Its id is `<store>.sandbox` — a dot
 * never occurs in a real store's code (lower-case letters, digits, dashes), so no store can be named
 * like it and nobody can sign in to it: only sandbox keys (`bk_test.`) reach it. Every per-store scope
 * of the server (documents, stock, orders, sales, billing, webhooks, idempotency) keeps its data apart
 * by construction.
 */
export const sandboxStoreIdOf = (storeId: string): string => `${storeId}.sandbox`;

/** Tables that outlive a reset: the store itself, its keys, its clock row and the acceptance records. */
const KEPT_ON_RESET = new Set(['stores', 'store_seq', 'store_epochs', 'api_keys', 'sandboxes', 'homologation_runs']);

interface SandboxRow {
  store_id: string;
  sandbox_store_id: string;
  created_at: Date | string;
  reset_at: Date | string | null;
  clock_offset_seconds: string | number;
  now: Date | string;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The store's sandbox as the admin screen shows it (clock and live fixture counts), or null if none. */
export async function getSandbox(db: Queryable, storeId: string): Promise<SandboxInfo | null> {
  const [row] = await db.query<SandboxRow>('SELECT *, store_now(sandbox_store_id) AS now FROM sandboxes WHERE store_id = $1', [storeId]);
  if (!row) return null;
  const [counts] = await db.query<{ products: string | number; customers: string | number; contracts: string | number; stations: string | number }>(
    `SELECT (SELECT count(*) FROM documents WHERE store_id = $1 AND collection = 'products' AND NOT deleted) AS products,
            (SELECT count(*) FROM documents WHERE store_id = $1 AND collection = 'customers' AND NOT deleted) AS customers,
            (SELECT count(*) FROM documents WHERE store_id = $1 AND collection = 'backoffice' AND data ->> 'kind' = 'contract' AND NOT deleted) AS contracts,
            (SELECT count(*) FROM stations WHERE store_id = $1) AS stations`,
    [row.sandbox_store_id],
  );
  return {
    storeId: row.sandbox_store_id,
    createdAt: iso(row.created_at),
    resetAt: row.reset_at === null ? null : iso(row.reset_at),
    clock: { now: iso(row.now), offsetSeconds: Number(row.clock_offset_seconds) },
    fixtures: { products: Number(counts!.products), customers: Number(counts!.customers), stations: Number(counts!.stations), contracts: Number(counts!.contracts) },
  };
}

/** Who asked for a sandbox change, for the store's administration trail (ADM-02). */
export interface SandboxActor {
  /** The admin's user id. */
  userId: string;
  /** What made it: the sandbox screen / route, or the store's first sandbox API key. */
  via: 'sandbox' | 'first_key';
}

/**
 * Creates and seeds the store's sandbox in one transaction (a crash leaves none, never half of one),
 * recording `sandbox_created` in the store's administration trail (who, when; detail: the sandbox's store
 * id and what made it). Idempotent: `created` is false — and nothing is recorded — when it already
 * existed (also when a concurrent call made it first).
 */
export async function createSandbox(db: Database, storeId: string, actor: SandboxActor): Promise<{ info: SandboxInfo; created: boolean }> {
  const created = await db.transaction(async (tx) => {
    // Serialises two admins creating at once: the second waits, then finds the first one's sandbox.
    await tx.query('SELECT id FROM stores WHERE id = $1 FOR UPDATE', [storeId]);
    const existing = await tx.query('SELECT 1 FROM sandboxes WHERE store_id = $1', [storeId]);
    if (existing.length > 0) return false;
    const sandboxId = sandboxStoreIdOf(storeId);
    await tx.query("INSERT INTO stores (id, code, name, tax_id) SELECT $2, $2, name || ' (homologação)', tax_id FROM stores WHERE id = $1", [storeId, sandboxId]);
    await tx.query('INSERT INTO store_seq (store_id, last) VALUES ($1, 0)', [sandboxId]);
    await tx.query('INSERT INTO sandboxes (store_id, sandbox_store_id) VALUES ($1, $2)', [storeId, sandboxId]);
    await seedSandbox(tx, sandboxId);
    await recordAdminEvent(tx, { storeId, userId: actor.userId, action: 'sandbox_created', detail: JSON.stringify({ sandboxStoreId: sandboxId, via: actor.via }) });
    return true;
  });
  return { info: (await getSandbox(db, storeId))!, created };
}

/**
 * Resets the store's sandbox (API-06): wipes every row of the sandbox store (documents, stock,
 * reservations, orders, sales, receivables, billing runs, webhook subscriptions and their outbox,
 * idempotency keys, stations…), reseeds the fixtures and puts its clock back to zero — in one
 * transaction, with `sandbox_reset` in the store's administration trail (who, when; detail: the sandbox's
 * store id and the clock offset in seconds it had). Keys and homologation runs stay. Null when the store
 * has no sandbox.
 */
export async function resetSandbox(db: Database, storeId: string, actor: Pick<SandboxActor, 'userId'>): Promise<SandboxInfo | null> {
  const done = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ sandbox_store_id: string; clock_offset_seconds: string | number }>('SELECT sandbox_store_id, clock_offset_seconds FROM sandboxes WHERE store_id = $1 FOR UPDATE', [storeId]);
    if (!row) return false;
    // The sandbox's write lock before its rows, in the order every writer takes them: a reset that
    // deleted documents first and then waited for the lock deadlocked with a write holding it (500s).
    await lockStoreSequence(tx, row.sandbox_store_id);
    await recordAdminEvent(tx, { storeId, userId: actor.userId, action: 'sandbox_reset', detail: JSON.stringify({ sandboxStoreId: row.sandbox_store_id, clockOffsetSeconds: Number(row.clock_offset_seconds) }) });
    await wipeStore(tx, row.sandbox_store_id);
    await tx.query('UPDATE sandboxes SET reset_at = now(), clock_offset_seconds = 0 WHERE store_id = $1', [storeId]);
    await seedSandbox(tx, row.sandbox_store_id);
    return true;
  });
  return done ? getSandbox(db, storeId) : null;
}

/**
 * Deletes every row of `storeId` from every table with a store_id column (but KEPT_ON_RESET), found in
 * the catalogue so a table added later is wiped too. Foreign keys decide an order we do not hard-code:
 * each pass deletes what it can (a refused delete is rolled back to its savepoint) until all are empty.
 */
async function wipeStore(tx: Queryable, storeId: string): Promise<void> {
  const tables = (await tx.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.column_name = 'store_id' AND c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name`,
  )).map((row) => row.table_name).filter((name) => !KEPT_ON_RESET.has(name));
  let left = tables;
  while (left.length > 0) {
    const refused: string[] = [];
    for (const table of left) {
      await tx.query('SAVEPOINT wipe');
      try {
        await tx.query(`DELETE FROM "${table.replace(/"/g, '""')}" WHERE store_id = $1`, [storeId]);
        await tx.query('RELEASE SAVEPOINT wipe');
      } catch (error) {
        if ((error as { code?: string }).code !== '23503') throw error; // only a foreign key may make it wait
        await tx.query('ROLLBACK TO SAVEPOINT wipe');
        refused.push(table);
      }
    }
    if (refused.length === left.length) throw new Error(`Resetting the sandbox: rows of ${refused.join(', ')} are held by foreign keys from outside the store.`);
    left = refused;
  }
}
