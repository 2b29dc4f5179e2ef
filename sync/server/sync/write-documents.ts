import { COLLECTIONS, findTextProblem, storableCopy, type CollectionName, type WireDocument } from '../../schema/index.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadDocuments, loadDocumentsByField, lockStoreSequence, writeDocuments, type DocumentWrite, type StoredDocument } from '../db/documents.ts';
import { openQuarantined, quarantine, resolveQuarantine, type OpenRefusal, type QuarantineEntry } from '../db/quarantine.ts';
import { BUSINESS_RULES, type Refusal } from '../rules/index.ts';
import { DEACTIVATION_STAMP_FIELDS, restrictedFieldRefusal, stampDeactivation } from '../rules/restricted-fields.ts';
import { applyStockEffects } from '../rules/stock-effects.ts';
import { applyVoucherEffects } from '../rules/vouchers.ts';
import { naturalKeyRefusals } from '../rules/natural-keys.ts';
import { applyDesignActions } from '../design/actions.ts';
import { armCustomerExport } from '../design/jobs-queue.ts';
import { BACKOFFICE_GUARDED, guardBackofficeBatch, waitingFor } from '../backoffice/guards.ts';
import { mergeOnConflict } from '../backoffice/merge-conflicts.ts';
import { assertOwnership, type Writer } from '../auth/ownership.ts';
import { InvalidDocument, newInstantProblem } from '../validation/documents.ts';
import { sameDocument } from './stable-json.ts';
import { assertIfMatch, type IfMatch } from '../http/etag.ts';

export interface WriteRow {
  newDocumentState: WireDocument;
  assumedMasterState?: WireDocument | null;
}

export interface WriteOutcome {
  /** Current master states of rows that lost a conflict (RxDB's push answer). */
  conflicts: WireDocument[];
  written: string[];
  /** Rows already equal to the master: a retried batch lands here and writes nothing. */
  unchanged: string[];
  quarantined: { id: string; refusal: Refusal }[];
  /** Highest sequence number written, when something was. */
  seq: number | null;
  /**
   * Where the batch sits in the store's history: every row it acknowledged (written or unchanged) is
   * stored at or below this sequence number, and any later change of them lands above it. The push
   * answer carries it (header `balcao-seq`) so a device can tell older server states from newer ones.
   */
  position: number;
}

export interface WriteOptions {
  storeId: string;
  collection: CollectionName;
  /** Replication checks `assumedMasterState`; the integration API writes last-writer-wins. */
  checkConflicts: boolean;
  /** The station that sent the batch: refusals are shown there even for store-wide documents. */
  sourceStationId?: string | null;
  /**
   * Who sent the batch, to tell a fix of a refused version from someone else's write (settledRefusals):
   * `station:<id>` for a station's session, `session:<token hash>` for a station-less one (senderOf).
   * Absent for what the server writes itself and for the integration API, which settle as before.
   */
  sender?: string | null;
  /**
   * False: the write settles no open refusal of its documents (the retry route, which settles the entry it
   * retried itself). Default: a push settles the refusals it fixes (settledRefusals), the integration API
   * every refusal of what it writes.
   */
  settlesRefusals?: boolean;
  /** Who writes: the ownership rule (auth/ownership.ts) runs for a caller; 'server' for what the server derives itself. */
  writer: Writer | 'server';
  /** The rows passed this collection's request validator (push, API): the store need not check them again. */
  validated?: boolean;
  /** If-Match of a single-resource API write: checked against each row's stored version under the store's lock (412 when stale). */
  ifMatch?: IfMatch;
  /**
   * The stored version of every row's id (an id absent here is not stored), when the caller read them
   * in this transaction under the store's lock (the batch upsert): saves reading them a second time.
   */
  known?: ReadonlyMap<string, StoredDocument>;
}

export function toWire(stored: StoredDocument): WireDocument {
  return { ...stored.data, _deleted: stored.deleted };
}

function withoutDeletedFlag(doc: WireDocument): Record<string, unknown> {
  const { _deleted: _ignored, ...data } = doc;
  return data;
}

function stationOf(doc: WireDocument): string | null {
  return typeof doc.stationId === 'string' ? doc.stationId : null;
}

/**
 * WriteOptions.sender of a session: its station, which stays the same device across logins, or for a
 * station-less session (a back-office device) the session itself, the one thing that tells two devices
 * of one user apart. A device logged in again is a new sender: its refusals then settle by a write that
 * takes up the refused change (addressesRefusedChange), one that assumes the refused version, or "Tentar de novo".
 */
export function senderOf(session: { stationId: string | null; tokenHash: string }): string {
  return session.stationId ? `station:${session.stationId}` : `session:${session.tokenHash}`;
}

/** Last row per id wins: one statement cannot write a row twice, and the last is the newest state. */
function lastPerId(rows: readonly WriteRow[]): WriteRow[] {
  const byId = new Map<string, WriteRow>();
  for (const row of rows) byId.set(String(row.newDocumentState.id), row);
  return [...byId.values()];
}

async function loadReferences(tx: Queryable, storeId: string, collection: CollectionName, docs: readonly WireDocument[]): Promise<Map<CollectionName, Map<string, StoredDocument>>> {
  const rule = BUSINESS_RULES[collection];
  // One query per referenced collection and lookup field, whatever the batch size.
  const wanted = new Map<string, { collection: CollectionName; field?: readonly string[]; ids: Set<string> }>();
  for (const doc of docs) {
    for (const request of rule?.references?.(doc) ?? []) {
      const key = JSON.stringify([request.collection, request.field ?? null]);
      const entry = wanted.get(key) ?? { collection: request.collection, field: request.field, ids: new Set<string>() };
      request.ids.forEach((id) => entry.ids.add(id));
      wanted.set(key, entry);
    }
  }
  const references = new Map<CollectionName, Map<string, StoredDocument>>();
  for (const { collection: name, field, ids } of wanted.values()) {
    const found = field ? await loadDocumentsByField(tx, storeId, name, field, [...ids]) : await loadDocuments(tx, storeId, name, [...ids]);
    references.set(name, new Map([...(references.get(name) ?? []), ...found]));
  }
  return references;
}

function asStored(doc: WireDocument): StoredDocument {
  return { id: String(doc.id), seq: 0, stationId: stationOf(doc), data: withoutDeletedFlag(doc), deleted: doc._deleted === true };
}

/**
 * The one write path of the server: replication pushes, integration API writes and quarantine retries
 * all come through here, in one transaction per batch that holds the store's sequence lock.
 */
export async function writeBatch(db: Database, options: WriteOptions, rows: readonly WriteRow[]): Promise<WriteOutcome> {
  return db.transaction((tx) => writeBatchIn(tx, options, rows));
}

/**
 * writeBatch inside a transaction the caller owns, for a route that changes more than documents at once.
 *
 * A batch is written set-based, with one statement per step whatever its size. When the database (or
 * the schema check of what the server derives) refuses it because of one document, the batch is
 * rolled back to a savepoint and written again one row at a time, in order, each in its own
 * savepoint: the good rows are written, and a row the database refuses is that row's refusal — kept
 * in quarantine with the reason — never the whole batch's failure, which a device would retry forever.
 */
export async function writeBatchIn(tx: Queryable, options: WriteOptions, rows: readonly WriteRow[]): Promise<WriteOutcome> {
  const locked = await lockStoreSequence(tx, options.storeId);
  const batch = lastPerId(rows);
  try {
    const outcome = await inSavepoint(tx, 'write_batch', () => writeRows(tx, options, batch));
    return { ...outcome, position: Math.max(locked, outcome.seq ?? 0) };
  } catch (error) {
    if (!isDocumentFault(error)) throw error;
  }
  const outcome: WriteOutcome = { conflicts: [], written: [], unchanged: [], quarantined: [], seq: null, position: locked };
  for (const row of batch) {
    try {
      const one = await inSavepoint(tx, 'write_row', () => writeRows(tx, options, [row]));
      outcome.conflicts.push(...one.conflicts);
      outcome.written.push(...one.written);
      outcome.unchanged.push(...one.unchanged);
      outcome.quarantined.push(...one.quarantined);
      outcome.seq = one.seq ?? outcome.seq;
      outcome.position = Math.max(outcome.position, one.seq ?? 0);
    } catch (error) {
      if (!isDocumentFault(error)) throw error;
      const doc = row.newDocumentState;
      const id = String(doc.id);
      const refusal: Refusal = { reason: 'invalid_value', message: faultMessage(options.collection, doc, error) };
      // The copy kept has the characters the database cannot hold replaced (U+FFFD), or it could not be kept either.
      await quarantine(tx, options.storeId, options.collection, [{ documentId: id, stationId: stationOf(doc) ?? options.sourceStationId ?? null, ...refusal, document: storableCopy(doc), sender: options.sender ?? null }]);
      outcome.quarantined.push({ id, refusal });
    }
  }
  return outcome;
}

/** Runs `work` in a savepoint of `tx`, rolled back to it when `work` throws (the error is thrown on). */
export async function inSavepoint<T>(tx: Queryable, name: string, work: () => Promise<T>): Promise<T> {
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/**
 * A failure one document causes: what the server derived from it breaks the schema, or PostgreSQL
 * refuses its data (class 22 data exception, 23 integrity constraint, 54 program limit). Anything
 * else (a lost connection, a bug) fails the request as before, so nothing is refused by accident.
 */
export function isDocumentFault(error: unknown): boolean {
  if (error instanceof InvalidDocument) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

function faultMessage(collection: CollectionName, doc: WireDocument, error: unknown): string {
  const what = `${collection} ${String(doc.id)}`;
  if (error instanceof InvalidDocument) {
    const derived = error.collection !== collection || error.id !== String(doc.id) ? ` (writing it would make ${error.collection} ${error.id} invalid)` : '';
    return `The server cannot store ${what}${derived}: field ${error.field} ${error.problem}. Correct it and send it again.`;
  }
  const text = findTextProblem(doc);
  const field = text ? ` Field ${text.field} ${text.problem}.` : '';
  return `The database cannot store ${what}: ${(error as Error).message}.${field} Correct it and send it again.`;
}

/** What an append-only collection refuses: any change to a stored record, and deletions. */
function appendOnlyRefusal(collection: CollectionName, doc: WireDocument, previous: StoredDocument | undefined): Refusal | null {
  if (!COLLECTIONS[collection].appendOnly) return null;
  if (previous) {
    return { reason: 'immutable_document', message: `${collection} ${String(doc.id)} is append-only and already recorded; it cannot be changed or deleted. Record a new one to correct it.` };
  }
  if (doc._deleted) return { reason: 'immutable_document', message: `${collection} is append-only: ${String(doc.id)} cannot be recorded as deleted. Record it as it happened.` };
  return null;
}

/** A device time that enters through this write must be readable and plausible (one already stored may stay, see validator.ts). */
function instantRefusal(collection: CollectionName, doc: WireDocument, previous: StoredDocument | undefined): Refusal | null {
  const problem = newInstantProblem(collection, doc, previous?.data);
  if (!problem) return null;
  return { reason: 'invalid_value', message: `${collection} ${String(doc.id)}: field ${problem.field} ${problem.problem}. Correct it and send it again.` };
}

async function writeRows(tx: Queryable, options: WriteOptions, batch: readonly WriteRow[]): Promise<WriteOutcome> {
  const { storeId, collection, checkConflicts } = options;
  const ids = batch.map((row) => String(row.newDocumentState.id));
  const current = options.known ? new Map(ids.flatMap((id) => (options.known!.has(id) ? [[id, options.known!.get(id)!] as const] : []))) : await loadDocuments(tx, storeId, collection, ids);
  if (options.writer !== 'server') await assertOwnership(tx, options.writer, collection, batch.map((row) => row.newDocumentState), current);
  if (options.ifMatch) for (const id of ids) assertIfMatch(options.ifMatch, current.get(id)?.seq, `${collection}/${id}`);
  const refusedVersions = checkConflicts ? await openQuarantined(tx, storeId, collection, ids) : new Map<string, OpenRefusal>();
  const outcome: WriteOutcome = { conflicts: [], written: [], unchanged: [], quarantined: [], seq: null, position: 0 };

  const candidates: WireDocument[] = [];
  const editConflicts: QuarantineEntry[] = [];
  // Rows that assume their document's refused version: a device fixing what it sent (settledRefusals).
  const fixes = new Set<string>();
  for (const row of batch) {
    const doc = row.newDocumentState;
    const id = String(doc.id);
    const stored = current.get(id);
    const master = stored ? toWire(stored) : null;
    if (master && sameDocument(master, doc)) {
      outcome.unchanged.push(id);
      continue;
    }
    if (checkConflicts && master) {
      const assumed = row.assumedMasterState ?? null;
      // A device that fixes a quarantined version assumes that version, which never became the master.
      const refused = refusedVersions.get(id)?.document;
      const fixesRefused = assumed !== null && refused !== undefined && sameDocument(assumed, refused);
      if (fixesRefused) fixes.add(id);
      const assumedIsKnown = assumed !== null && (sameDocument(assumed, master) || fixesRefused);
      if (!assumedIsKnown) {
        // Customers, contracts and usage merge field by field instead, and what cannot merge is kept
        // for the user rather than dropped (BO-01, BO-03, BO-04, POS-07; backoffice/merge-conflicts.ts).
        const merged = mergeOnConflict(collection, assumed, doc, master, options.sourceStationId ?? null);
        if (merged?.conflict) editConflicts.push(merged.conflict);
        if (!merged?.doc) {
          outcome.conflicts.push(master);
          continue;
        }
        if (sameDocument(master, merged.doc)) {
          // Nothing of the device's version is written, so no pull would bring the server's to it: answered
          // as a conflict, the device shows the server's version (what it lost is in integration errors).
          outcome.conflicts.push(master);
          continue;
        }
        candidates.push(merged.doc);
        continue;
      }
    }
    candidates.push(doc);
  }

  const loaded = await loadReferences(tx, storeId, collection, candidates);
  // Rows a guard refused in an earlier round, which later rows of the batch may have relied on (judgeBatch).
  const withheld = new Map<string, Refusal>();
  let judged: Judged;
  // A single row relies on no other, so its one round never needs undoing (every single-record API write).
  const undoable = candidates.length > 1;
  for (;;) {
    if (undoable) await tx.query('SAVEPOINT judge_batch');
    judged = await judgeBatch(tx, options, candidates, current, loaded, withheld);
    if (judged.relied.size === 0) {
      if (undoable) await tx.query('RELEASE SAVEPOINT judge_batch');
      break;
    }
    // Judge again without them: the guards' effects (vouchers, design actions) are undone first. Each round withholds one row more at least.
    await tx.query('ROLLBACK TO SAVEPOINT judge_batch');
    for (const [id, refusal] of judged.relied) withheld.set(id, refusal);
  }
  const { accepted, refused, references } = judged;
  outcome.written.push(...judged.written);
  outcome.quarantined.push(...judged.quarantined);
  const sender = options.sender ?? null;
  await quarantine(tx, storeId, collection, refused.map((entry) => ({ ...entry, sender })));
  // The retry route settles the one entry it retried itself: writing that version is no fix of another device's refusal.
  if (options.settlesRefusals !== false) {
    await resolveQuarantine(tx, storeId, collection, checkConflicts ? settledRefusals(accepted, refusedVersions, fixes, sender, current) : outcome.written);
  }
  // Kept under their own document ids, so the merged write above does not settle them.
  await quarantine(tx, storeId, collection, editConflicts.map((entry) => ({ ...entry, sender })));
  // `current` was read under the store's lock: it says which rows are stored already.
  outcome.seq = await writeDocuments(tx, storeId, collection, accepted, { validated: options.validated, stored: new Set(current.keys()) });
  if (collection === 'sales') await applyStockEffects(tx, storeId, accepted, current, references.get('products'));
  if (collection === 'customers' && outcome.written.length > 0) await armCustomerExport(tx, storeId);
  if (collection === 'backoffice') await retryWaitingForContracts(tx, options, accepted);
  return outcome;
}

/** What one round of judgeBatch decided; `relied` says whether the round stands. */
interface Judged {
  accepted: DocumentWrite[];
  refused: QuarantineEntry[];
  written: string[];
  quarantined: { id: string; refusal: Refusal }[];
  /** The references the rows were judged against, rows of the batch accepted in this round included. */
  references: Map<CollectionName, Map<string, StoredDocument>>;
  /**
   * Rows a guard refused after they were made visible to later rows of the batch, with that refusal:
   * when not empty the round is void, and the batch is judged again with them withheld.
   */
  relied: Map<string, Refusal>;
}

/**
 * Judges a batch's candidates: the per-row checks and the collection's rule in upload order, then the
 * guards that look at the accepted rows together (design actions, back-office guards, vouchers). The
 * rule sees the rows accepted before a row as stored (an exchange uploaded with its original sale), so
 * a row a guard refuses afterwards may have let later rows through: an exchange of a sale refused for
 * its overspent voucher would put back goods that never left (POS-11, POS-21). Those rows come back in
 * `relied`; the caller rolls the round's effects back and judges again with them in `withheld`, refused
 * up front with the guard's refusal and never visible, so the rows that relied on them are judged as if
 * they were missing (an exchange of a sale the server does not have: unknown_reference, kept in quarantine).
 * A withheld row keeps its refusal even if the rows removed after it would now let it pass: it is kept
 * in quarantine and can be tried again, nothing is lost.
 * `loaded` is not changed (each round works on a copy).
 */
async function judgeBatch(
  tx: Queryable,
  options: WriteOptions,
  candidates: readonly WireDocument[],
  current: ReadonlyMap<string, StoredDocument>,
  loaded: ReadonlyMap<CollectionName, ReadonlyMap<string, StoredDocument>>,
  withheld: ReadonlyMap<string, Refusal>,
): Promise<Judged> {
  const { storeId, collection } = options;
  const references = new Map([...loaded].map(([name, documents]) => [name, new Map(documents)]));
  const rule = BUSINESS_RULES[collection];
  const outcome: WriteOutcome = { conflicts: [], written: [], unchanged: [], quarantined: [], seq: null, position: 0 };
  const accepted: DocumentWrite[] = [];
  const refused: QuarantineEntry[] = [];
  // Rows later rows of the batch could see as stored.
  const visible = new Set<string>();
  candidates.forEach((candidate, index) => {
    const id = String(candidate.id);
    const previous = current.get(id);
    const doc = stampDeactivation(collection, candidate, previous, options.writer);
    const refusal =
      withheld.get(id) ??
      restrictedFieldRefusal(collection, doc, previous, options.writer) ??
      appendOnlyRefusal(collection, doc, previous) ??
      instantRefusal(collection, doc, previous) ??
      rule?.check(doc, previous, references) ??
      null;
    if (refusal) {
      refused.push({ documentId: id, stationId: stationOf(doc) ?? options.sourceStationId ?? null, reason: refusal.reason, message: refusal.message, document: doc });
      outcome.quarantined.push({ id, refusal });
    } else {
      accepted.push({ id, stationId: stationOf(doc), data: withoutDeletedFlag(doc), deleted: doc._deleted === true });
      outcome.written.push(id);
      // Later rows may refer to this one (an exchange uploaded in the same batch as its original sale).
      const own = references.get(collection);
      if (own) {
        own.set(id, asStored(doc));
        if (index < candidates.length - 1) visible.add(id);
      }
    }
  });
  const guarded = new Map<string, Refusal>();
  const refuse = (refusals: ReadonlyMap<string, Refusal>) => {
    refusals.forEach((refusal, id) => guarded.set(id, refusal));
    moveToRefused(options, accepted, refused, outcome, refusals);
  };
  // Design requests are guarded against the project's state in upload order; a refused one is kept aside too.
  if (collection === 'designActions') refuse(await refuseDesignActions(tx, options, accepted, current));
  // A sku, or a master record's kind + code, names one live document of the store, by whichever route it is written.
  refuse(await naturalKeyRefusals(tx, storeId, collection, accepted, current));
  if (BACKOFFICE_GUARDED.has(collection)) refuse(await guardBackofficeBatch(tx, { storeId, now: new Date().toISOString() }, collection, accepted, current));
  // Exchange vouchers are issued and spent in upload order, under the store's lock (POS-21).
  if (collection === 'sales') refuse(await applyVoucherEffects(tx, storeId, accepted, current));
  const relied = new Map([...guarded].filter(([id]) => visible.has(id)));
  return { accepted, refused, written: outcome.written, quarantined: outcome.quarantined, references, relied };
}

/**
 * The ids among `accepted` whose open refusal this push settles: only a fix of the refused version.
 * A fix is a row that assumes the refused version (`fixes`: a device still holding what it sent), a
 * write by the refused version's own sender, or a write that takes up what the refused version asked
 * for (addressesRefusedChange: it removes the document, or changes a field the refused version
 * changed). Another device's write of other fields leaves the refusal open: the refused change exists
 * only in the integration errors, and the user decides there what becomes of it (POS-07: nothing
 * disappears). The integration API settles every refusal of what it writes; the retry route only the
 * entry it retried (WriteOptions.settlesRefusals).
 */
function settledRefusals(
  accepted: readonly DocumentWrite[],
  open: ReadonlyMap<string, OpenRefusal>,
  fixes: ReadonlySet<string>,
  sender: string | null,
  current: ReadonlyMap<string, StoredDocument>,
): string[] {
  return accepted
    .filter((write) => {
      const refusal = open.get(write.id);
      if (!refusal) return false;
      return fixes.has(write.id) || (sender !== null && refusal.sender === sender) || addressesRefusedChange(refusal.document, current.get(write.id), write);
    })
    .map((write) => write.id);
}

/** Fields that say who edited and when, or that the server stamps: a write that only moves them addresses nothing. */
const BOOKKEEPING_FIELDS = new Set<string>(['updatedAt', 'userId', '_deleted', ...DEACTIVATION_STAMP_FIELDS]);

/**
 * Whether `write` takes up what the refused version asked for: it removes the document, or it changes
 * (from `stored`, the version before it) a field the refused version wanted changed. That is a fix from
 * whatever device it comes: the device was sent back to the server's version and edits from there
 * ("Corrigir lançamento", also after signing in again, when its sender is a new session), or another
 * device settled the same field the other way. A write that changes only other fields (another
 * device's phone number) leaves the refused change open for the user.
 */
function addressesRefusedChange(refused: Record<string, unknown>, stored: StoredDocument | undefined, write: DocumentWrite): boolean {
  if (write.deleted || !stored || stored.deleted) return true;
  const before = stored.data;
  for (const field of new Set([...Object.keys(refused), ...Object.keys(before)])) {
    if (BOOKKEEPING_FIELDS.has(field)) continue;
    if (!sameDocument(refused[field] ?? null, before[field] ?? null) && !sameDocument(write.data[field] ?? null, before[field] ?? null)) return true;
  }
  return false;
}

/** Usage and contract requests that arrived before their contract are applied once it is here. */
async function retryWaitingForContracts(tx: Queryable, options: WriteOptions, accepted: readonly DocumentWrite[]): Promise<void> {
  const contracts = accepted.filter((write) => !write.deleted && write.data.kind === 'contract').map((write) => write.id);
  for (const { collection, documents } of await waitingFor(tx, options.storeId, contracts)) {
    const rows = documents.map((document) => ({ newDocumentState: { ...document, _deleted: document._deleted === true } as WireDocument }));
    // Their sender passed the ownership rule when they were first uploaded; this is the server applying them.
    await writeBatchIn(tx, { storeId: options.storeId, collection, checkConflicts: false, sourceStationId: options.sourceStationId ?? null, writer: 'server' }, rows);
  }
}

/** Moves the documents a later guard refused from `accepted` to `refused`. */
function moveToRefused(options: WriteOptions, accepted: DocumentWrite[], refused: QuarantineEntry[], outcome: WriteOutcome, refusals: ReadonlyMap<string, Refusal>): void {
  if (refusals.size === 0) return;
  const kept = accepted.filter((write) => !refusals.has(write.id));
  for (const write of accepted) {
    const refusal = refusals.get(write.id);
    if (!refusal) continue;
    refused.push({ documentId: write.id, stationId: write.stationId ?? options.sourceStationId ?? null, reason: refusal.reason, message: refusal.message, document: { ...write.data, _deleted: write.deleted } });
    outcome.quarantined.push({ id: write.id, refusal });
  }
  accepted.splice(0, accepted.length, ...kept);
  outcome.written.splice(0, outcome.written.length, ...outcome.written.filter((id) => !refusals.has(id)));
}

/** The design requests refused against the project's state; a request refused before and sent again unchanged is not announced twice. */
async function refuseDesignActions(tx: Queryable, options: WriteOptions, accepted: readonly DocumentWrite[], current: ReadonlyMap<string, StoredDocument>): Promise<ReadonlyMap<string, Refusal>> {
  const open = await openQuarantined(tx, options.storeId, 'designActions', accepted.map((write) => write.id));
  const refusedBefore = new Set(accepted.filter((write) => open.has(write.id) && sameDocument(open.get(write.id)!.document, { ...write.data, _deleted: write.deleted })).map((write) => write.id));
  const { writer } = options;
  return applyDesignActions(tx, options.storeId, accepted, current, refusedBefore, writer === 'server' ? undefined : { userId: writer.userId, roles: writer.roles, stationId: writer.stationId });
}
