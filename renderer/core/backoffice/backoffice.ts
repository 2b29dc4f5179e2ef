import type { RxCollection } from 'rxdb';
import type { BackofficeAction, ConsumptionRecord, ContractActionKind, ContractDoc, Receivable, ReceivableList } from '../../../sync/schema/index.ts';
import { applyContractRequest, checkConsumptionChange, checkConsumptionContract, checkCorrections, correctingRecord, isContractState, periodOf, standingUsage, storeDay, type ConsumptionWrite, type ContractState, type RuleError } from '../../../sync/rules/index.ts';
import type { BalcaoDatabase } from '../../data/database.ts';

/**
 * The back office on the device (BO-01..05), offline first: every write goes to the local database and
 * uploads by itself. The same rules as the server run before saving, so a user learns at once what the
 * server would refuse; what the server refuses anyway (another device changed something meanwhile)
 * comes back as an integration error with its reason.
 *
 * Receivables are not replicated: the last list fetched from the server is kept in a local document
 * (`receivablesCache`), shown offline, and tells the consumption rules which periods are billed.
 */
export class BackofficeRefused extends Error {
  constructor(readonly error: RuleError) {
    super(error.message);
  }
}

const RECEIVABLES_CACHE = 'backoffice-receivables';

export interface ReceivablesCache {
  list: ReceivableList;
  /** Server list as of this time (ISO-8601), for "as of" on screen. */
  fetchedAt: string;
}

function collection<T>(db: BalcaoDatabase, name: 'backoffice' | 'consumption' | 'backofficeActions'): RxCollection<T> {
  const found = db.collections[name];
  if (!found) throw new Error(`The ${name} collection is not open: the user has no back-office role.`);
  return found as unknown as RxCollection<T>;
}

/** Keeps the server's receivables list for offline reading. */
export async function cacheReceivables(db: BalcaoDatabase, list: ReceivableList, fetchedAt: string): Promise<void> {
  await db.upsertLocal<ReceivablesCache>(RECEIVABLES_CACHE, { list, fetchedAt });
}

export async function cachedReceivables(db: BalcaoDatabase): Promise<ReceivablesCache | null> {
  const doc = await db.getLocal<ReceivablesCache>(RECEIVABLES_CACHE);
  return doc ? (doc.toJSON().data as ReceivablesCache) : null;
}

/** "contract|period" of every cached receivable: those periods are billed (closed) for their contract. */
export function billedFrom(receivables: readonly Receivable[]): (contractId: string, period: string) => boolean {
  const billed = new Set(receivables.map((receivable) => `${receivable.contractId}|${receivable.period}`));
  return (contractId, period) => billed.has(`${contractId}|${period}`);
}

/** Contract requests not yet reflected in the contract's history (made offline, or still uploading). */
export async function pendingRequests(db: BalcaoDatabase, contract: ContractDoc): Promise<BackofficeAction[]> {
  const applied = new Set((contract.history ?? []).map((entry) => entry.requestId));
  const requests = await collection<BackofficeAction>(db, 'backofficeActions').find({ selector: { contractId: contract.id }, sort: [{ requestedAt: 'asc' }] }).exec();
  return requests.map((doc) => doc.toJSON() as BackofficeAction).filter((request) => !applied.has(request.id));
}

/**
 * The device's contract requests without those the server refused (open integration errors of
 * `backofficeActions`, by request id): a refused request is no longer pending, so it neither shows as
 * "pendente" nor moves the displayed state; it stays in the screen's refusal list (issue 11).
 */
export function withoutRefused(requests: readonly BackofficeAction[], refusedIds: ReadonlySet<string>): BackofficeAction[] {
  return refusedIds.size === 0 ? [...requests] : requests.filter((request) => !refusedIds.has(request.id));
}

/** The state the user sees: the server's, with this device's pending requests applied in order. */
export function displayedState(contract: ContractDoc, pending: readonly BackofficeAction[], now: string): ContractState {
  let state: ContractState = isContractState(contract.state) ? contract.state : 'draft';
  for (const request of pending) {
    const applied = applyContractRequest(state, request, now, storeDay(now));
    if (applied.ok) state = applied.value.state;
  }
  return state;
}

/**
 * Asks for a contract transition (BO-03), also offline: checked with the transition table against the
 * displayed state first, then stored as a request that uploads by itself. `refusedIds` are the requests
 * the server refused (the screen's refusal list): they are not pending, so they do not decide what is
 * allowed now — the same state the screen shows (withoutRefused).
 *
 * @throws BackofficeRefused (invalid_transition, reason_required) — nothing is stored then
 */
export async function requestTransition(
  db: BalcaoDatabase,
  contract: ContractDoc,
  kind: ContractActionKind,
  input: { id: string; userId: string; now: string; reason?: string; effectiveDate?: string },
  refusedIds: ReadonlySet<string> = new Set(),
): Promise<BackofficeAction> {
  const pending = withoutRefused(await pendingRequests(db, contract), refusedIds);
  const request: BackofficeAction = {
    id: input.id,
    kind,
    contractId: contract.id,
    userId: input.userId,
    requestedAt: input.now,
    ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}),
    ...(input.effectiveDate ? { effectiveDate: input.effectiveDate } : {}),
  };
  const checked = applyContractRequest(displayedState(contract, pending, input.now), request, input.now, storeDay(input.now));
  if (!checked.ok) throw new BackofficeRefused(checked.error);
  await collection<BackofficeAction>(db, 'backofficeActions').insert(request);
  return request;
}

/**
 * BO-04: the correction rule (sync/rules/consumption-corrections.ts, the server's too) for one write,
 * on the device's records: the written one, the one it corrects, and the corrections of both.
 * @throws BackofficeRefused `uncovered_correction`
 */
async function assertCorrectionsHold(records: RxCollection<ConsumptionRecord>, write: ConsumptionWrite): Promise<void> {
  const ids = [write.id, ...(write.next?.correctsId ? [write.next.correctsId] : [])];
  const named = [...(await records.findByIds(ids).exec()).values()];
  const corrections = await records.find({ selector: { correctsId: { $in: ids } } }).exec();
  const touched = new Map([...named, ...corrections].map((doc) => [doc.primary, doc.toJSON() as ConsumptionRecord]));
  const refused = checkCorrections([...touched.values()], [write]).get(write.id);
  if (refused) throw new BackofficeRefused(refused);
}

/**
 * Adds or changes a consumption record (BO-04), also offline, with the server's rules: the service is
 * the contract's, the contract is not cancelled by then, the period is not billed (per the cached
 * receivables), and corrections stay covered (a correction by its record, a record by its corrections).
 * A record of a billed period is refused with what to do instead (correctingRecord).
 *
 * @throws BackofficeRefused — nothing is stored then
 */
export async function saveConsumption(db: BalcaoDatabase, record: ConsumptionRecord, contract: ContractDoc | undefined): Promise<ConsumptionRecord> {
  const records = collection<ConsumptionRecord>(db, 'consumption');
  const previous = (await records.findOne(record.id).exec())?.toJSON() as ConsumptionRecord | undefined;
  const cache = await cachedReceivables(db);
  const billed = billedFrom(cache?.list.receivables ?? []);
  const change = checkConsumptionChange(previous, { kind: previous ? 'update' : 'create', next: record }, billed);
  if (!change.ok) throw new BackofficeRefused(change.error);
  const against = checkConsumptionContract(record, contract);
  if (!against.ok) throw new BackofficeRefused(against.error);
  await assertCorrectionsHold(records, { id: record.id, next: record });
  await records.incrementalUpsert(record);
  return record;
}

/** Removes a consumption record unless its period is billed or live corrections name it. @throws BackofficeRefused */
export async function removeConsumption(db: BalcaoDatabase, id: string): Promise<void> {
  const records = collection<ConsumptionRecord>(db, 'consumption');
  const doc = await records.findOne(id).exec();
  if (!doc) return;
  const cache = await cachedReceivables(db);
  const checked = checkConsumptionChange(doc.toJSON() as ConsumptionRecord, { kind: 'remove' }, billedFrom(cache?.list.receivables ?? []));
  if (!checked.ok) throw new BackofficeRefused(checked.error);
  await assertCorrectionsHold(records, { id, next: null });
  await doc.remove();
}

/**
 * The usage item a record belongs to: the record itself, or — for a correcting record — the record at
 * the start of its chain of corrections (as far as the device holds it).
 */
async function usageItemOf(db: BalcaoDatabase, record: ConsumptionRecord): Promise<ConsumptionRecord> {
  const records = collection<ConsumptionRecord>(db, 'consumption');
  const seen = new Set([record.id]);
  let current = record;
  while (current.correctsId !== undefined && !seen.has(current.correctsId)) {
    const parent = await records.findOne(current.correctsId).exec();
    if (!parent) break;
    seen.add(parent.primary);
    current = parent.toJSON() as ConsumptionRecord;
  }
  return current;
}

/** Every live correction under `item`, corrections of corrections included. */
async function correctionsUnder(db: BalcaoDatabase, item: ConsumptionRecord): Promise<ConsumptionRecord[]> {
  const records = collection<ConsumptionRecord>(db, 'consumption');
  const found: ConsumptionRecord[] = [];
  const seen = new Set([item.id]);
  for (let frontier = [item.id]; frontier.length > 0; ) {
    const next = (await records.find({ selector: { correctsId: { $in: frontier } } }).exec()).map((doc) => doc.toJSON() as ConsumptionRecord).filter((record) => !seen.has(record.id));
    for (const record of next) seen.add(record.id);
    found.push(...next);
    frontier = next.map((record) => record.id);
  }
  return found;
}

/**
 * What the usage item of `record` counts now on the device (the form's starting "right quantity"): the
 * item's quantity plus every live correction under it. For a correcting record, its item is counted.
 */
export async function standingQuantity(db: BalcaoDatabase, record: ConsumptionRecord): Promise<number> {
  return (await standingOf(db, record)).standing;
}

/** The usage item of `record` and what it counts now (standingQuantity). */
async function standingOf(db: BalcaoDatabase, record: ConsumptionRecord): Promise<{ item: ConsumptionRecord; standing: number }> {
  const item = await usageItemOf(db, record);
  return { item, standing: standingUsage(item, await correctionsUnder(db, item)) };
}

/**
 * A correcting record for a billed one, dated in an open period, saved like any other. It corrects the
 * usage item (`record`, or the record a correcting record's chain starts at) and its quantity takes the
 * item from what it counts now, every earlier correction included, to `correctQuantity`.
 */
export async function saveCorrection(db: BalcaoDatabase, record: ConsumptionRecord, correctQuantity: number, contract: ContractDoc | undefined, fields: { id: string; date: string; updatedAt: string; userId?: string }): Promise<ConsumptionRecord> {
  const { item, standing } = await standingOf(db, record);
  for (const billed of [record, item]) {
    if (periodOf(fields.date) === periodOf(billed.date)) {
      throw new BackofficeRefused({ code: 'billed_period', message: `Date the correction in an open period, not in ${periodOf(billed.date)}.`, params: { period: periodOf(billed.date) } });
    }
  }
  return saveConsumption(db, correctingRecord(item, standing, correctQuantity, fields), contract);
}
