import type { RxCollection } from 'rxdb';
import type { ConsumptionRecord, ContractDoc, Customer, ServiceDoc } from '../../../../sync/schema/index.ts';
import {
  checkConsumptionChange,
  checkConsumptionContract,
  checkConsumptionRows,
  checkCorrections,
  checkCustomerRows,
  CONSUMPTION_COLUMNS,
  CUSTOMER_COLUMNS,
  customerProblems,
  fieldProblemText,
  implausibleUsage,
  keyIndex,
  matchHeaders,
  ruleMessage,
  rowErrorText,
  type ColumnSpec,
  type HeaderMatch,
  type RowError,
  usageWarningText,
} from '../../../../sync/rules/index.ts';
import type { BalcaoDatabase } from '../../../data/database.ts';
import { billedFrom, cachedReceivables } from '../backoffice.ts';
import type { SheetText, SheetToWrite } from './sheet-file.ts';

/**
 * Spreadsheet import on the device (BO-01 customers upload, BO-04 consumption import): a dry run checks
 * every row with the rules the server applies (sync/rules: import-rows, backoffice-records, consumption)
 * and writes nothing; then the planned writes go through the device's RxDB collections, like a form's
 * save, so they work offline and upload by themselves. The key (CPF/CNPJ, external id) of a row that
 * matches a record updates that record; a row equal to its record is left alone.
 */
export type SheetKind = 'customers' | 'consumption';

export const SHEET_COLUMNS: Record<SheetKind, readonly ColumnSpec[]> = { customers: CUSTOMER_COLUMNS, consumption: CONSUMPTION_COLUMNS };

export interface PlannedWrite<T> {
  /** Spreadsheet row number (header = 1). */
  row: number;
  doc: T;
  change: 'add' | 'update';
}

export interface DryRun<T = Customer | ConsumptionRecord> {
  kind: SheetKind;
  /** Non-empty data rows of the file. */
  checked: number;
  /** Every bad cell, by row and column, in row order. */
  errors: RowError[];
  /** What an import writes: the good rows that add or change a record. */
  writes: PlannedWrite<T>[];
  /** Good rows equal to the record they name (nothing to write). */
  unchanged: number;
  /** Rows that import but need a second look (an implausible quantity: sync/rules/usage-plausibility.ts), by row. */
  warnings: RowError[];
}

/** The user's column mapping is kept per kind: normalised file header → column key. */
export type RememberedMapping = Record<string, string>;

export function matchSheet(kind: SheetKind, header: readonly string[], remembered: RememberedMapping): HeaderMatch {
  return matchHeaders(header, SHEET_COLUMNS[kind], remembered);
}

const CUSTOMER_FIELD_COLUMN: Record<string, string> = { name: 'Nome', taxId: 'CPF/CNPJ', phone: 'Telefone', email: 'E-mail', cep: 'CEP', uf: 'UF' };
const CUSTOMER_FIELDS = ['name', 'taxId', 'email', 'phone', 'cep', 'uf', 'city', 'address'] as const;

const sameFields = <T extends object>(a: T, b: T, fields: readonly (keyof T)[]) => fields.every((field) => a[field] === b[field]);

function byRow(errors: RowError[]): RowError[] {
  return errors.sort((a, b) => a.row - b.row);
}

/**
 * Dry run of a customers file (BO-01): nothing is written. A CPF/CNPJ already on the device updates
 * that customer (blank cells keep what it has); a new one adds an active customer.
 */
export async function dryRunCustomers(customers: RxCollection<Customer>, sheet: SheetText, mapping: Record<string, number>, now: string, newId: () => string): Promise<DryRun<Customer>> {
  const checked = checkCustomerRows(sheet.rows, mapping);
  // By key (sync/rules/record-keys.ts), as the server's one-customer-per-CPF/CNPJ rule compares them.
  const existing = keyIndex('taxId', (await customers.find().exec()).map((doc) => doc.toJSON() as Customer), (customer) => customer.taxId);
  const errors = [...checked.errors];
  const writes: PlannedWrite<Customer>[] = [];
  let unchanged = 0;
  for (const { row, record } of checked.records) {
    const previous = existing(record.taxId);
    const doc: Customer = previous ? { ...previous, ...record, updatedAt: now } : { id: newId(), ...record, active: true, updatedAt: now };
    // The same field checks as the form and the server (sync/rules/backoffice-records.ts).
    const problems = customerProblems(doc);
    if (problems.length) {
      for (const problem of problems) errors.push({ row, column: CUSTOMER_FIELD_COLUMN[problem.field] ?? problem.field, reason: fieldProblemText(problem, 'pt-BR'), reasonEn: problem.message });
      continue;
    }
    if (previous && sameFields(previous, doc, CUSTOMER_FIELDS)) unchanged++;
    else writes.push({ row, doc, change: previous ? 'update' : 'add' });
  }
  return { kind: 'customers', checked: checked.records.length + new Set(checked.errors.map((e) => e.row)).size, errors: byRow(errors), writes, unchanged, warnings: [] };
}

export interface ConsumptionContext {
  contracts: readonly ContractDoc[];
  services: readonly ServiceDoc[];
  now: string;
  userId?: string;
  newId: () => string;
}

/**
 * Dry run of a consumption file (BO-04): nothing is written. Contracts and services are named by their
 * codes; an external id already on the device updates that record (an edited export), and the
 * consumption rules decide as on a form: a billed period cannot change (make a correcting record), a
 * cancelled contract takes no later usage. A row with an implausible quantity imports, and is listed in
 * `warnings` for a second look.
 */
export async function dryRunConsumption(db: BalcaoDatabase, sheet: SheetText, mapping: Record<string, number>, context: ConsumptionContext): Promise<DryRun<ConsumptionRecord>> {
  // Contracts, services and records by key, as the server's uniqueness rules compare them ("tel" names
  // service TEL; sync/rules/record-keys.ts): the same functions the API's sheet upload uses.
  const contractByCode = keyIndex('code', context.contracts, (contract) => contract.code);
  const contractsById = new Map(context.contracts.map((contract) => [contract.id, contract]));
  const serviceByCode = keyIndex('code', context.services, (service) => service.code);
  const checked = checkConsumptionRows(sheet.rows, mapping, {
    contract: (code) => {
      const contract = contractByCode(code);
      return contract ? { id: contract.id, serviceIds: (contract.lines ?? []).map((line) => line.serviceId) } : undefined;
    },
    service: serviceByCode,
  });
  const collection = db.collections.consumption as unknown as RxCollection<ConsumptionRecord> | undefined;
  if (!collection) throw new Error('The consumption collection is not open: the user has no back-office role.');
  const records = (await collection.find().exec()).map((doc) => doc.toJSON() as ConsumptionRecord);
  const existing = keyIndex('externalId', records, (record) => record.externalId);
  const billed = billedFrom((await cachedReceivables(db))?.list.receivables ?? []);
  const errors = [...checked.errors];
  const writes: PlannedWrite<ConsumptionRecord>[] = [];
  const warnings: RowError[] = [];
  const servicesById = new Map(context.services.map((service) => [service.id, service]));
  let unchanged = 0;
  for (const { row, record } of checked.records) {
    const previous = existing(record.externalId);
    const { description, ...fields } = record;
    const doc: ConsumptionRecord = previous
      ? { ...previous, ...fields, ...(description ? { description } : {}), updatedAt: context.now, ...(context.userId ? { userId: context.userId } : {}) }
      : { id: context.newId(), ...record, updatedAt: context.now, ...(context.userId ? { userId: context.userId } : {}) };
    if (!description) delete doc.description;
    if (previous && sameFields(previous, doc, ['contractId', 'serviceId', 'date', 'quantity', 'description'])) {
      unchanged++;
      continue;
    }
    const change = checkConsumptionChange(previous, { kind: previous ? 'update' : 'create', next: doc }, billed);
    const against = change.ok ? checkConsumptionContract(doc, contractsById.get(doc.contractId)) : change;
    if (!against.ok) {
      errors.push({ row, column: against.error.code === 'unknown_service' ? 'Serviço' : against.error.params?.field === 'quantity' ? 'Quantidade' : 'Data', reason: ruleMessage(against.error, 'pt-BR'), reasonEn: against.error.message });
      continue;
    }
    writes.push({ row, doc, change: previous ? 'update' : 'add' });
    const warning = implausibleUsage(doc.quantity, servicesById.get(doc.serviceId));
    if (warning) warnings.push({ row, column: 'Quantidade', reason: usageWarningText(warning, 'pt-BR'), reasonEn: warning.message });
  }
  // A row that shrinks (or moves) a record its corrections would then overdraw: the correction rule, in row order.
  const uncovered = checkCorrections(records, writes.map((write) => ({ id: write.doc.id, next: write.doc })));
  for (const write of writes.filter((planned) => uncovered.has(planned.doc.id))) {
    const error = uncovered.get(write.doc.id)!;
    errors.push({ row: write.row, column: error.params?.kind === 'moved' ? 'Contrato' : 'Quantidade', reason: ruleMessage(error, 'pt-BR'), reasonEn: error.message });
  }
  const kept = writes.filter((write) => !uncovered.has(write.doc.id));
  const keptRows = new Set(kept.map((write) => write.row));
  const keptWarnings = warnings.filter((warning) => keptRows.has(warning.row));
  return { kind: 'consumption', checked: checked.records.length + new Set(checked.errors.map((e) => e.row)).size, errors: byRow(errors), writes: kept, unchanged, warnings: keptWarnings };
}

/**
 * Records per local write. Each write is one IndexedDB transaction, and a live list of the collection on
 * screen (the consumption tab) is read again whole after every write of more than 100 records (RxDB's
 * change buffer): 1,000 a write read the list ten times during a 10,000-row import (bench, one run at
 * load 14: 1,000 → 9.5 s, 2,500 → 7.3 s, 5,000 → 5.3 s). Not larger: the main thread stops for the
 * whole preparation of a write (5,000: 2.2–2.8 s at load 24, against 0.8 s for 1,000), and progress moves
 * between writes.
 */
export const IMPORT_CHUNK = 2500;

/**
 * Writes the planned records through the device's collection in chunks of `chunkSize` (progress after
 * each), as the forms do: local first, uploaded by the replication. New records are inserted, known ones
 * replaced (an insert skips the lookup an upsert makes). Returns how many were written.
 *
 * @throws Error naming the first record the local database refused (e.g. a full disk)
 */
export async function applyWrites<T extends { id: string }>(collection: RxCollection<T>, writes: readonly PlannedWrite<T>[], onProgress?: (done: number, total: number) => void, chunkSize = IMPORT_CHUNK): Promise<number> {
  let done = 0;
  for (let start = 0; start < writes.length; start += chunkSize) {
    // In id order: RxDB gives a bulk write one time stamp and the upload checkpoint names its last document,
    // so the pending count (sync/client/pending.ts: same time and a greater id = not uploaded) sees none left over.
    const chunk = writes.slice(start, start + chunkSize).sort((a, b) => (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
    const adds = chunk.filter((write) => write.change === 'add').map((write) => write.doc);
    const updates = chunk.filter((write) => write.change === 'update').map((write) => write.doc);
    for (const result of [adds.length ? await collection.bulkInsert(adds) : null, updates.length ? await collection.bulkUpsert(updates) : null]) {
      if (result?.error.length) throw new Error(`The device could not store ${result.error.length} record(s) (first: ${result.error[0]!.documentId}, status ${result.error[0]!.status}).`);
    }
    done += chunk.length;
    onProgress?.(done, writes.length);
  }
  return done;
}

/** The error file of a partial import: the bad rows as they were in the file, plus an "erros" column. */
export function errorSheet(kind: SheetKind, sheet: SheetText, errors: readonly RowError[], locale = 'pt-BR'): SheetToWrite {
  const reasons = new Map<number, string[]>();
  for (const error of errors) reasons.set(error.row, [...(reasons.get(error.row) ?? []), `${error.column}: ${rowErrorText(error, locale)}`]);
  const width = sheet.header.length;
  const rows = [...reasons].sort(([a], [b]) => a - b).map(([row, list]) => {
    const cells = sheet.rows[row - 2] ?? [];
    return [...Array.from({ length: width }, (_, index) => cells[index] ?? ''), list.join('; ')];
  });
  return { name: kind === 'customers' ? 'Clientes com erros' : 'Consumo com erros', header: [...sheet.header, 'erros'], rows };
}

/** The template: the documented headers (README "Spreadsheets"), no rows. */
export function templateSheet(kind: SheetKind): SheetToWrite {
  return { name: kind === 'customers' ? 'Clientes' : 'Consumo', header: SHEET_COLUMNS[kind].map((column) => column.header), rows: [] };
}

/** "2026-11-03" → "03/11/2026", the template's day format, so an export re-imports as it is. */
export function brazilianDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** Consumption export (BO-04) in the template's columns: re-importing it (edited) updates by external id. */
export function consumptionSheet(records: readonly ConsumptionRecord[], contracts: readonly ContractDoc[], services: readonly ServiceDoc[], period: string | null): SheetToWrite {
  const contractCode = new Map(contracts.map((contract) => [contract.id, contract.code]));
  const serviceCode = new Map(services.map((service) => [service.id, service.code]));
  const rows = records
    .filter((record) => !period || record.date.startsWith(`${period}-`))
    .sort((a, b) => a.date.localeCompare(b.date) || a.externalId.localeCompare(b.externalId))
    .map((record) => [record.externalId, contractCode.get(record.contractId) ?? record.contractId, serviceCode.get(record.serviceId) ?? record.serviceId, brazilianDay(record.date), record.quantity, record.description ?? '']);
  return { name: period ? `Consumo ${period}` : 'Consumo', header: CONSUMPTION_COLUMNS.map((column) => column.header), rows };
}

export const RECEIVABLE_HEADER = ['ID', 'Cliente', 'CPF/CNPJ', 'Contrato', 'Período', 'Vencimento', 'Valor (R$)', 'Situação'] as const;

/**
 * "Download as Excel" of the receivables on screen (BO-05): one row each, amounts in reais as number
 * cells (cents / 100, two decimals: a sum in Excel is exact to the cent), and a last "Total" row with the
 * sum of the integer cents.
 */
export function receivablesSheet(
  receivables: readonly { id: string; customerId: string; contractId: string; period: string; dueDate: string; amountCents: number; status: string }[],
  names: { customer(id: string): { name: string; taxId: string } | undefined; contract(id: string): string | undefined; status(status: string): string },
): SheetToWrite {
  const rows: (string | number)[][] = receivables.map((r) => {
    const customer = names.customer(r.customerId);
    return [r.id, customer?.name ?? r.customerId, customer?.taxId ?? '', names.contract(r.contractId) ?? r.contractId, r.period, brazilianDay(r.dueDate), r.amountCents / 100, names.status(r.status)];
  });
  const total = receivables.reduce((sum, r) => sum + r.amountCents, 0);
  rows.push(['Total', `${receivables.length}`, '', '', '', '', total / 100, '']);
  return { name: 'Contas a receber', header: [...RECEIVABLE_HEADER], rows, numberFormats: { 6: '#,##0.00' } };
}
