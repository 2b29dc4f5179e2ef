import type { PairingCodeIssued, PairResponse, StationRegistration, WireDocument } from '../../schema/index.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadDocuments, lockStoreSequence } from '../db/documents.ts';
import { ApiProblem, problems } from '../http/problem.ts';
import { writeBatchIn } from '../sync/write-documents.ts';
import { recordAdminEvent } from './admin-events.ts';
import { newOneTimeCode, pairingCodeHash } from './codes.ts';
import { digest, digestsEqual, newRandomSecret } from './secrets.ts';
import { revokeSessions } from './sessions.ts';

export const PAIRING_CODE_DEFAULT_MINUTES = 24 * 60;
export const PAIRING_CODE_MAX_MINUTES = 7 * 24 * 60;

interface StationRow {
  id: string;
  code: string;
  name: string;
}

async function stationOfStore(tx: Queryable, storeId: string, stationId: string): Promise<StationRow> {
  const [station] = await tx.query<StationRow>('SELECT id, code, name FROM stations WHERE store_id = $1 AND id = $2 FOR UPDATE', [storeId, stationId]);
  if (!station) throw problems.notFound(`Station ${stationId}`);
  return station;
}

/**
 * A new pairing code for a station (replacing any code still waiting). The code is answered once
 * and stored hashed; it works once, until it expires.
 */
export async function issuePairingCode(db: Database, storeId: string, stationId: string, minutes: number, adminUserId: string): Promise<PairingCodeIssued> {
  const pairingCode = newOneTimeCode();
  return db.transaction(async (tx) => {
    const station = await stationOfStore(tx, storeId, stationId);
    const [row] = await tx.query<{ expires_at: Date | string }>(
      'UPDATE stations SET pairing_code_hash = $2, pairing_code_expires_at = now() + make_interval(mins => $3) WHERE id = $1 RETURNING pairing_code_expires_at AS expires_at',
      [station.id, pairingCodeHash(pairingCode), minutes],
    );
    const expiresAt = new Date(row!.expires_at).toISOString();
    await recordAdminEvent(tx, { storeId, userId: adminUserId, stationId: station.id, action: 'pairing_code_issued', detail: `valid until ${expiresAt}` });
    return { stationId: station.id, stationCode: station.code, pairingCode, expiresAt };
  });
}

/** Withdraws the code waiting for a station; false when none was waiting. */
export async function revokePairingCode(db: Database, storeId: string, stationId: string, adminUserId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const station = await stationOfStore(tx, storeId, stationId);
    const revoked = await tx.query('UPDATE stations SET pairing_code_hash = NULL, pairing_code_expires_at = NULL WHERE id = $1 AND pairing_code_hash IS NOT NULL RETURNING id', [station.id]);
    if (revoked.length === 0) return false;
    await recordAdminEvent(tx, { storeId, userId: adminUserId, stationId: station.id, action: 'pairing_code_revoked' });
    return true;
  });
}

/** Cuts an installation off: its device key stops working and its sessions end (their streams close). */
export async function unpairStation(db: Database, storeId: string, stationId: string, adminUserId: string): Promise<{ sessionsEnded: number }> {
  return db.transaction(async (tx) => {
    const station = await stationOfStore(tx, storeId, stationId);
    await tx.query('UPDATE stations SET device_key_hash = NULL, pairing_code_hash = NULL, pairing_code_expires_at = NULL WHERE id = $1', [station.id]);
    const sessionsEnded = await revokeSessions(tx, { stationId: station.id });
    await recordAdminEvent(tx, { storeId, userId: adminUserId, stationId: station.id, action: 'station_unpaired', detail: `${sessionsEnded} session(s) ended` });
    return { sessionsEnded };
  });
}

/**
 * Pairs a device with a station: the code must match and be unexpired, and it is used up in the same
 * statement that stores the new device key, so two devices racing with one code cannot both win. A
 * previous installation of the station is cut off: its device key is replaced and its sessions end.
 * Null when store, station or code is wrong, used or expired (one answer for all: no oracle).
 */
export async function pairWithCode(db: Database, storeCode: string, stationCode: string, pairingCode: string): Promise<PairResponse | null> {
  const deviceKey = newRandomSecret();
  return db.transaction(async (tx) => {
    const [station] = await tx.query<{ id: string; code: string; name: string; pairing_code_hash: string | null; live: boolean; store_id: string; store_code: string; store_name: string }>(
      `SELECT st.id, st.code, st.name, st.pairing_code_hash, coalesce(st.pairing_code_expires_at > now(), false) AS live,
              s.id AS store_id, s.code AS store_code, s.name AS store_name
         FROM stations st JOIN stores s ON s.id = st.store_id
        WHERE s.code = $1 AND st.code = $2
        FOR UPDATE OF st`,
      [storeCode, stationCode],
    );
    // Hash the typed code either way, so an unknown station costs what a known one does.
    const typed = pairingCodeHash(pairingCode);
    if (!station || !station.live || !digestsEqual(typed, station.pairing_code_hash)) return null;
    await tx.query(
      'UPDATE stations SET device_key_hash = $2, paired_at = now(), pairing_code_hash = NULL, pairing_code_expires_at = NULL WHERE id = $1',
      [station.id, digest(deviceKey)],
    );
    const sessionsEnded = await revokeSessions(tx, { stationId: station.id });
    await recordAdminEvent(tx, { storeId: station.store_id, userId: null, stationId: station.id, action: 'station_paired', detail: sessionsEnded > 0 ? `re-paired: ${sessionsEnded} session(s) of the previous installation ended` : null });
    return { stationId: station.id, stationCode: station.code, stationName: station.name, store: { id: station.store_id, code: station.store_code, name: station.store_name }, deviceKey };
  });
}

/**
 * Writes a station's master record (the server's own write, through the one write path). Another live
 * master record may hold its code (rules/natural-keys.ts), or its id (an ERP's seller "loja1-cx77",
 * which this server-side write would otherwise replace): then it throws 409 `validation_failed`,
 * "<what>: <the refusal>", so the caller's transaction leaves no station without its record.
 */
export async function writeStationRecord(tx: Queryable, storeId: string, record: WireDocument, what: string, field?: string): Promise<void> {
  const id = String(record.id);
  const holder = (await loadDocuments(tx, storeId, 'masterdata', [id])).get(id);
  if (holder && !holder.deleted && holder.data.kind !== 'station') {
    throw new ApiProblem(409, 'validation_failed', `${what}: its id ${id} is held by master record ${id} (a ${String(holder.data.kind)}). Choose another code, or give that record another id.`, field);
  }
  const outcome = await writeBatchIn(tx, { storeId, collection: 'masterdata', checkConflicts: false, writer: 'server' }, [{ newDocumentState: record }]);
  const refused = outcome.quarantined[0];
  if (refused) throw new ApiProblem(409, 'validation_failed', `${what}: ${refused.refusal.message}`, field);
}

/**
 * Registers a station of the store (admin): its row (monitor, pairing) and its master record (what
 * devices replicate), in one transaction. Pairing needs a code issued afterwards.
 */
export async function registerStation(db: Database, storeId: string, registration: StationRegistration, adminUserId: string): Promise<{ id: string; code: string; name: string; groupId: string | null }> {
  const id = `${storeId}-${registration.code}`;
  const groupId = registration.groupId ?? null;
  return db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const taken = await tx.query('SELECT 1 FROM stations WHERE id = $1 OR (store_id = $2 AND code = $3)', [id, storeId, registration.code]);
    if (taken.length > 0) throw new ApiProblem(409, 'validation_failed', `Station ${registration.code} exists already in this store. Choose another code.`, '/code');
    if (groupId !== null) {
      const group = (await loadDocuments(tx, storeId, 'masterdata', [groupId])).get(groupId);
      if (!group || group.deleted || group.data.kind !== 'stationGroup') {
        throw new ApiProblem(404, 'not_found', `Station group ${groupId} was not found in this store. Pick a group listed in the master data (kind stationGroup).`, '/groupId');
      }
    }
    await tx.query('INSERT INTO stations (id, store_id, code, name, group_id) VALUES ($1, $2, $3, $4, $5)', [id, storeId, registration.code, registration.name, groupId]);
    const record: WireDocument = { id, kind: 'station', code: registration.code, name: registration.name, active: true, ...(groupId ? { groupId } : {}), _deleted: false };
    await writeStationRecord(tx, storeId, record, `Station ${registration.code} cannot be registered`, '/code');
    await recordAdminEvent(tx, { storeId, userId: adminUserId, stationId: id, action: 'station_registered', detail: `${registration.code} "${registration.name}"` });
    return { id, code: registration.code, name: registration.name, groupId };
  });
}
