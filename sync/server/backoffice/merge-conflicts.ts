import { createHash } from 'node:crypto';
import type { CollectionName, WireDocument } from '../../schema/index.ts';
import { mergeConcurrentEdits, type MergeOptions } from '../../rules/index.ts';
import type { QuarantineEntry } from '../db/quarantine.ts';
import { sameDocument, stableJson } from '../sync/stable-json.ts';
import { DEACTIVATION_STAMP_FIELDS } from '../rules/restricted-fields.ts';

/**
 * Two devices changed the same customer, contract or usage record offline (BO-01, BO-03, BO-04):
 * instead of answering the second upload with a conflict that RxDB's handler would settle by dropping
 * the device's change (server wins, sync/client/conflict.ts), the server merges field by field against
 * the version the device last saw (sync/rules/merge.ts). Fields both sides changed keep the first
 * upload's value; the device's version, with its values for those fields, is kept in integration
 * errors (reason edit_conflict, POS-07) for the user to re-apply with Retry.
 *
 * A conflict no field merge can settle — a side removed the record, or the device never saw the
 * server's version (its first upload's answer was lost) — keeps the server's version (the push answers
 * the conflict) and the device's whole version in integration errors the same way: for user-edited
 * records nothing is dropped silently. POS data (sales) is not listed: its conflicts are settled by
 * its own immutability rules.
 *
 * The entry's document id is `<id>:edit-conflict:<hash of the device's version>`: the merged write of
 * `<id>` must not settle it, and the same upload retried (lost answer) finds the same entry.
 */
const MERGED: Partial<Record<CollectionName, { noun: string; options: MergeOptions }>> = {
  customers: { noun: 'Customer', options: { ignore: ['updatedAt'] } },
  backoffice: { noun: 'Contract/service', options: { ignore: ['updatedAt'], serverOwned: ['state', 'history', 'kind'] } },
  consumption: { noun: 'Usage record', options: { ignore: ['updatedAt'], lastEdit: { at: 'updatedAt', fields: ['userId'] } } },
};

export interface MergeOutcome {
  /** What the server writes; null when it keeps its own version (the push answers the conflict). */
  doc: WireDocument | null;
  /** The device's version kept for the user (fields both changed, or a removal against an edit); null when everything merged. */
  conflict: QuarantineEntry | null;
}

/**
 * Settles a push whose `assumed` version (null: the device knew none) is not the server's `master`.
 * Null when the collection is not merged: RxDB's conflict stands as for any other collection.
 */
export function mergeOnConflict(collection: CollectionName, assumed: WireDocument | null, doc: WireDocument, master: WireDocument, stationId: string | null): MergeOutcome | null {
  const merging = MERGED[collection];
  if (!merging) return null;
  const { noun, options } = merging;
  const id = String(doc.id);
  const kept = (document: Record<string, unknown>, message: string): QuarantineEntry => ({
    documentId: `${id}:edit-conflict:${createHash('sha256').update(stableJson(doc)).digest('hex').slice(0, 16)}`,
    stationId,
    reason: 'edit_conflict',
    message: `${noun} ${id} ${message}`,
    document,
  });
  // Both removed it: the same intent, nothing of the device's is lost.
  if (doc._deleted && master._deleted) return { doc: null, conflict: null };
  // The device's first upload again (its answer was lost): the server's version is that document but for
  // what the server stamped on it (a deactivation's author and time). Nothing of the device's is lost.
  if (!assumed && sameDocument({ ...doc, ...stampsOf(master) }, master)) return { doc: null, conflict: null };
  if (!assumed) return { doc: null, conflict: kept(doc, 'was already on the server in a version this device had not received; the server kept its version. Retry to apply this device\'s version instead.') };
  if (doc._deleted && !assumed._deleted) return { doc: null, conflict: kept(doc, 'was changed on another device while this one removed it offline; the change was kept. Retry to remove it anyway.') };
  if (master._deleted || assumed._deleted) return { doc: null, conflict: kept(doc, 'was removed (or restored) on another device while this one changed it offline; the server kept its version. Retry to apply this device\'s version instead.') };
  const { merged, conflicts } = mergeConcurrentEdits(assumed, doc, master, options);
  if (conflicts.length === 0) return { doc: merged, conflict: null };
  // The same merge with the device preferred: what Retry writes when the user keeps their values.
  const devicePreferred: Record<string, unknown> = { ...mergeConcurrentEdits(assumed, master, doc, options).merged };
  for (const field of options.serverOwned ?? []) {
    if (master[field] === undefined) delete devicePreferred[field];
    else devicePreferred[field] = master[field];
  }
  const fields = conflicts.map((conflict) => `${conflict.field}: this device "${short(conflict.device)}", kept "${short(conflict.server)}"`).join('; ');
  return {
    doc: merged,
    conflict: kept(devicePreferred, `was changed on another device while this one was offline. Everything else was merged; these fields were changed on both and the first upload's value was kept — ${fields}. Retry to apply this device's values instead.`),
  };
}

function short(value: unknown): string {
  const text = value === undefined ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function stampsOf(master: WireDocument): Record<string, unknown> {
  return Object.fromEntries(DEACTIVATION_STAMP_FIELDS.filter((field) => master[field] !== undefined).map((field) => [field, master[field]]));
}
