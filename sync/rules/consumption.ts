import type { ConsumptionRecord, ContractDoc } from '../schema/index.ts';
import { cancellationDate } from './contract-state.ts';
import { externalIdProblem } from './record-keys.ts';
import { ok, refuse, type RuleResult } from './result.ts';

/**
 * Consumption edit rules (BO-04), the same on the device (before saving) and on the server (on push):
 *
 * - The billing period of a record is the calendar month of its `date` (YYYY-MM).
 * - A period is billed for a contract once the billing run made that contract's receivable for it.
 *   A record of a billed period can no longer be changed or removed, and no new record can be dated in
 *   it: the charge is already with the customer. Instead make a correcting record dated in an open
 *   period (`correctingRecord`): its quantity is the difference (negative to take usage back) and
 *   `correctsId` names the record it corrects. The next billing run nets it with that period's usage.
 * - Only a correcting record may have a negative quantity.
 * - The service must be one of the contract's lines; usage dated on or after the contract's
 *   cancellation effective date is refused (the customer no longer has the service), and so is usage
 *   dated before the contract's start (the customer did not have it yet).
 */
export function periodOf(date: string): string {
  return date.slice(0, 7);
}

/**
 * A real calendar day YYYY-MM-DD (the schema's pattern lets 2026-02-31 through; PostgreSQL's date
 * type and the billing run do not), between the years 1900 and 9999.
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Says whether the contract's period is billed (e.g. from the receivables list). */
export type IsBilled = (contractId: string, period: string) => boolean;

export type ConsumptionChange = { kind: 'create' | 'update'; next: ConsumptionRecord } | { kind: 'remove' };

export function checkConsumptionChange(previous: ConsumptionRecord | undefined, change: ConsumptionChange, isBilled: IsBilled): RuleResult<null> {
  if (previous && isBilled(previous.contractId, periodOf(previous.date))) {
    const period = periodOf(previous.date);
    return refuse(
      'billed_period',
      `Consumption ${previous.externalId} (${previous.date}) belongs to period ${period}, which is already billed for its contract: it cannot be ${change.kind === 'remove' ? 'removed' : 'changed'}. Make a correcting record dated in an open period instead (quantity = the difference, negative to take usage back).`,
      { period, id: previous.id },
    );
  }
  if (change.kind === 'remove') return ok(null);
  const next = change.next;
  const badExternalId = externalIdProblem(next.externalId);
  if (badExternalId) return refuse('invalid_value', badExternalId, { field: 'externalId' });
  if (!isCalendarDate(next.date)) return refuse('invalid_value', `Date ${next.date} does not exist. Enter a real day (YYYY-MM-DD).`, { field: 'date' });
  if (isBilled(next.contractId, periodOf(next.date))) {
    return refuse('billed_period', `Period ${periodOf(next.date)} is already billed for contract ${next.contractId}: date the record in an open period (a correcting record if it changes billed usage).`, { period: periodOf(next.date) });
  }
  if (next.quantity < 0 && !next.correctsId) {
    return refuse('invalid_value', `Quantity ${next.quantity} is negative: only a correcting record (one that names the record it corrects) may take usage back. Enter a positive quantity or make a correcting record.`, { field: 'quantity' });
  }
  return ok(null);
}

/** Checks the record against its contract: the service is contracted, the contract not cancelled by then. */
export function checkConsumptionContract(record: ConsumptionRecord, contract: ContractDoc | undefined): RuleResult<null> {
  if (!contract) return refuse('unknown_service', `Contract ${record.contractId} is not known. Check the contract and try again.`, { field: 'contractId' });
  if (!(contract.lines ?? []).some((line) => line.serviceId === record.serviceId)) {
    return refuse('unknown_service', `Service ${record.serviceId} is not contracted in contract ${contract.code}. Choose one of the contract's services or add the service to the contract first.`, { field: 'serviceId' });
  }
  if (contract.startDate && isCalendarDate(record.date) && record.date < contract.startDate) {
    return refuse('invalid_value', `Usage on ${record.date} is before contract ${contract.code} starts (${contract.startDate}). Check the date, or the contract.`, { field: 'date' });
  }
  const cancelledOn = contract.state === 'cancelled' ? (cancellationDate(contract.history ?? []) ?? '0000-01-01') : null;
  if (cancelledOn !== null && record.date >= cancelledOn) {
    return refuse('contract_cancelled', `Contract ${contract.code} was cancelled effective ${cancelledOn}; usage on ${record.date} cannot be recorded for it. Check the contract or date, or record it on the customer's new contract.`, { cancelledOn });
  }
  return ok(null);
}

/**
 * A correcting record for a record of a billed period: dated `date` (an open period), quantity so that
 * the usage becomes `correctQuantity` in total. `standingQuantity` is what the record counts now: its
 * own quantity plus its live corrections' (standingUsage). A second correction to 5 of a record of 10
 * already corrected to 7 is −2, not −5 (which would bill 2).
 */
export function correctingRecord(original: ConsumptionRecord, standingQuantity: number, correctQuantity: number, fields: { id: string; date: string; updatedAt: string; userId?: string }): ConsumptionRecord {
  return {
    id: fields.id,
    contractId: original.contractId,
    serviceId: original.serviceId,
    quantity: correctQuantity - standingQuantity,
    date: fields.date,
    description: `Correction of ${original.externalId} (${original.date})`.slice(0, 200),
    externalId: fields.id,
    correctsId: original.id,
    updatedAt: fields.updatedAt,
    ...(fields.userId ? { userId: fields.userId } : {}),
  };
}

/**
 * What a usage record counts in total: its quantity plus those of its live corrections, and of their
 * corrections in turn (the server accepts a correction of a correcting record; a chain R ← C1 ← C2 counts
 * R + C1 + C2). `records` may hold anything else: only the chain under `original` is summed, each once.
 */
export function standingUsage(original: Pick<ConsumptionRecord, 'id' | 'quantity'>, records: readonly Pick<ConsumptionRecord, 'id' | 'correctsId' | 'quantity'>[]): number {
  const counted = new Set([original.id]);
  let total = original.quantity;
  for (let grew = true; grew; ) {
    grew = false;
    for (const record of records) {
      if (counted.has(record.id) || record.correctsId === undefined || !counted.has(record.correctsId)) continue;
      counted.add(record.id);
      total += record.quantity;
      grew = true;
    }
  }
  return total;
}
