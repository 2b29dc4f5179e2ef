import type { ConsumptionRecord } from '../schema/index.ts';
import type { RuleError } from './result.ts';

/**
 * BO-04, correcting records (README "Consumption"): "A correcting record names a live record of the same
 * contract and service, and the corrections of a record never take back more than it counts."
 *
 * The one check of that rule, on the device (form, removal, spreadsheet dry run) and on the server
 * (guards.ts: every write path — device push, the billing API's POST/PUT/DELETE, the spreadsheet upload,
 * the batch). It holds for every write that could break it, not only a correction's own:
 * - a correction (`correctsId`) must name another live record of its contract and service, and that
 *   record's quantity plus every live correction of it stays ≥ 0;
 * - a record that corrections name may change only while they still fit it: same contract and service,
 *   and a quantity at least what they take back; it cannot be removed while one of them lives.
 *
 * Why refuse rather than make the corrections follow their record: a correction is a charge line of its
 * own, often already billed (it was dated in an open period that has since been billed), so it cannot be
 * changed or removed after the fact; and which correction should shrink, go, or move to the new contract
 * is a clerk's decision, not the server's. So the change of the record is refused (kept in integration
 * errors, fixable, nothing lost) and the message names the corrections; the clerk changes or removes them
 * first — also in the same upload, before the record — or, for a billed record, makes another correction.
 *
 * Quantities are in the service's unit (its smallest step), never money. A removed record is absent.
 */

/** One write of a consumption record: its new version, or null when it is removed. */
export interface ConsumptionWrite {
  id: string;
  next: ConsumptionRecord | null;
}

/** How many corrections a message names before "and N more". */
const NAMED = 5;

/**
 * Judges `writes` in upload order, each on the records as the earlier accepted ones left them (as if
 * uploaded one at a time): a batch that shrinks a correction and then its record is accepted whole; one
 * that shrinks the record first has the record's write refused, and the correction's change applied.
 *
 * @param stored the live records, as stored, that the writes touch: every written record, every record a
 *   written correction names, and every live correction of those. Others are not needed.
 * @param writes in upload order (ids unique)
 * @returns the refused writes by id (code `uncovered_correction`); the others keep the rule
 */
export function checkCorrections(stored: readonly ConsumptionRecord[], writes: readonly ConsumptionWrite[]): Map<string, RuleError> {
  const live = new LiveRecords(stored);
  const refusals = new Map<string, RuleError>();
  for (const write of writes) {
    const before = live.get(write.id);
    live.put(write.id, write.next);
    const refusal = (write.next?.correctsId !== undefined ? correctionRefusal(live, write.next, write.next.correctsId) : null) ?? recordRefusal(live, write, before);
    if (!refusal) continue;
    refusals.set(write.id, refusal);
    live.put(write.id, before ?? null); // a refused write changes nothing
  }
  return refusals;
}

/** The live records by id, and by the record each corrects (a batch of 10,000 writes must not scan them all per write). */
class LiveRecords {
  private readonly byId = new Map<string, ConsumptionRecord>();
  private readonly byCorrected = new Map<string, Set<string>>();

  constructor(records: readonly ConsumptionRecord[]) {
    for (const record of records) this.put(record.id, record);
  }

  get(id: string): ConsumptionRecord | undefined {
    return this.byId.get(id);
  }

  put(id: string, record: ConsumptionRecord | null): void {
    const old = this.byId.get(id);
    if (old?.correctsId !== undefined) this.byCorrected.get(old.correctsId)?.delete(id);
    if (!record) {
      this.byId.delete(id);
      return;
    }
    this.byId.set(id, record);
    if (record.correctsId === undefined) return;
    const ids = this.byCorrected.get(record.correctsId) ?? new Set<string>();
    this.byCorrected.set(record.correctsId, ids.add(id));
  }

  /** The live corrections of record `id` (a record naming itself is not one). */
  correctionsOf(id: string): ConsumptionRecord[] {
    return [...(this.byCorrected.get(id) ?? [])].filter((other) => other !== id).map((other) => this.byId.get(other)!);
  }
}

const total = (records: readonly ConsumptionRecord[]) => records.reduce((sum, record) => sum + record.quantity, 0);

/** The correction's own side: it names another live record of its contract and service, which it does not overdraw. */
function correctionRefusal(live: LiveRecords, correction: ConsumptionRecord, correctsId: string): RuleError | null {
  const original = correctsId === correction.id ? undefined : live.get(correctsId);
  if (!original || original.contractId !== correction.contractId || original.serviceId !== correction.serviceId) {
    return {
      code: 'uncovered_correction',
      message: `Correcting record ${correction.externalId} corrects ${correctsId}, which is not a usage record of contract ${correction.contractId} and service ${correction.serviceId}. Choose the record to correct.`,
      params: { kind: 'target', record: correction.externalId },
    };
  }
  const counts = original.quantity + total(live.correctionsOf(original.id).filter((record) => record.id !== correction.id));
  if (counts + correction.quantity >= 0) return null;
  return {
    code: 'uncovered_correction',
    message: `Correcting record ${correction.externalId} takes back more than record ${original.externalId} still counts (${counts}). Check its quantity.`,
    params: { kind: 'exceeds', record: correction.externalId, original: original.externalId, counts },
  };
}

/** The corrected record's side: its live corrections still fit it once it is changed or removed. */
function recordRefusal(live: LiveRecords, write: ConsumptionWrite, before: ConsumptionRecord | undefined): RuleError | null {
  const next = write.next;
  if (!next && !before) return null; // removing what is not there changes nothing
  const corrections = live.correctionsOf(write.id);
  if (corrections.length === 0) return null;
  const takenBack = -total(corrections);
  const moved = next ? corrections.some((record) => record.contractId !== next.contractId || record.serviceId !== next.serviceId) : false;
  if (next && !moved && next.quantity >= takenBack) return null;
  const names = corrections.slice(0, NAMED).map((record) => record.externalId).join(', ') + (corrections.length > NAMED ? ` and ${corrections.length - NAMED} more` : '');
  const record = (next ?? before)!.externalId;
  const why = !next
    ? 'it cannot be removed while they stand'
    : moved
      ? `they correct usage of contract ${corrections[0]!.contractId} and service ${corrections[0]!.serviceId}, which it would no longer be`
      : `changed to ${next.quantity} it would count less than they take back`;
  return {
    code: 'uncovered_correction',
    message:
      `Consumption ${record} is corrected by ${names}${takenBack > 0 ? ` (taking back ${takenBack} in total)` : ''}: ${why}. ` +
      'Change or remove those correcting records first (or earlier in the same upload), then save this record again.',
    params: { kind: !next ? 'removed' : moved ? 'moved' : 'shrunk', record, corrections: names, takenBack },
  };
}
