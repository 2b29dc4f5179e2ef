import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDay } from '../../sync/rules/index.ts';
import type { ContractHistoryEntry } from '../../sync/schema/index.ts';
import { lockStoreSequence, writeDocuments } from '../../sync/server/db/documents.ts';
import { backofficeClient, customer, expectRunAgreesWithRule, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { monthFromNow } from './support/periods.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

// Billing months end at the store's local midnight (São Paulo, UTC−3): 2026-11 ends at 2026-12-01T03:00Z, so
// 22:00 on 30 November in São Paulo (01:00Z on 1 December) is still November. The server stamps transitions
// with the real clock, so these contracts' histories are written as the server stores them (the path
// hardening-inputs.test.ts takes for a legacy contract): the test does not depend on today's date.
const LATE_ON_THE_30TH = '2026-12-01T01:00:00.000Z';
const SAO_PAULO_MIDNIGHT = '2026-12-01T03:00:00.000Z';
const OCTOBER = '2026-10-01T12:00:00.000Z';

let n = 0;
const entry = (at: string, action: ContractHistoryEntry['action'], from: ContractHistoryEntry['from'], to: ContractHistoryEntry['to'], extra: Partial<ContractHistoryEntry> = {}): ContractHistoryEntry => ({
  at, requestedAt: at, action, from, to, userId: 'loja1-retaguarda', requestId: `tz-req-${++n}`, ...extra,
});
const activate = (at: string) => entry(at, 'activate', 'draft', 'active');
const suspend = (at: string) => entry(at, 'suspend', 'active', 'suspended', { reason: 'Inadimplência' });
const cancel = (at: string, effectiveDate: string) => entry(at, 'cancel', 'active', 'cancelled', { reason: 'Pedido do cliente', effectiveDate });

/** Contract id → its history, and the fee it owes for November and for December (cents; 0: no receivable). */
const CONTRACTS: Record<string, { history: ContractHistoryEntry[]; november: number; december: number }> = {
  // Activated at 22:00 on 30 November (local): November's fee.
  'tz-activated-late': { history: [activate(LATE_ON_THE_30TH)], november: 5000, december: 5000 },
  // Activated at 00:00 on 1 December (local): December's only.
  'tz-activated-midnight': { history: [activate(SAO_PAULO_MIDNIGHT)], november: 0, december: 5000 },
  // Suspended at 22:00 on 30 November (local): suspended at November's end, unpaid.
  'tz-suspended-late': { history: [activate(OCTOBER), suspend(LATE_ON_THE_30TH)], november: 0, december: 0 },
  // Suspended in November, resumed at 23:30 on the 30th (local): active at the end, paid.
  'tz-resumed-late': { history: [activate(OCTOBER), suspend('2026-11-10T12:00:00.000Z'), entry('2026-12-01T02:30:00.000Z', 'resume', 'suspended', 'active')], november: 5000, december: 5000 },
  // Cancelled effective 1 December: active at November's end (the cancellation counts from 03:00Z), paid.
  'tz-cancelled-dec-1': { history: [activate(OCTOBER), cancel('2026-11-20T15:00:00.000Z', '2026-12-01')], november: 5000, december: 0 },
  // Cancelled effective 30 November: not active at November's end.
  'tz-cancelled-nov-30': { history: [activate(OCTOBER), cancel('2026-11-20T15:00:00.000Z', '2026-11-30')], november: 0, december: 0 },
};

describe('helpers', () => {
  it('BO-05 the billing tests\' current month is the store\'s (São Paulo), as the billing rule counts it', () => {
    expect(monthFromNow(0, new Date(LATE_ON_THE_30TH))).toBe('2026-11');
    expect(monthFromNow(1, new Date(LATE_ON_THE_30TH))).toBe('2026-12');
    expect(monthFromNow(0, new Date(SAO_PAULO_MIDNIGHT))).toBe('2026-12');
    expect(monthFromNow(-1, new Date('2027-01-01T02:00:00.000Z'))).toBe('2026-11');
  });
});

describe.each(DATABASE_KINDS)('billing at a month boundary on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(61)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('tz-fee')))).body).toEqual([]);
    await server.db.transaction(async (tx) => {
      await lockStoreSequence(tx, 'loja1');
      await writeDocuments(tx, 'loja1', 'backoffice', Object.entries(CONTRACTS).map(([id, { history }]) => ({
        id,
        stationId: null,
        deleted: false,
        data: {
          id, kind: 'contract', code: id.toUpperCase(), customerId: 'bo-cust-61', startDate: '2026-10-01', billingDay: 10, state: history.at(-1)!.to, history,
          lines: [{ id: `${id}-fee`, serviceId: 'tz-fee', quantity: 1 }], updatedAt: history.at(-1)!.at,
        },
      })));
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('BO-05 BO-03 the billing run counts the month in the store\'s calendar: activated or resumed at 22:00 on the 30th (São Paulo) pays that month, suspended then does not, a cancellation effective on the 1st leaves the month paid; the SQL run and the shared rule agree on every contract', async () => {
    for (const [period, owed] of [['2026-11', 'november'], ['2026-12', 'december']] as const) {
      const run = await bo.api('POST', '/billing-runs', { period });
      expect(run.status).toBe(200);
      const byContract = await expectRunAgreesWithRule(bo, period);
      const charged = Object.fromEntries(Object.keys(CONTRACTS).map((id) => [id, byContract[id]?.amountCents ?? 0]));
      expect({ period, charged }).toEqual({ period, charged: Object.fromEntries(Object.entries(CONTRACTS).map(([id, contract]) => [id, contract[owed]])) });
    }
  });

  it('BO-03 a cancellation through the API without an effective date is effective on the store\'s day it was applied (São Paulo), not the UTC day', async () => {
    expect((await bo.api('POST', '/contracts', { id: 'tz-api', code: 'TZ-API', customerId: 'bo-cust-61', startDate: '2026-10-01', billingDay: 5, lines: [{ serviceId: 'tz-fee', quantity: 1 }] })).status).toBe(201);
    expect((await bo.api('POST', '/contracts/tz-api/activate')).status).toBe(200);
    const cancelled = await bo.api('POST', '/contracts/tz-api/cancel', { reason: 'Pedido do cliente' });
    expect(cancelled.status).toBe(200);
    const applied = cancelled.body.history.at(-1) as ContractHistoryEntry;
    expect(applied).toMatchObject({ action: 'cancel', effectiveDate: storeDay(applied.at) });
  });
});
