import type { DesignLinkState } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';

/** A designer's link to their design-software user (DES-02). */
export async function saveLink(db: Queryable, storeId: string, userId: string, designUser: { designUserId: string; name: string; credentialVersion: number }): Promise<void> {
  await db.query(
    `INSERT INTO design_links (user_id, store_id, design_user_id, design_user_name, credential_version, needs_relink)
     VALUES ($1, $2, $3, $4, $5, false)
     ON CONFLICT (user_id) DO UPDATE SET design_user_id = excluded.design_user_id, design_user_name = excluded.design_user_name,
       credential_version = excluded.credential_version, needs_relink = false, linked_at = now()`,
    [userId, storeId, designUser.designUserId, designUser.name, designUser.credentialVersion],
  );
}

export async function linkState(db: Queryable, userId: string): Promise<DesignLinkState> {
  const rows = await db.query<{ design_user_name: string; needs_relink: boolean }>('SELECT design_user_name, needs_relink FROM design_links WHERE user_id = $1', [userId]);
  const row = rows[0];
  if (!row) return { status: 'unlinked' };
  return { status: row.needs_relink ? 'relink' : 'linked', designUserName: row.design_user_name };
}

/** A password change on the design side makes every link made with older credentials stale. */
export async function markCredentialsChanged(db: Queryable, storeId: string, designUserId: string, credentialVersion: number): Promise<number> {
  const rows = await db.query(
    `UPDATE design_links SET needs_relink = true
      WHERE store_id = $1 AND design_user_id = $2 AND credential_version < $3 AND NOT needs_relink RETURNING user_id`,
    [storeId, designUserId, credentialVersion],
  );
  return rows.length;
}

/** The store user behind a design-software user, to credit imports made from the design side. */
export async function storeUserOf(db: Queryable, storeId: string, designUserId: string): Promise<string | undefined> {
  const rows = await db.query<{ user_id: string }>('SELECT user_id FROM design_links WHERE store_id = $1 AND design_user_id = $2 ORDER BY linked_at DESC LIMIT 1', [storeId, designUserId]);
  return rows[0]?.user_id;
}
