import type { BackofficeAction, CollectionName, ConsumptionRecord, ContractDoc, ContractHistoryEntry } from '../../schema/index.ts';
import { applyContractRequest, checkConsumptionChange, checkCorrections, formatBrl, formatTaxId, isContractState, periodOf, recordKey, storeDay } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments, writeDocuments, type DocumentWrite, type StoredDocument } from '../db/documents.ts';
import type { Refusal } from '../rules/rule.ts';
import { billedPeriods, openReceivablesOf } from './receivables.ts';

/**
 * Batch guards of the back office, run inside the write transaction after the per-document rules
 * (push-rules.ts), on the documents about to be written. They return the refusals; the caller keeps
 * those documents in quarantine instead of writing them. For contract requests they also apply the
 * accepted ones to their contracts (state + history), in upload order, in the same transaction.
 */
export const BACKOFFICE_GUARDED: ReadonlySet<CollectionName> = new Set<CollectionName>(['customers', 'backoffice', 'consumption', 'backofficeActions']);

export interface GuardContext {
  storeId: string;
  /** Server time, ISO-8601 UTC. */
  now: string;
}

type Refusals = Map<string, Refusal>;

export async function guardBackofficeBatch(tx: Queryable, ctx: GuardContext, collection: CollectionName, accepted: readonly DocumentWrite[], current: ReadonlyMap<string, StoredDocument>): Promise<Refusals> {
  if (accepted.length === 0) return new Map();
  if (collection === 'customers') return guardCustomers(tx, ctx, accepted, current);
  if (collection === 'backoffice') return guardServicesAndContracts(tx, ctx, accepted);
  if (collection === 'consumption') return guardConsumption(tx, ctx, accepted, current);
  if (collection === 'backofficeActions') return applyContractRequests(tx, ctx, accepted);
  return new Map();
}

/**
 * Serialises concurrent uploads of the same keys (PostgreSQL; PGlite has one connection): a transaction
 * lock per (store, key name, key), taken in key order so two transactions locking overlapping keys cannot
 * deadlock. Keys are `recordKey`s, so two spellings of one key take the same lock.
 */
async function lockKeys(tx: Queryable, storeId: string, name: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT hashtextextended($1 || '|' || $2 || '|' || t, 0) AS k FROM unnest($3::text[]) AS t ORDER BY 1) AS keys`,
    [storeId, name, [...new Set(keys)].sort()],
  );
}

/** BO-01: one customer per CPF/CNPJ in a store, and a customer with open receivables cannot be deactivated.
 *
 * CPF/CNPJ is the customer's key (spreadsheets and the API update by it). The rule that settles two
 * customers with the same CPF/CNPJ — e.g. made on two devices while offline — is "the first to reach the
 * server keeps it": the one already stored (or earlier in the same upload) is written, the later one is
 * refused (`duplicate_key`, naming the customer that holds the key) and kept in integration errors on
 * its device, never dropped; the user changes its CPF/CNPJ (a typo) or discards it and uses the
 * existing customer, which reaches that device by the normal pull. Stored keys are canonical (digits,
 * capital letters), so equality is exact. Concurrent uploads of one key are serialised by a transaction
 * lock on (store, key), so two transactions cannot both see it free (PostgreSQL; PGlite has one connection).
 */
async function guardCustomers(tx: Queryable, ctx: GuardContext, accepted: readonly DocumentWrite[], current: ReadonlyMap<string, StoredDocument>): Promise<Refusals> {
  const refusals = await guardTaxIds(tx, ctx, accepted);
  for (const [id, refusal] of await guardDeactivations(tx, ctx, accepted.filter((write) => !refusals.has(write.id)), current)) refusals.set(id, refusal);
  return refusals;
}

async function guardTaxIds(tx: Queryable, ctx: GuardContext, accepted: readonly DocumentWrite[]): Promise<Refusals> {
  const refusals: Refusals = new Map();
  const live = accepted.filter((write) => !write.deleted && typeof write.data.taxId === 'string');
  if (live.length === 0) return refusals;
  const taxIds = [...new Set(live.map((write) => String(write.data.taxId)))].sort();
  await lockKeys(tx, ctx.storeId, 'customers.taxId', taxIds);
  const taken = await tx.query<{ id: string; tax_id: string; name: string }>(
    `SELECT id, data ->> 'taxId' AS tax_id, data ->> 'name' AS name FROM documents
      WHERE store_id = $1 AND collection = 'customers' AND NOT deleted AND data ->> 'taxId' = ANY($2::text[]) AND NOT (id = ANY($3::text[]))`,
    [ctx.storeId, taxIds, live.map((write) => write.id)],
  );
  const holder = new Map(taken.map((row) => [row.tax_id, { id: row.id, name: row.name }]));
  for (const write of live) {
    const taxId = String(write.data.taxId);
    const other = holder.get(taxId);
    if (other && other.id !== write.id) {
      refusals.set(write.id, {
        reason: 'duplicate_key',
        message: `CPF/CNPJ ${formatTaxId(taxId)} already belongs to customer ${other.name} (${other.id}); a CPF/CNPJ identifies one customer. Use that customer, or correct the CPF/CNPJ of ${String(write.data.name)} and save again.`,
      });
    } else holder.set(taxId, { id: write.id, name: String(write.data.name) });
  }
  return refusals;
}

/** A customer with open receivables cannot be deactivated. */
async function guardDeactivations(tx: Queryable, ctx: GuardContext, accepted: readonly DocumentWrite[], current: ReadonlyMap<string, StoredDocument>): Promise<Refusals> {
  const deactivating = accepted.filter((write) => write.data.active === false && current.get(write.id)?.data.active !== false);
  const open = await openReceivablesOf(tx, ctx.storeId, deactivating.map((write) => write.id));
  const refusals: Refusals = new Map();
  for (const write of deactivating) {
    const owed = open.get(write.id);
    if (!owed) continue;
    refusals.set(write.id, {
      reason: 'open_receivables',
      message: `Customer ${String(write.data.name)} has ${owed.count} open receivable(s) totalling ${formatBrl(owed.amountCents)}; a customer who owes cannot be deactivated. Receive or cancel those receivables first, then deactivate.`,
    });
  }
  return refusals;
}

/** BO-02: a service a contract uses cannot be deleted; codes are unique per kind. */
async function guardServicesAndContracts(tx: Queryable, ctx: GuardContext, accepted: readonly DocumentWrite[]): Promise<Refusals> {
  const refusals: Refusals = new Map();
  const deletedServices = accepted.filter((write) => write.deleted && write.data.kind === 'service').map((write) => write.id);
  if (deletedServices.length > 0) {
    const users = await tx.query<{ service_id: string; code: string }>(
      `SELECT line ->> 'serviceId' AS service_id, min(d.data ->> 'code') AS code
         FROM documents d CROSS JOIN LATERAL jsonb_array_elements(coalesce(d.data -> 'lines', '[]'::jsonb)) AS l(line)
        WHERE d.store_id = $1 AND d.collection = 'backoffice' AND NOT d.deleted AND d.data ->> 'kind' = 'contract'
          AND line ->> 'serviceId' = ANY($2::text[])
        GROUP BY 1`,
      [ctx.storeId, deletedServices],
    );
    for (const { service_id: serviceId, code } of users) {
      refusals.set(serviceId, { reason: 'in_use', message: `Service ${serviceId} is used by contract ${code} (and maybe others) and cannot be deleted. Deactivate it instead: it stays on existing contracts and cannot be added to new ones.` });
    }
  }
  // Codes are compared by key (recordKey 'code': "TEL" = "tel" = " Tel "), the spreadsheets' rule too.
  // The key is computed here, not in SQL (PostgreSQL's upper() follows the database's locale), so every
  // code of the kinds written is read: a store holds hundreds or a few thousand, and a back-office
  // upload of services and contracts is made by hand. Two uploads cannot both find a code free: every
  // writer of a store holds its sequence lock (writeBatchIn takes it first) until it commits.
  const live = accepted.filter((write) => !write.deleted);
  if (live.length === 0) return refusals;
  const keyOf = (kind: unknown, code: unknown) => `${String(kind)}|${recordKey('code', String(code))}`;
  const taken = await tx.query<{ id: string; kind: string; code: string }>(
    `SELECT id, data ->> 'kind' AS kind, data ->> 'code' AS code FROM documents
      WHERE store_id = $1 AND collection = 'backoffice' AND NOT deleted AND NOT (id = ANY($2::text[])) AND data ->> 'kind' = ANY($3::text[])`,
    [ctx.storeId, live.map((write) => write.id), [...new Set(live.map((write) => String(write.data.kind)))]],
  );
  const holder = new Map(taken.map((row) => [keyOf(row.kind, row.code), { id: row.id, code: row.code }]));
  for (const write of live) {
    const key = keyOf(write.data.kind, write.data.code);
    const other = holder.get(key);
    if (other && other.id !== write.id) {
      const same = other.code === String(write.data.code) ? '' : ` (codes differing only in case or spaces are the same code)`;
      refusals.set(write.id, { reason: 'duplicate_key', message: `Another ${String(write.data.kind)} (${other.id}) already has code ${other.code}${same}. Use another code, or change that record instead.` });
    } else holder.set(key, { id: write.id, code: String(write.data.code) });
  }
  return refusals;
}

/** The latest day usage may be dated: a year after the server's today (a later one is a typo, e.g. 9999). */
function latestUsageDate(now: string): string {
  const day = new Date(`${now.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 366);
  return day.toISOString().slice(0, 10);
}

/**
 * BO-04 correcting records: the rule (sync/rules/consumption-corrections.ts, also the device's) on every
 * consumption write, a correction's own and its original's (changed, moved, removed), in upload order.
 * Reads what the writes touch: the written records, the records written corrections name, and every live
 * correction of those (index documents_consumption_corrects).
 */
async function correctionRefusals(tx: Queryable, storeId: string, writes: readonly DocumentWrite[]): Promise<Refusals> {
  if (writes.length === 0) return new Map();
  const ids = new Set(writes.map((write) => write.id));
  for (const write of writes) if (!write.deleted && typeof write.data.correctsId === 'string') ids.add(write.data.correctsId);
  const touched = await tx.query<{ data: ConsumptionRecord }>(
    `SELECT data FROM documents WHERE store_id = $1 AND collection = 'consumption' AND NOT deleted AND id = ANY($2::text[])
     UNION ALL
     SELECT data FROM documents WHERE store_id = $1 AND collection = 'consumption' AND NOT deleted AND data ->> 'correctsId' = ANY($2::text[]) AND NOT (id = ANY($2::text[]))`,
    [storeId, [...ids]],
  );
  const refused = checkCorrections(touched.map((row) => row.data), writes.map((write) => ({ id: write.id, next: write.deleted ? null : (write.data as unknown as ConsumptionRecord) })));
  return new Map([...refused].map(([id, error]) => [id, { reason: 'invalid_value', message: error.message }]));
}

/** BO-04: billed periods are closed; one live record per external id; corrections stay covered by their record. */
async function guardConsumption(tx: Queryable, ctx: GuardContext, accepted: readonly DocumentWrite[], current: ReadonlyMap<string, StoredDocument>): Promise<Refusals> {
  const pairs: { contractId: string; period: string }[] = [];
  for (const write of accepted) {
    const previous = current.get(write.id);
    if (previous && !previous.deleted) pairs.push({ contractId: String(previous.data.contractId), period: periodOf(String(previous.data.date)) });
    if (!write.deleted) pairs.push({ contractId: String(write.data.contractId), period: periodOf(String(write.data.date)) });
  }
  const billed = await billedPeriods(tx, ctx.storeId, pairs);
  const isBilled = (contractId: string, period: string) => billed.has(`${contractId}|${period}`);
  const refusals: Refusals = new Map();
  for (const write of accepted) {
    const stored = current.get(write.id);
    const previous = stored && !stored.deleted ? (stored.data as unknown as ConsumptionRecord) : undefined;
    const change = write.deleted ? { kind: 'remove' as const } : { kind: previous ? ('update' as const) : ('create' as const), next: write.data as unknown as ConsumptionRecord };
    if (write.deleted && !previous) continue;
    const checked = checkConsumptionChange(previous, change, isBilled);
    if (!checked.ok) refusals.set(write.id, { reason: checked.error.code === 'billed_period' ? 'billed_period' : 'invalid_value', message: checked.error.message });
    else if (!write.deleted && String(write.data.date) > latestUsageDate(ctx.now)) {
      refusals.set(write.id, { reason: 'invalid_value', message: `Consumption ${String(write.data.externalId)}: usage is recorded after it happens; ${String(write.data.date)} is more than a year ahead. Check the date.` });
    }
  }
  const live = accepted.filter((write) => !write.deleted && !refusals.has(write.id));
  // A stored external id equals its key (checkConsumptionChange refuses white space around one), so
  // the exact comparison below is the key's. Concurrent uploads are serialised by the store's sequence
  // lock, which every writer holds until it commits (writeBatchIn takes it first): no key lock needed.
  const holders = await tx.query<{ id: string; external_id: string }>(
    `SELECT id, data ->> 'externalId' AS external_id FROM documents
      WHERE store_id = $1 AND collection = 'consumption' AND NOT deleted AND data ->> 'externalId' = ANY($2::text[]) AND NOT (id = ANY($3::text[]))`,
    [ctx.storeId, live.map((write) => String(write.data.externalId)), live.map((write) => write.id)],
  );
  const holder = new Map(holders.map((row) => [row.external_id, row.id]));
  for (const write of live) {
    const externalId = String(write.data.externalId);
    const other = holder.get(externalId);
    if (other && other !== write.id) {
      refusals.set(write.id, { reason: 'duplicate_key', message: `Consumption with external id ${externalId} already exists (record ${other}); it was not recorded twice. Change that record instead, or use another external id.` });
    } else holder.set(externalId, write.id);
  }
  // Last: the corrections are judged on exactly what is written (a write refused above changes nothing).
  for (const [id, refusal] of await correctionRefusals(tx, ctx.storeId, accepted.filter((write) => !refusals.has(write.id)))) refusals.set(id, refusal);
  return refusals;
}

/**
 * BO-03: applies accepted contract requests in upload order with the transition table, appending who,
 * when and why to the contract's history. A request for a contract the server does not know yet is
 * kept (unknown_reference) and applied by itself when the contract arrives (retryWaiting).
 */
async function applyContractRequests(tx: Queryable, ctx: GuardContext, accepted: readonly DocumentWrite[]): Promise<Refusals> {
  const refusals: Refusals = new Map();
  const contracts = await loadDocuments(tx, ctx.storeId, 'backoffice', accepted.map((write) => String(write.data.contractId)));
  const changed = new Map<string, StoredDocument>();
  const today = storeDay(ctx.now); // a cancellation's default effective date: the store's day (São Paulo), not UTC's
  for (const write of accepted) {
    const request = write.data as unknown as BackofficeAction;
    const contract = changed.get(request.contractId) ?? contracts.get(request.contractId);
    if (!contract || contract.deleted || contract.data.kind !== 'contract') {
      refusals.set(write.id, { reason: 'unknown_reference', message: `Contract ${request.contractId} is not known to the server (yet); the ${request.kind} request is applied by itself when the contract arrives.` });
      continue;
    }
    const state = isContractState(contract.data.state) ? contract.data.state : 'draft';
    const applied = applyContractRequest(state, request, ctx.now, today);
    if (!applied.ok) {
      refusals.set(write.id, { reason: applied.error.code === 'invalid_transition' ? 'invalid_transition' : 'invalid_value', message: `Contract ${String(contract.data.code)}: ${applied.error.message}` });
      continue;
    }
    const history = [...((contract.data.history as ContractHistoryEntry[] | undefined) ?? []), applied.value.entry];
    changed.set(request.contractId, { ...contract, data: { ...contract.data, state: applied.value.state, history } as ContractDoc as unknown as Record<string, unknown> });
  }
  await writeDocuments(tx, ctx.storeId, 'backoffice', [...changed.values()].map((doc) => ({ id: doc.id, stationId: doc.stationId, data: doc.data, deleted: false })));
  return refusals;
}

/**
 * Quarantined consumption and contract requests that waited for a contract (unknown_reference), for
 * contracts just written: the caller sends them through the write path again, so an offline session's
 * uploads arriving in any collection order end up applied. Requests in the order they were made
 * (device time, then id), since one upload's entries share their quarantine time.
 */
export async function waitingFor(tx: Queryable, storeId: string, contractIds: readonly string[]): Promise<{ collection: 'consumption' | 'backofficeActions'; documents: Record<string, unknown>[] }[]> {
  if (contractIds.length === 0) return [];
  const rows = await tx.query<{ collection: 'consumption' | 'backofficeActions'; document: Record<string, unknown> }>(
    `SELECT collection, document FROM quarantine
      WHERE store_id = $1 AND resolved_at IS NULL AND reason = 'unknown_reference' AND collection IN ('consumption', 'backofficeActions')
        AND document ->> 'contractId' = ANY($2::text[])
      ORDER BY created_at, document ->> 'requestedAt', document_id`,
    [storeId, [...contractIds]],
  );
  const byCollection = new Map<'consumption' | 'backofficeActions', Record<string, unknown>[]>();
  for (const row of rows) byCollection.set(row.collection, [...(byCollection.get(row.collection) ?? []), row.document]);
  // Contract requests first: usage after a resumed contract must see it resumed.
  return (['backofficeActions', 'consumption'] as const).filter((name) => byCollection.has(name)).map((name) => ({ collection: name, documents: byCollection.get(name)! }));
}
