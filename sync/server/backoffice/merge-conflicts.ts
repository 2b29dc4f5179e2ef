import { createHash } from 'node:crypto';
import type { CollectionName, WireDocument } from '../../schema/index.ts';
import { mergeConcurrentEdits, type MergeOptions } from '../../rules/index.ts';
import type { QuarantineEntry } from '../db/quarantine.ts';
import { stableJson } from '../sync/stable-json.ts';

/**
 * Two devices changed the same customer or contract offline (BO-01, BO-03): instead of answering the
 * second upload with a conflict that RxDB's handler would settle by dropping the device's change, the
 * server merges field by field against the version the device last saw (sync/rules/merge.ts). Fields
 * both sides changed keep the first upload's value; the device's version, with its values for those
 * fields, is kept in integration errors (reason edit_conflict) for the user to re-apply with Retry.
 *
 * The entry's document id is `<id>:edit-conflict:<hash of the device's version>`: the merged write of
 * `<id>` must not settle it, and the same upload retried (lost answer) finds the same entry.
 */
const MERGED: Partial<Record<CollectionName, MergeOptions>> = {
  customers: { ignore: ['updatedAt'] },
  backoffice: { ignore: ['updatedAt'], serverOwned: ['state', 'history', 'kind'] },
};

export interface MergeOutcome {
  doc: WireDocument;
  /** The device's side of fields both changed, kept for the user; null when everything merged. */
  conflict: QuarantineEntry | null;
}

/** Null when the collection is not merged or a side deleted the document (then RxDB's conflict stands). */
export function mergeOnConflict(collection: CollectionName, assumed: WireDocument, doc: WireDocument, master: WireDocument, stationId: string | null): MergeOutcome | null {
  const options = MERGED[collection];
  if (!options || assumed._deleted || doc._deleted || master._deleted) return null;
  const { merged, conflicts } = mergeConcurrentEdits(assumed, doc, master, options);
  if (conflicts.length === 0) return { doc: merged, conflict: null };
  // The same merge with the device preferred: what Retry writes when the user keeps their values.
  const devicePreferred: Record<string, unknown> = { ...mergeConcurrentEdits(assumed, master, doc, options).merged };
  for (const field of options.serverOwned ?? []) {
    if (master[field] === undefined) delete devicePreferred[field];
    else devicePreferred[field] = master[field];
  }
  const id = String(doc.id);
  const fields = conflicts.map((conflict) => `${conflict.field}: this device "${short(conflict.device)}", kept "${short(conflict.server)}"`).join('; ');
  return {
    doc: merged,
    conflict: {
      documentId: `${id}:edit-conflict:${createHash('sha256').update(stableJson(doc)).digest('hex').slice(0, 16)}`,
      stationId,
      reason: 'edit_conflict',
      message: `${collection === 'customers' ? 'Customer' : 'Contract/service'} ${id} was changed on another device while this one was offline. Everything else was merged; these fields were changed on both and the first upload's value was kept — ${fields}. Retry to apply this device's values instead.`,
      document: devicePreferred,
    },
  };
}

function short(value: unknown): string {
  const text = value === undefined ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
