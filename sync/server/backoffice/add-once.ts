import type { CollectionName, WireDocument } from '../../schema/index.ts';
import { writerOf } from '../auth/ownership.ts';
import type { Session } from '../auth/sessions.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadDocuments, lockStoreSequence } from '../db/documents.ts';
import { ApiProblem } from '../http/problem.ts';
import type { Refusal } from '../rules/index.ts';
import { sameDocument } from '../sync/stable-json.ts';
import { toWire, writeBatchIn } from '../sync/write-documents.ts';

/**
 * "Add" routes of the billing API that take an optional client id (POST customers, contracts,
 * consumption; API-01, API-05): an add makes a record, it never replaces one. Changes have their own
 * routes, which honour If-Match and merge only the fields sent; an add that overwrote would skip both,
 * and reactivate a deactivated customer or erase another record's usage (breaker 6, finding 3).
 *
 * - The id is free: the add writes.
 * - The id holds the very record this add would make (an exact retry, e.g. after a lost answer): the
 *   stored record is answered (200), nothing is written — as a repeated consumption externalId is.
 * - Otherwise (another record, a removed one, or this one changed since): 409 `idempotency_conflict` on
 *   `/id`, the problem the integration API's other creates with a client id answer (orders, stock
 *   adjustments and reservations: "already exists with other content"). Nothing is written or kept in
 *   integration errors: nothing was refused by a business rule, the caller only named a taken id.
 */

/** Fields the server sets on every write: not part of what an add asks for. */
const SERVER_SET = ['updatedAt', 'userId', '_deleted'];

/** The fields an add decides: without the server-set ones, and without empty texts (an empty optional text is the same add as none, as the batch stores it). */
const withoutServerSet = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([field, value]) => !SERVER_SET.includes(field) && value !== ''));

export interface AddTarget {
  collection: CollectionName;
  /** The record as a person names it in a message, e.g. "Customer". */
  what: string;
  /** Where an existing record is changed instead, for the 409's message, e.g. "POST /api/v1/billing/customers/{id}". */
  changeWith: string;
  /** What of a document (without the server-set fields) the add decides, to compare a retry with the stored record; default: all of it. */
  comparable?: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Call under the store's write lock, in the transaction that then writes `doc`.
 * @param requestedId the id the request sent; undefined when the server makes one (then it is free)
 * @param doc the document the add would write
 * @returns undefined when the id is free; the stored record (without `_deleted`) when the add is an exact retry
 * @throws ApiProblem 409 `idempotency_conflict` (pointer `/id`) when the id is taken otherwise
 */
export async function retriedAdd(tx: Queryable, storeId: string, target: AddTarget, requestedId: string | undefined, doc: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  if (requestedId === undefined) return undefined;
  const stored = (await loadDocuments(tx, storeId, target.collection, [requestedId])).get(requestedId);
  if (!stored) return undefined;
  if (!stored.deleted && sameAdd(target, stored.data, doc)) return stored.data;
  const held = stored.deleted ? 'belonged to a record that was removed' : 'is taken by a record with other content';
  throw new ApiProblem(
    409,
    'idempotency_conflict',
    `${target.what} id ${requestedId} ${held}; an add never replaces a record. Leave id out (or send a new one) to add another, or change the existing record with ${target.changeWith}.`,
    '/id',
  );
}

/** Whether `doc` is the add that made `stored`, the server-set fields (and, with `ignoreId`, the id) left out. */
function sameAdd(target: AddTarget, stored: Record<string, unknown>, doc: Record<string, unknown>, ignoreId = false): boolean {
  const comparable = (data: Record<string, unknown>) => {
    const { id: _id, ...rest } = (target.comparable ?? ((same) => same))(withoutServerSet(data));
    return ignoreId ? rest : { id: _id, ...rest };
  };
  return sameDocument(comparable(stored), comparable(doc));
}

/**
 * The same rule for an add whose natural key (consumption's `externalId`, the integrator's own id of the
 * record) a live record already holds. Call under the store's write lock, like retriedAdd.
 * - The same add again (same content; the same id, or none sent): the stored record is answered (200).
 * - Another content, or another id sent: 409 `idempotency_conflict` on `/<field>`. Answering the stored
 *   record would tell the caller its data was kept when it was not (a corrected quantity resent as an
 *   add was silently dropped).
 * @param requestedId the id the request sent; undefined when the server makes one
 * @returns the stored record
 */
export function retriedByKey(target: AddTarget, field: string, stored: Record<string, unknown>, doc: Record<string, unknown>, requestedId: string | undefined): Record<string, unknown> {
  const storedId = String(stored.id);
  const otherId = requestedId !== undefined && requestedId !== storedId;
  if (!otherId && sameAdd(target, stored, doc, true)) return stored;
  const value = String(doc[field]);
  const why = otherId ? `, not to id ${requestedId}` : ' with other content';
  throw new ApiProblem(
    409,
    'idempotency_conflict',
    `${target.what} ${field} ${value} belongs to record ${storedId}${why}; an add never replaces a record. Change that record with ${target.changeWith}, or send another ${field} to add another record.`,
    `/${field}`,
  );
}

/**
 * Adds one document through the one write path (the guards of every upload), refusing a taken id as
 * `retriedAdd` says; lock, check and write in one transaction, so two adds of one id cannot both write.
 * @returns the stored record and 201, or the existing one and 200 (an exact retry)
 * @throws 409 (id taken), 422 `quarantined` when a rule refuses the document (kept in integration errors)
 */
export async function addOne(db: Database, session: Session, target: AddTarget, requestedId: string | undefined, doc: WireDocument): Promise<{ status: 200 | 201; body: Record<string, unknown> }> {
  const storeId = session.store.id;
  const answer = await db.transaction(async (tx): Promise<{ refused: Refusal } | { status: 200 | 201; body: Record<string, unknown> }> => {
    await lockStoreSequence(tx, storeId);
    const existing = await retriedAdd(tx, storeId, target, requestedId, doc);
    if (existing) return { status: 200, body: existing };
    const outcome = await writeBatchIn(tx, { storeId, collection: target.collection, checkConflicts: false, writer: writerOf(session, 'api') }, [{ newDocumentState: doc }]);
    const refused = outcome.quarantined[0];
    if (refused) return { refused: refused.refusal };
    const stored = (await loadDocuments(tx, storeId, target.collection, [String(doc.id)])).get(String(doc.id));
    if (!stored) throw new ApiProblem(500, 'internal', `${target.what} ${String(doc.id)} was written but cannot be read back. Try again.`);
    const { _deleted: _ignored, ...body } = toWire(stored);
    return { status: 201, body };
  });
  if ('refused' in answer) throw new ApiProblem(422, 'quarantined', `${answer.refused.message} (reason: ${answer.refused.reason}; kept in GET /api/sync/errors)`);
  return answer;
}
