import type { CollectionName, WireDocument } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments } from '../db/documents.ts';
import { toWire, type WriteOutcome } from './write-documents.ts';

/**
 * The push answer's conflicts plus the server's state of every refused row it holds (issue 11).
 *
 * Why: a refused row is kept in quarantine (integration errors) and nothing is written, so no change
 * ever reaches the devices; answered as "written", the sender's RxDB took its own refused state for
 * the master and showed it for good (a deactivation refused for open receivables stayed INATIVO on
 * the device, also after a reload, while the server kept the customer active). Answered as a conflict
 * with the server's state, the device's conflict handler (server wins, sync/client/conflict.ts) puts
 * the server's version back; the refused version stays in the refusal list with the document as sent,
 * retryable and fixable. Older clients read the same array and do the same.
 *
 * A refused row the server holds nothing of (a new document) has no server state to go back to: it
 * stays on the device as the user typed it, named in the refusal list, so the user corrects it in
 * place (a later save uploads it and settles the refusal) or removes it.
 *
 * Read in the transaction that wrote the batch, under the store's lock: the states are the masters the
 * batch was judged against (a deleted master comes back as a tombstone).
 */
export async function conflictsWithRefusedMasters(tx: Queryable, storeId: string, collection: CollectionName, outcome: WriteOutcome): Promise<WireDocument[]> {
  if (outcome.quarantined.length === 0) return outcome.conflicts;
  const answered = new Set(outcome.conflicts.map((doc) => String(doc.id)));
  const refusedIds = [...new Set(outcome.quarantined.map((entry) => entry.id))].filter((id) => !answered.has(id));
  const masters = await loadDocuments(tx, storeId, collection, refusedIds);
  return [...outcome.conflicts, ...refusedIds.flatMap((id) => (masters.has(id) ? [toWire(masters.get(id)!)] : []))];
}
