import type { CollectionName, WireDocument } from '../../schema/index.ts';
import { writerOf } from '../auth/ownership.ts';
import type { Session } from '../auth/sessions.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadDocuments, lockStoreSequence } from '../db/documents.ts';
import { ApiProblem, problems } from '../http/problem.ts';
import { assertIfMatch, type IfMatch } from '../http/etag.ts';
import type { Refusal } from '../rules/index.ts';
import { toWire, writeBatch, writeBatchIn } from '../sync/write-documents.ts';

/**
 * Reads and writes of back-office documents for the API routes. Every write goes through the one write
 * path (writeBatch), so an API call meets exactly the guards a device upload does; a refusal is kept in
 * quarantine (integration errors) and answered as a 422 problem with the reason.
 */
export function assertBackoffice(session: Session): void {
  if (!session.user.roles.some((role) => role === 'backoffice' || role === 'admin')) {
    throw problems.forbidden('Only back-office users and administrators may use the billing API.');
  }
}

/** The document without `_deleted`, or a 404 problem. */
export async function getLive(db: Queryable, storeId: string, collection: CollectionName, id: string, what: string, check?: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return (await getLiveVersion(db, storeId, collection, id, what, check)).data;
}

/** getLive with the document's version (sequence number), for its ETag. */
export async function getLiveVersion(db: Queryable, storeId: string, collection: CollectionName, id: string, what: string, check?: (data: Record<string, unknown>) => boolean): Promise<{ data: Record<string, unknown>; seq: number }> {
  const found = (await loadDocuments(db, storeId, collection, [id])).get(id);
  if (!found || found.deleted || (check && !check(found.data))) throw problems.notFound(`${what} ${id}`);
  return { data: found.data, seq: found.seq };
}

/**
 * Writes one document for the signed-in caller (last writer wins, like the integration API; the ownership
 * rule runs as on every write path); throws a 422 problem when refused.
 */
export async function writeOne(db: Database, session: Session, collection: CollectionName, doc: WireDocument, ifMatch: IfMatch = null): Promise<Record<string, unknown>> {
  return (await writeOneVersion(db, session, collection, doc, ifMatch)).data;
}

/**
 * writeOne with the stored version (for the answer's ETag). `ifMatch`: the request's If-Match,
 * checked against the stored document under the store's write lock (412 when stale).
 */
export async function writeOneVersion(db: Database, session: Session, collection: CollectionName, doc: WireDocument, ifMatch: IfMatch = null): Promise<{ data: Record<string, unknown>; seq: number }> {
  const storeId = session.store.id;
  const outcome = await writeBatch(db, { storeId, collection, checkConflicts: false, writer: writerOf(session, 'api'), ifMatch }, [{ newDocumentState: doc }]);
  const refused = outcome.quarantined[0];
  if (refused) throw new ApiProblem(422, 'quarantined', `${refused.refusal.message} (reason: ${refused.refusal.reason}; kept in GET /api/sync/errors)`);
  const stored = (await loadDocuments(db, storeId, collection, [String(doc.id)])).get(String(doc.id));
  if (!stored) throw new ApiProblem(500, 'internal', `Document ${String(doc.id)} was written but cannot be read back. Try again.`);
  const { _deleted: _ignored, ...data } = toWire(stored);
  return { data, seq: stored.seq };
}

/** What changeOne reads: a live document of `collection` (`what` names it in a 404, `check` narrows it, e.g. contracts of `backoffice`). */
export interface ChangeTarget {
  collection: CollectionName;
  id: string;
  what: string;
  check?: (data: Record<string, unknown>) => boolean;
}

/**
 * A change of one stored document that depends on what is stored (a partial change, a deactivation, a
 * contract request), made in one transaction that holds the store's write lock from the read to the
 * write: reads the target's current version, checks `ifMatch` against it (412 when stale), lets `build`
 * make the document to write from it (in the target's collection or another: a contract request), and
 * writes that through the one write path. Concurrent changes are serialised: each builds on the
 * latest committed version, so none is lost and at most one of several with the same If-Match applies.
 * `build` returning null writes nothing.
 * @returns the target as stored afterwards (a removed one with `deleted: true`) and its version
 * @throws 404 problem when the target is missing, 412 when If-Match is stale, 422 `quarantined` when the
 * write is refused (kept in quarantine, which commits)
 */
export async function changeOne(
  db: Database,
  session: Session,
  target: ChangeTarget,
  ifMatch: IfMatch,
  build: (current: Record<string, unknown>) => { collection: CollectionName; doc: WireDocument } | null,
): Promise<{ data: Record<string, unknown>; seq: number; deleted: boolean }> {
  const storeId = session.store.id;
  const answer = await db.transaction(async (tx): Promise<{ refused: Refusal } | { data: Record<string, unknown>; seq: number; deleted: boolean }> => {
    await lockStoreSequence(tx, storeId);
    const current = await getLiveVersion(tx, storeId, target.collection, target.id, target.what, target.check);
    assertIfMatch(ifMatch, current.seq, `${target.what} ${target.id}`);
    const write = build(current.data);
    if (write) {
      const outcome = await writeBatchIn(tx, { storeId, collection: write.collection, checkConflicts: false, writer: writerOf(session, 'api') }, [{ newDocumentState: write.doc }]);
      const refused = outcome.quarantined[0];
      if (refused) return { refused: refused.refusal };
    }
    const stored = (await loadDocuments(tx, storeId, target.collection, [target.id])).get(target.id);
    if (!stored) throw new ApiProblem(500, 'internal', `${target.what} ${target.id} was written but cannot be read back. Try again.`);
    const { _deleted: _ignored, ...data } = toWire(stored);
    return { data, seq: stored.seq, deleted: stored.deleted };
  });
  if ('refused' in answer) throw new ApiProblem(422, 'quarantined', `${answer.refused.message} (reason: ${answer.refused.reason}; kept in GET /api/sync/errors)`);
  return answer;
}

export interface ListPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

/**
 * Live documents of a collection, ordered by id, filtered by top-level fields equal to the given
 * values (undefined = no filter) and an optional text search over some fields; keyset paginated.
 */
export async function listLive(
  db: Queryable,
  storeId: string,
  collection: CollectionName,
  filter: { equals: Record<string, string | boolean | undefined>; search?: { text: string; fields: string[] }; dateFrom?: string; dateTo?: string; limit: number; cursor?: string },
): Promise<ListPage> {
  const params: unknown[] = [storeId, collection];
  const where: string[] = ['store_id = $1', 'collection = $2', 'NOT deleted'];
  for (const [field, value] of Object.entries(filter.equals)) {
    if (value === undefined) continue;
    params.push(String(value));
    where.push(`data ->> '${field.replace(/[^A-Za-z]/g, '')}' = $${params.length}`);
  }
  if (filter.search?.text) {
    params.push(`%${filter.search.text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    where.push(`(${filter.search.fields.map((field) => `data ->> '${field.replace(/[^A-Za-z]/g, '')}' ILIKE $${params.length}`).join(' OR ')})`);
  }
  if (filter.dateFrom) {
    params.push(filter.dateFrom);
    where.push(`(data ->> 'date')::date >= $${params.length}::date`);
  }
  if (filter.dateTo) {
    params.push(filter.dateTo);
    where.push(`(data ->> 'date')::date <= $${params.length}::date`);
  }
  if (filter.cursor) {
    params.push(Buffer.from(filter.cursor, 'base64url').toString('utf8'));
    where.push(`id COLLATE "C" > $${params.length}`);
  }
  params.push(filter.limit + 1);
  const rows = await db.query<{ id: string; data: Record<string, unknown> }>(
    `SELECT id, data FROM documents WHERE ${where.join(' AND ')} ORDER BY id COLLATE "C" LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return { items: items.map((row) => row.data), nextCursor: rows.length > filter.limit && last ? Buffer.from(last.id).toString('base64url') : null };
}
