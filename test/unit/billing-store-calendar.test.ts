import { describe, expect, it } from 'vitest';
import type { ContractDoc, ContractHistoryEntry, ServiceDoc } from '../../sync/schema/index.ts';
import { cancellationDate, computeCharge, contractStateAt, feeApplies, localMidnight, periodEnd, STORE_TIME_ZONE, storeDay } from '../../sync/rules/index.ts';

// Billing periods and effective dates are days of the store's calendar (São Paulo, UTC−3); transitions are
// instants the server stamps. 22:00 on 30 November in São Paulo is 01:00Z on 1 December.
const LATE_ON_THE_30TH = '2026-12-01T01:00:00.000Z';
const SAO_PAULO_MIDNIGHT = '2026-12-01T03:00:00.000Z';

const fee: ServiceDoc = { id: 's-fee', kind: 'service', code: 'HOST', name: 'Hospedagem', monthlyFeeCents: 4990, updatedAt: 'x' };
const services = new Map([[fee.id, fee]]);
const entry = (at: string, action: ContractHistoryEntry['action'], from: ContractHistoryEntry['from'], to: ContractHistoryEntry['to'], extra: Partial<ContractHistoryEntry> = {}): ContractHistoryEntry => ({ at, action, from, to, userId: 'u', ...extra });
const activated = (at: string) => entry(at, 'activate', 'draft', 'active');
const contractOf = (history: ContractHistoryEntry[]): ContractDoc => ({
  id: 'ct', kind: 'contract', code: 'C-1', customerId: 'cu', startDate: '2026-10-01', billingDay: 10, state: 'active', updatedAt: 'x', lines: [{ id: 'l1', serviceId: 's-fee', quantity: 1 }], history,
});
const novemberFee = (history: ContractHistoryEntry[]) => computeCharge(contractOf(history), services, new Map(), '2026-11')?.amountCents ?? 0;

describe('the store calendar (São Paulo) at a month boundary', () => {
  it('BO-05 a period ends at the store\'s local midnight: 2026-11 ends at 2026-12-01T03:00Z, by the time-zone data, not a fixed offset', () => {
    expect(STORE_TIME_ZONE).toBe('America/Sao_Paulo');
    expect(periodEnd('2026-11')).toBe(SAO_PAULO_MIDNIGHT);
    expect(periodEnd('2026-12')).toBe('2027-01-01T03:00:00.000Z');
    expect(localMidnight('2026-12-01')).toBe(SAO_PAULO_MIDNIGHT);
    expect(storeDay(LATE_ON_THE_30TH)).toBe('2026-11-30');
    expect(storeDay(SAO_PAULO_MIDNIGHT)).toBe('2026-12-01');
    expect(storeDay('2026-12-01T02:59:59.999Z')).toBe('2026-11-30');
    // São Paulo had daylight saving until 2019: UTC−2 in January 2019; on 2018-11-04 the clocks skipped
    // midnight (the day began at 01:00 local, 03:00Z); on 2019-02-17 midnight came twice (the second counts).
    expect(localMidnight('2019-01-15')).toBe('2019-01-15T02:00:00.000Z');
    expect(localMidnight('2018-11-04')).toBe('2018-11-04T03:00:00.000Z');
    expect(storeDay('2018-11-04T02:59:59.999Z')).toBe('2018-11-03');
    expect(localMidnight('2019-02-17')).toBe('2019-02-17T03:00:00.000Z');
    // Other IANA zones, both sides of UTC.
    expect(periodEnd('2026-11', 'UTC')).toBe('2026-12-01T00:00:00.000Z');
    expect(localMidnight('2026-07-01', 'Europe/Lisbon')).toBe('2026-06-30T23:00:00.000Z');
    expect(localMidnight('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(localMidnight('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(localMidnight('2026-06-01', 'Asia/Kolkata')).toBe('2026-05-31T18:30:00.000Z');
    expect(() => localMidnight('2026-02-30')).toThrow(RangeError);
    expect(() => localMidnight('2026-11')).toThrow(RangeError);
  });

  it('BO-05 a contract activated at 22:00 on 30 November (São Paulo; 01:00Z on 1 December) pays November\'s fee; one activated at 00:00 on 1 December (03:00Z) does not', () => {
    expect(contractStateAt([activated(LATE_ON_THE_30TH)], periodEnd('2026-11'))).toBe('active');
    expect(feeApplies(contractOf([activated(LATE_ON_THE_30TH)]), '2026-11')).toBe(true);
    expect(novemberFee([activated(LATE_ON_THE_30TH)])).toBe(4990);
    expect(novemberFee([activated('2026-12-01T02:59:59.999Z')])).toBe(4990);
    expect(feeApplies(contractOf([activated(SAO_PAULO_MIDNIGHT)]), '2026-11')).toBe(false);
    expect(novemberFee([activated(SAO_PAULO_MIDNIGHT)])).toBe(0);
    // …and December's, in full.
    expect(computeCharge(contractOf([activated(SAO_PAULO_MIDNIGHT)]), services, new Map(), '2026-12')?.amountCents).toBe(4990);
  });

  it('BO-03 BO-05 a cancellation effective 2026-12-01 counts from that day\'s local midnight: the contract is active at November\'s end and pays its fee', () => {
    const cancel = entry('2026-11-20T15:00:00.000Z', 'cancel', 'active', 'cancelled', { effectiveDate: '2026-12-01', reason: 'Pedido' });
    const history = [activated('2026-10-01T12:00:00.000Z'), cancel];
    expect(contractStateAt(history, LATE_ON_THE_30TH)).toBe('active');
    expect(contractStateAt(history, '2026-12-01T02:59:59.999Z')).toBe('active');
    expect(contractStateAt(history, '2026-12-01T03:00:00.001Z')).toBe('cancelled');
    expect(novemberFee(history)).toBe(4990);
    expect(computeCharge(contractOf(history), services, new Map(), '2026-12')).toBeNull();
    // Activated late on the 30th and cancelled from the 1st: November is paid.
    expect(novemberFee([activated(LATE_ON_THE_30TH), cancel])).toBe(4990);
    // Effective 30 November: cancelled at November's end, no fee.
    expect(novemberFee([activated('2026-10-01T12:00:00.000Z'), { ...cancel, effectiveDate: '2026-11-30' }])).toBe(0);
    // A cancellation stored without an effective date (before they existed) is of the store's day it was applied on.
    expect(cancellationDate([{ ...cancel, at: LATE_ON_THE_30TH, effectiveDate: undefined }])).toBe('2026-11-30');
  });

  it('BO-03 BO-05 a contract suspended at 22:00 on 30 November (São Paulo) is suspended at November\'s end: November\'s fee is not charged; resumed then, it is', () => {
    const suspend = entry(LATE_ON_THE_30TH, 'suspend', 'active', 'suspended', { reason: 'Inadimplência' });
    const history = [activated('2026-10-01T12:00:00.000Z'), suspend];
    expect(contractStateAt(history, periodEnd('2026-11'))).toBe('suspended');
    expect(feeApplies(contractOf(history), '2026-11')).toBe(false);
    expect(novemberFee(history)).toBe(0);
    // Suspended at 00:00 on 1 December (local): November is paid.
    expect(novemberFee([activated('2026-10-01T12:00:00.000Z'), { ...suspend, at: SAO_PAULO_MIDNIGHT }])).toBe(4990);
    // Suspended in November, resumed at 23:30 on the 30th (local): active at the end, paid.
    expect(novemberFee([activated('2026-10-01T12:00:00.000Z'), { ...suspend, at: '2026-11-10T12:00:00.000Z' }, entry('2026-12-01T02:30:00.000Z', 'resume', 'suspended', 'active')])).toBe(4990);
  });
});
