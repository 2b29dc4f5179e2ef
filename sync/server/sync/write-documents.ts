import type { CollectionName, WireDocument } from '../../schema/index.ts';
import type { Database, Queryable } from '../db/database.ts';
import { loadDocuments, loadDocumentsByField, lockStoreSequence, writeDocuments, type DocumentWrite, type StoredDocument } from '../db/documents.ts';
import { openQuarantined, quarantine, resolveQuarantine, type QuarantineEntry } from '../db/quarantine.ts';
import { BUSINESS_RULES, type Refusal } from '../rules/index.ts';
import { applyStockEffects } from '../rules/stock-effects.ts';
import { applyDesignActions } from '../design/actions.ts';
import { armCustomerExport } from '../design/jobs-queue.ts';
import { sameDocument } from './stable-json.ts';

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
}

export interface WriteOptions {
  storeId: string;
  collection: CollectionName;
  /** Replication checks `assumedMasterState`; the integration API writes last-writer-wins. */
  checkConflicts: boolean;
  /** The station that sent the batch: refusals are shown there even for store-wide documents. */
  sourceStationId?: string | null;
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

/** writeBatch inside a transaction the caller owns, for a route that changes more than documents at once. */
export async function writeBatchIn(tx: Queryable, options: WriteOptions, rows: readonly WriteRow[]): Promise<WriteOutcome> {
  const { storeId, collection, checkConflicts } = options;
  await lockStoreSequence(tx, storeId);
  const batch = lastPerId(rows);
  const ids = batch.map((row) => String(row.newDocumentState.id));
  const current = await loadDocuments(tx, storeId, collection, ids);
  const refusedVersions = checkConflicts ? await openQuarantined(tx, storeId, collection, ids) : new Map<string, Record<string, unknown>>();
  const outcome: WriteOutcome = { conflicts: [], written: [], unchanged: [], quarantined: [], seq: null };

  const candidates: WireDocument[] = [];
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
      const refused = refusedVersions.get(id);
      const assumedIsKnown = assumed !== null && (sameDocument(assumed, master) || (refused !== undefined && sameDocument(assumed, refused)));
      if (!assumedIsKnown) {
        outcome.conflicts.push(master);
        continue;
      }
    }
    candidates.push(doc);
  }

  const references = await loadReferences(tx, storeId, collection, candidates);
  const rule = BUSINESS_RULES[collection];
  const accepted: DocumentWrite[] = [];
  const refused: QuarantineEntry[] = [];
  for (const doc of candidates) {
    const id = String(doc.id);
    const refusal = rule?.check(doc, current.get(id), references) ?? null;
    if (refusal) {
      refused.push({ documentId: id, stationId: stationOf(doc) ?? options.sourceStationId ?? null, reason: refusal.reason, message: refusal.message, document: doc });
      outcome.quarantined.push({ id, refusal });
    } else {
      accepted.push({ id, stationId: stationOf(doc), data: withoutDeletedFlag(doc), deleted: doc._deleted === true });
      outcome.written.push(id);
      // Later rows may refer to this one (an exchange uploaded in the same batch as its original sale).
      references.get(collection)?.set(id, asStored(doc));
    }
  }
  // Design requests are guarded against the project's state in upload order; a refused one is kept aside too.
  if (collection === 'designActions') await refuseDesignActions(tx, options, accepted, current, refused, outcome);
  await quarantine(tx, storeId, collection, refused);
  await resolveQuarantine(tx, storeId, collection, outcome.written);
  outcome.seq = await writeDocuments(tx, storeId, collection, accepted);
  if (collection === 'sales') await applyStockEffects(tx, storeId, accepted, current);
  if (collection === 'customers' && outcome.written.length > 0) await armCustomerExport(tx, storeId);
  return outcome;
}

async function refuseDesignActions(
  tx: Queryable,
  options: WriteOptions,
  accepted: DocumentWrite[],
  current: ReadonlyMap<string, StoredDocument>,
  refused: QuarantineEntry[],
  outcome: WriteOutcome,
): Promise<void> {
  // A request refused before and sent again unchanged is checked again, but not announced twice.
  const open = await openQuarantined(tx, options.storeId, 'designActions', accepted.map((write) => write.id));
  const refusedBefore = new Set(accepted.filter((write) => open.has(write.id) && sameDocument(open.get(write.id)!, { ...write.data, _deleted: write.deleted })).map((write) => write.id));
  const refusals = await applyDesignActions(tx, options.storeId, accepted, current, refusedBefore);
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
