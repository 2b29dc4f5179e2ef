import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createDatabase, type BalcaoDatabase } from '../../renderer/data/database.ts';
import { BackofficeRefused, cacheReceivables, cachedReceivables, displayedState, pendingRequests, removeConsumption, requestTransition, saveConsumption, saveCorrection, standingQuantity } from '../../renderer/core/backoffice/backoffice.ts';
import { dryRunConsumption } from '../../renderer/core/backoffice/sheets/imports.ts';
import { CONSUMPTION_COLUMNS, matchHeaders, standingUsage } from '../../sync/rules/index.ts';
import type { ConsumptionRecord, ContractDoc, Receivable, ServiceDoc } from '../../sync/schema/index.ts';

let counter = 0;
let db: BalcaoDatabase | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

const contract: ContractDoc = {
  id: 'ct', kind: 'contract', code: 'C-1', customerId: 'cu', startDate: '2026-10-01', billingDay: 10, state: 'active', updatedAt: '2026-11-01T00:00:00.000Z',
  lines: [{ id: 'l', serviceId: 'min', quantity: 1 }],
  history: [{ at: '2026-10-01T00:00:00.000Z', action: 'activate', from: 'draft', to: 'active', userId: 'u', requestId: 'r0' }],
};
const usage = (id: string, date: string, quantity = 5): ConsumptionRecord => ({ id, contractId: 'ct', serviceId: 'min', quantity, date, externalId: id, updatedAt: '2026-11-01T00:00:00.000Z' });
const receivable = (period: string): Receivable => ({
  id: `r-${period}`, customerId: 'cu', contractId: 'ct', period, dueDate: '2026-12-10', amountCents: 100, status: 'open', lines: [], createdAt: '2026-12-01T00:00:00.000Z', paidAt: null, cancelledAt: null, cancelReason: null, changedBy: null,
});

async function open(): Promise<BalcaoDatabase> {
  db = await createDatabase(`backoffice_test_${Date.now()}_${counter++}`, ['backoffice'], getRxStorageMemory() as never);
  return db;
}

describe('back office on the device (BO-03, BO-04, BO-05)', () => {
  it('BO-03 offline transition requests are checked against the displayed state and stored to upload', async () => {
    const local = await open();
    const now = '2026-11-10T12:00:00.000Z';
    await requestTransition(local, contract, 'suspend', { id: 'r1', userId: 'u', now, reason: 'Férias' });
    await expect(requestTransition(local, contract, 'suspend', { id: 'r2', userId: 'u', now, reason: 'x' })).rejects.toMatchObject({ error: { code: 'invalid_transition' } });
    await expect(requestTransition(local, contract, 'cancel', { id: 'r3', userId: 'u', now })).rejects.toBeInstanceOf(BackofficeRefused);
    await requestTransition(local, contract, 'resume', { id: 'r4', userId: 'u', now: '2026-11-11T12:00:00.000Z' });
    const pending = await pendingRequests(local, contract);
    expect(pending.map((request) => request.id)).toEqual(['r1', 'r4']);
    expect(displayedState(contract, pending.slice(0, 1), now)).toBe('suspended');
    expect(displayedState(contract, pending, now)).toBe('active');
    // Once the server applied them, they are in the history and no longer pending.
    const applied = { ...contract, history: [...contract.history!, { at: now, action: 'suspend' as const, to: 'suspended' as const, userId: 'u', requestId: 'r1' }] };
    expect((await pendingRequests(local, applied)).map((request) => request.id)).toEqual(['r4']);
  });

  it('BO-03 a request the server refused does not decide the next transition: after a refused suspension the contract can be suspended again', async () => {
    const local = await open();
    const now = '2026-11-10T12:00:00.000Z';
    await requestTransition(local, contract, 'suspend', { id: 'r1', userId: 'u', now, reason: 'Férias' });
    // Counted as pending, r1 makes the contract look suspended: a second suspension is refused.
    await expect(requestTransition(local, contract, 'suspend', { id: 'r2', userId: 'u', now, reason: 'x' })).rejects.toMatchObject({ error: { code: 'invalid_transition' } });
    // The server refused r1 (it is in the refusal list): the contract is active as the server has it.
    await requestTransition(local, contract, 'suspend', { id: 'r2', userId: 'u', now, reason: 'De novo' }, new Set(['r1']));
    expect((await pendingRequests(local, contract)).map((request) => request.id)).toEqual(['r1', 'r2']);
  });

  it('BO-04 BO-05 a billed period (from the cached receivables, offline) closes its records; a correction goes to an open period', async () => {
    const local = await open();
    await saveConsumption(local, usage('k1', '2026-11-05'), contract);
    await cacheReceivables(local, { receivables: [receivable('2026-11')], totals: { count: 1, amountCents: 100, byStatus: { open: { count: 1, amountCents: 100 }, paid: { count: 0, amountCents: 0 }, overdue: { count: 0, amountCents: 0 }, cancelled: { count: 0, amountCents: 0 } } }, nextCursor: null }, '2026-12-01T00:00:00.000Z');
    expect((await cachedReceivables(local))?.list.receivables).toHaveLength(1);
    await expect(saveConsumption(local, usage('k1', '2026-11-05', 7), contract)).rejects.toMatchObject({ error: { code: 'billed_period', message: expect.stringMatching(/correcting record/) } });
    await expect(removeConsumption(local, 'k1')).rejects.toMatchObject({ error: { code: 'billed_period' } });
    await expect(saveConsumption(local, usage('k2', '2026-11-06'), contract)).rejects.toMatchObject({ error: { code: 'billed_period' } });
    const fix = await saveCorrection(local, usage('k1', '2026-11-05'), 7, contract, { id: 'k3', date: '2026-12-02', updatedAt: '2026-12-02T00:00:00.000Z' });
    expect(fix).toMatchObject({ quantity: 2, correctsId: 'k1' });
    expect((await local.collections.consumption!.findOne('k3').exec())?.toJSON()).toMatchObject({ quantity: 2 });
    await expect(saveConsumption(local, { ...usage('k4', '2026-12-03'), serviceId: 'other' }, contract)).rejects.toMatchObject({ error: { code: 'unknown_service' } });
  });

  it('BO-04 a second correction of a billed record starts from what it counts now: 10 corrected to 7, then to 5, makes −3 then −2 and the record counts 5', async () => {
    const local = await open();
    const original = usage('k1', '2026-11-05', 10);
    await saveConsumption(local, original, contract);
    await cacheReceivables(local, { receivables: [receivable('2026-11')], totals: { count: 1, amountCents: 100, byStatus: { open: { count: 1, amountCents: 100 }, paid: { count: 0, amountCents: 0 }, overdue: { count: 0, amountCents: 0 }, cancelled: { count: 0, amountCents: 0 } } }, nextCursor: null }, '2026-12-01T00:00:00.000Z');
    expect(await standingQuantity(local, original)).toBe(10);
    const first = await saveCorrection(local, original, 7, contract, { id: 'c1', date: '2026-12-02', updatedAt: '2026-12-02T00:00:00.000Z' });
    expect(first.quantity).toBe(-3);
    expect(await standingQuantity(local, original)).toBe(7);
    const second = await saveCorrection(local, original, 5, contract, { id: 'c2', date: '2026-12-03', updatedAt: '2026-12-03T00:00:00.000Z' });
    expect(second.quantity).toBe(-2);
    expect(await standingQuantity(local, original)).toBe(5);
    // Back up to 9: the correction adds what is missing.
    expect((await saveCorrection(local, original, 9, contract, { id: 'c3', date: '2026-12-04', updatedAt: '2026-12-04T00:00:00.000Z' })).quantity).toBe(4);
    const all = (await local.collections.consumption!.find().exec()).map((doc) => doc.toJSON() as ConsumptionRecord);
    expect(all.reduce((total, record) => total + record.quantity, 0)).toBe(9);
  });

  it('BO-04 corrections of corrections count: R 10, C1 +2 on R, C2 −2 on C1; correcting R, or C1, to 11 makes +1 on R and the item counts 11', async () => {
    const local = await open();
    const r = usage('r', '2026-11-05', 10);
    await saveConsumption(local, r, contract);
    const c1 = { ...usage('c1', '2026-12-02', 2), correctsId: 'r' };
    await saveConsumption(local, c1, contract);
    await saveConsumption(local, { ...usage('c2', '2027-01-03', -2), correctsId: 'c1' }, contract);
    expect(standingUsage(r, [c1, { ...usage('c2', '2027-01-03', -2), correctsId: 'c1' }, usage('other', '2026-11-06', 50)])).toBe(10);
    expect(await standingQuantity(local, r)).toBe(10);
    // A correcting record's form counts its usage item, not itself.
    expect(await standingQuantity(local, c1)).toBe(10);
    const fix = await saveCorrection(local, c1, 11, contract, { id: 'c3', date: '2027-02-01', updatedAt: '2027-02-01T00:00:00.000Z' });
    expect(fix).toMatchObject({ quantity: 1, correctsId: 'r' });
    const all = (await local.collections.consumption!.find().exec()).map((doc) => doc.toJSON() as ConsumptionRecord);
    expect(all.reduce((total, record) => total + record.quantity, 0)).toBe(11);
    expect(await standingQuantity(local, r)).toBe(11);
  });

  it('BO-04 offline, a record its corrections take from cannot shrink below them or be removed; once they go, it can', async () => {
    const local = await open();
    await saveConsumption(local, usage('k1', '2026-11-05', 10), contract);
    await saveConsumption(local, { ...usage('c1', '2026-12-01', -8), correctsId: 'k1' }, contract);
    await expect(saveConsumption(local, usage('k1', '2026-11-05', 1), contract)).rejects.toMatchObject({ error: { code: 'uncovered_correction', params: { kind: 'shrunk', corrections: 'c1' } } });
    await expect(removeConsumption(local, 'k1')).rejects.toMatchObject({ error: { code: 'uncovered_correction', params: { kind: 'removed' } } });
    await expect(saveConsumption(local, { ...usage('c2', '2026-12-01', -3), correctsId: 'k1' }, contract)).rejects.toMatchObject({ error: { code: 'uncovered_correction', params: { kind: 'exceeds' } } });
    expect((await local.collections.consumption!.findOne('k1').exec())?.toJSON()).toMatchObject({ quantity: 10 });
    await saveConsumption(local, usage('k1', '2026-11-05', 8), contract);
    await removeConsumption(local, 'c1');
    await removeConsumption(local, 'k1');
    expect(await local.collections.consumption!.count().exec()).toBe(0);
  });

  it('BO-04 the spreadsheet dry run refuses a row that shrinks a record below its corrections, naming them; the other rows import', async () => {
    const local = await open();
    await saveConsumption(local, usage('k1', '2026-11-05', 10), contract);
    await saveConsumption(local, usage('k2', '2026-11-06', 10), contract);
    await saveConsumption(local, { ...usage('c1', '2026-12-01', -8), correctsId: 'k1' }, contract);
    const header = CONSUMPTION_COLUMNS.map((column) => column.header);
    const sheet = { header, rows: [['k1', 'C-1', 'MIN', '05/11/2026', '1', ''], ['k2', 'C-1', 'MIN', '06/11/2026', '1', '']] };
    const service = { id: 'min', kind: 'service', code: 'MIN', name: 'Minutos', active: true, unitPriceCents: 10, updatedAt: '2026-11-01T00:00:00.000Z' } as ServiceDoc;
    const run = await dryRunConsumption(local, sheet, matchHeaders(header, CONSUMPTION_COLUMNS).mapping, { contracts: [contract], services: [service], now: '2026-12-02T00:00:00.000Z', newId: () => 'new' });
    expect(run.writes.map((write) => write.doc.id)).toEqual(['k2']);
    expect(run.errors).toEqual([expect.objectContaining({ row: 2, reasonEn: expect.stringContaining('c1') })]);
  });
});
