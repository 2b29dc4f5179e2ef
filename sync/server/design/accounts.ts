import { randomBytes } from 'node:crypto';
import type { DesignPortalAccount, DesignSettings } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';

/** The store's design-portal account (DES-01): which store an event belongs to, and how to sign calls. */
export interface PortalAccount extends DesignPortalAccount {
  storeId: string;
  signingSecret: string;
}

interface AccountRow {
  store_id: string; account_id: string; store_tax_id: string; portal_url: string; signing_secret: string; registered_at: Date | string;
}

function toAccount(row: AccountRow): PortalAccount {
  return {
    storeId: row.store_id,
    accountId: row.account_id,
    storeTaxId: row.store_tax_id,
    portalUrl: row.portal_url.replace(/\/+$/, ''),
    signingSecret: row.signing_secret,
    registeredAt: new Date(row.registered_at).toISOString(),
  };
}

export function newSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Registers (or replaces) the store's account; an account id belongs to one store only. 'taken' when
 * another store holds the id, also when two stores register it at the same moment: the unique index
 * on account_id decides, and the loser's unique violation (SQLSTATE 23505) is its answer, not an error.
 */
export async function registerPortalAccount(
  db: Queryable,
  storeId: string,
  account: { accountId: string; storeTaxId: string; portalUrl: string; signingSecret: string; registeredBy: string },
): Promise<'registered' | 'taken'> {
  const taken = await db.query('SELECT 1 FROM design_portal_accounts WHERE account_id = $1 AND store_id <> $2', [account.accountId, storeId]);
  if (taken.length > 0) return 'taken';
  try {
    await db.query(
      `INSERT INTO design_portal_accounts (store_id, account_id, store_tax_id, portal_url, signing_secret, registered_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (store_id) DO UPDATE SET account_id = excluded.account_id, store_tax_id = excluded.store_tax_id,
         portal_url = excluded.portal_url, signing_secret = excluded.signing_secret, registered_at = now(), registered_by = excluded.registered_by,
         -- Another portal or account has received none of the customers yet.
         customers_exported_seq = CASE WHEN design_portal_accounts.account_id = excluded.account_id AND design_portal_accounts.portal_url = excluded.portal_url
                                       THEN design_portal_accounts.customers_exported_seq ELSE 0 END`,
      [storeId, account.accountId, account.storeTaxId, account.portalUrl, account.signingSecret, account.registeredBy],
    );
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === '23505') return 'taken';
    throw error;
  }
  return 'registered';
}

export async function accountOfStore(db: Queryable, storeId: string): Promise<PortalAccount | null> {
  const rows = await db.query<AccountRow>('SELECT * FROM design_portal_accounts WHERE store_id = $1', [storeId]);
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function accountById(db: Queryable, accountId: string): Promise<PortalAccount | null> {
  const rows = await db.query<AccountRow>('SELECT * FROM design_portal_accounts WHERE account_id = $1', [accountId]);
  return rows[0] ? toAccount(rows[0]) : null;
}

export const DEFAULT_DESIGN_SETTINGS: DesignSettings = { markupBp: 0, discountBp: 0 };

export async function designSettings(db: Queryable, storeId: string): Promise<DesignSettings> {
  const rows = await db.query<{ markup_bp: number; discount_bp: number }>('SELECT markup_bp, discount_bp FROM design_settings WHERE store_id = $1', [storeId]);
  const row = rows[0];
  return row ? { markupBp: Number(row.markup_bp), discountBp: Number(row.discount_bp) } : { ...DEFAULT_DESIGN_SETTINGS };
}

export async function saveDesignSettings(db: Queryable, storeId: string, settings: DesignSettings): Promise<void> {
  await db.query(
    `INSERT INTO design_settings (store_id, markup_bp, discount_bp) VALUES ($1, $2, $3)
     ON CONFLICT (store_id) DO UPDATE SET markup_bp = excluded.markup_bp, discount_bp = excluded.discount_bp`,
    [storeId, settings.markupBp, settings.discountBp],
  );
}
