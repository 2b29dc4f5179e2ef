import { randomUUID } from 'node:crypto';
import type { AdminEvent, AdminEventAction } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';

export interface AdminEventInput {
  storeId: string;
  /** The administrator who acted; null for a device (pairing) or the server. */
  userId: string | null;
  stationId?: string | null;
  action: AdminEventAction;
  detail?: string | null;
}

/** Appends to the store's administration trail; call in the transaction that makes the change. */
export async function recordAdminEvent(tx: Queryable, event: AdminEventInput): Promise<void> {
  await tx.query('INSERT INTO admin_events (id, store_id, user_id, station_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    randomUUID(),
    event.storeId,
    event.userId,
    event.stationId ?? null,
    event.action,
    event.detail ?? null,
  ]);
}

export async function listAdminEvents(db: Queryable, storeId: string, limit: number): Promise<AdminEvent[]> {
  const rows = await db.query<{ id: string; at: Date | string; user_id: string | null; user_name: string | null; station_id: string | null; action: AdminEventAction; detail: string | null }>(
    `SELECT e.id, e.at, e.user_id, u.name AS user_name, e.station_id, e.action, e.detail
       FROM admin_events e LEFT JOIN users u ON u.id = e.user_id
      WHERE e.store_id = $1 ORDER BY e.at DESC, e.id LIMIT $2`,
    [storeId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    at: new Date(row.at).toISOString(),
    userId: row.user_id,
    userName: row.user_name,
    stationId: row.station_id,
    action: row.action,
    detail: row.detail,
  }));
}
