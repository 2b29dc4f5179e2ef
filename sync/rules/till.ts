import type { CashMovement, MasterRecord, Sale } from '../schema/index.ts';

/**
 * The till (`caixa`, POS-19): what the drawer should hold, and the closing count per payment type.
 * Computed by the station from its own cash movements and sales, which it alone writes.
 *
 * - The till's period starts at its last opening; sales recorded before it belong to an earlier period.
 * - Cash expected = opening float + supplies − withdrawals + cash received − change given.
 * - Other payment types expect what was charged (interest included: it is what the card slips add up to).
 * - A sale cancelled since counts nothing (its money went back to the customer).
 */
export interface TillLine {
  paymentTypeId: string;
  expectedCents: number;
}

function lastOpening(movements: readonly CashMovement[]): CashMovement | undefined {
  const sorted = [...movements].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  let opening: CashMovement | undefined;
  for (const movement of sorted) {
    if (movement.kind === 'opening') opening = movement;
    if (movement.kind === 'closing') opening = undefined;
  }
  return opening;
}

/** The payment types a till period expects, cash first; empty when the till is closed. */
export function tillExpected(movements: readonly CashMovement[], sales: readonly Sale[], paymentTypes: ReadonlyMap<string, MasterRecord>): TillLine[] {
  const opening = lastOpening(movements);
  if (!opening) return [];
  const isCash = (id: string) => paymentTypes.get(id)?.method === 'cash';
  const cashTypeId = [...paymentTypes.values()].find((record) => record.kind === 'paymentType' && record.method === 'cash')?.id ?? 'cash';
  const expected = new Map<string, number>([[cashTypeId, opening.amountCents]]);
  const add = (id: string, cents: number) => expected.set(id, (expected.get(id) ?? 0) + cents);
  for (const movement of movements) {
    if (movement.at <= opening.at) continue;
    if (movement.kind === 'supply') add(cashTypeId, movement.amountCents);
    if (movement.kind === 'withdrawal') add(cashTypeId, -movement.amountCents);
  }
  for (const sale of sales) {
    if (sale.status !== 'finished' || sale.createdAt < opening.at) continue;
    for (const payment of sale.payments) add(isCash(payment.paymentTypeId) ? cashTypeId : payment.paymentTypeId, payment.amountCents);
    if (sale.changeCents > 0) add(cashTypeId, -sale.changeCents);
  }
  return [...expected.entries()].map(([paymentTypeId, expectedCents]) => ({ paymentTypeId, expectedCents })).sort((a, b) => Number(isCash(b.paymentTypeId)) - Number(isCash(a.paymentTypeId)) || (a.paymentTypeId < b.paymentTypeId ? -1 : 1));
}

/** Cash the drawer should hold now, in cents (0 when the till is closed). */
export function cashInDrawer(movements: readonly CashMovement[], sales: readonly Sale[], paymentTypes: ReadonlyMap<string, MasterRecord>): number {
  const cash = tillExpected(movements, sales, paymentTypes).find((line) => paymentTypes.get(line.paymentTypeId)?.method === 'cash' || line.paymentTypeId === 'cash');
  return cash?.expectedCents ?? 0;
}

export interface ClosingLine extends TillLine {
  countedCents: number;
  /** counted − expected: negative when the drawer is short. */
  differenceCents: number;
}

/** The closing report: each expected payment type with what was counted and the difference. */
export function closingReport(expected: readonly TillLine[], counted: ReadonlyMap<string, number>): ClosingLine[] {
  return expected.map((line) => {
    const countedCents = counted.get(line.paymentTypeId) ?? 0;
    return { ...line, countedCents, differenceCents: countedCents - line.expectedCents };
  });
}
