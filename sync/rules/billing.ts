import type { ContractDoc, ReceivableLine, ServiceDoc } from '../schema/index.ts';
import { contractStateAt } from './contract-state.ts';
import { localMidnight, STORE_TIME_ZONE } from './store-calendar.ts';

/**
 * The monthly billing computation (BO-05), in integer cents. The server's billing run does the same in
 * one SQL statement (sync/server/backoffice/billing-run.ts); a test holds the two to the same results.
 *
 * For a contract and a period (calendar month YYYY-MM of the store's calendar, São Paulo: it begins and
 * ends at the store's local midnight, sync/rules/store-calendar.ts):
 *
 * 1. Fee: a line's monthly fee (the line's override, else the service's fee) × the contracted quantity
 *    is charged **in full, without proration**, when the contract is `active` at the end of the period
 *    (its state at the first instant of the next month — the store's local midnight, periodEnd — from its
 *    history; see contractStateAt) and its start date is within or before the period. A contract
 *    suspended, inactive, cancelled or still a draft at the month's end pays no fee for that month — also
 *    when it was active for part of it.
 *    No proration keeps a charge explainable in one sentence and independent of day counts.
 * 2. Metered usage: the period's consumption of the contract, per service line, net of correcting
 *    records, beyond the included quantity (service's included quantity × contracted quantity), times the
 *    unit price (line override, else the service's): max(0, used − included) × price. Usage the server
 *    accepted is billed whatever the contract's state (it was recorded before any cancellation).
 *    Usage of a service that is no longer a line of the contract is not billed.
 * 3. One receivable per contract and period, the sum of its lines, only when it is above zero. Its
 *    due date is the contract's billing day in the month after the period (the month's last day when
 *    the billing day does not exist in it).
 * 4. Services are priced as they are at the time of the run; the receivable keeps the breakdown.
 */
export interface ChargeComputation {
  amountCents: number;
  dueDate: string;
  lines: ReceivableLine[];
}

/** The first day of the month after the period, YYYY-MM-DD: '2026-11' → '2026-12-01'. */
export function nextPeriodFirstDay(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/**
 * First instant after the period, ISO-8601 UTC: the store's local midnight (São Paulo) beginning the next
 * month's first day, '2026-11' → '2026-12-01T03:00:00.000Z'. `timeZone` (IANA) is for tests and tools.
 */
export function periodEnd(period: string, timeZone = STORE_TIME_ZONE): string {
  return localMidnight(nextPeriodFirstDay(period), timeZone);
}

/** The period's first and last day, YYYY-MM-DD. */
export function periodDays(period: string): { first: string; last: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { first: `${period}-01`, last: new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10) };
}

/** The billing day in the month after the period, clamped to that month's last day. */
export function dueDateOf(period: string, billingDay: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(billingDay, lastDay))).toISOString().slice(0, 10);
}

/** Whether the fee of the period is charged (rule 1). */
export function feeApplies(contract: ContractDoc, period: string): boolean {
  if (!contract.startDate || contract.startDate > periodDays(period).last) return false;
  return contractStateAt(contract.history ?? [], periodEnd(period)) === 'active';
}

function safe(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} is too large to be represented exactly (${value} cents).`);
  return Number(value);
}

/**
 * The charge of one contract for one period, or null when nothing is due (rule 3).
 * `usage` maps a service id to the period's net quantity of this contract.
 */
export function computeCharge(contract: ContractDoc, services: ReadonlyMap<string, ServiceDoc>, usage: ReadonlyMap<string, number>, period: string): ChargeComputation | null {
  const chargeFee = feeApplies(contract, period);
  const lines: ReceivableLine[] = [];
  let total = 0n;
  for (const line of contract.lines ?? []) {
    const service = services.get(line.serviceId);
    if (!service) continue;
    const fee = chargeFee ? BigInt(line.feeOverrideCents ?? service.monthlyFeeCents ?? 0) * BigInt(line.quantity) : 0n;
    const used = usage.get(line.serviceId) ?? 0;
    const included = (service.includedQuantity ?? 0) * line.quantity;
    const billed = Math.max(0, used - included);
    const unitPrice = line.unitPriceOverrideCents ?? service.unitPriceCents ?? 0;
    const metered = BigInt(billed) * BigInt(unitPrice);
    total += fee + metered;
    lines.push({
      serviceId: line.serviceId,
      lineId: line.id,
      feeCents: safe(fee, 'fee'),
      usedQuantity: used,
      includedQuantity: included,
      billedQuantity: billed,
      unitPriceCents: unitPrice,
      meteredCents: safe(metered, 'metered charge'),
    });
  }
  if (total <= 0n) return null;
  return { amountCents: safe(total, `charge of contract ${contract.code}`), dueDate: dueDateOf(period, contract.billingDay ?? 1), lines };
}
