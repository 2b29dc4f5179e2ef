import { describe, expect, it } from 'vitest';
import { checkCorrections, type ConsumptionWrite } from '../../sync/rules/index.ts';
import type { ConsumptionRecord } from '../../sync/schema/index.ts';

/**
 * The correction rule of BO-04 (sync/rules/consumption-corrections.ts), judged on the writes of a
 * correction and of the record it corrects (breaker 6, finding 1: a changed or removed original left its
 * corrections netted against other usage). Quantities in the service's unit.
 */
const usage = (id: string, quantity: number, extra: Partial<ConsumptionRecord> = {}): ConsumptionRecord => ({
  id, contractId: 'ct', serviceId: 'min', quantity, date: '2026-11-05', externalId: `E-${id}`, updatedAt: '2026-11-05T00:00:00.000Z', ...extra,
});
const orig = usage('orig', 10);
const corr = usage('corr', -8, { correctsId: 'orig', date: '2026-12-01' });
const refused = (stored: ConsumptionRecord[], writes: ConsumptionWrite[]) => Object.fromEntries([...checkCorrections(stored, writes)].map(([id, error]) => [id, error.params?.kind]));

describe('BO-04 correcting records stay covered by their record', () => {
  it('BO-04 a record its corrections take 8 from may change to 8 or more, not less; the message names them', () => {
    expect(refused([orig, corr], [{ id: 'orig', next: { ...orig, quantity: 8 } }])).toEqual({});
    const [error] = checkCorrections([orig, corr], [{ id: 'orig', next: { ...orig, quantity: 1 } }]).values();
    expect(error).toMatchObject({ code: 'uncovered_correction', params: { kind: 'shrunk', record: 'E-orig', corrections: 'E-corr', takenBack: 8 } });
    expect(error!.message).toContain('E-corr');
  });

  it('BO-04 a record with live corrections cannot be removed, nor moved to another contract or service', () => {
    expect(refused([orig, corr], [{ id: 'orig', next: null }])).toEqual({ orig: 'removed' });
    expect(refused([orig, corr], [{ id: 'orig', next: { ...orig, contractId: 'ct-2' } }])).toEqual({ orig: 'moved' });
    expect(refused([orig, corr], [{ id: 'orig', next: { ...orig, serviceId: 'sms', quantity: 50 } }])).toEqual({ orig: 'moved' });
    expect(refused([orig], [{ id: 'orig', next: null }])).toEqual({});
  });

  it('BO-04 a batch is judged in upload order: corrections removed or shrunk first let their record go or shrink', () => {
    expect(refused([orig, corr], [{ id: 'corr', next: null }, { id: 'orig', next: null }])).toEqual({});
    expect(refused([orig, corr], [{ id: 'corr', next: { ...corr, quantity: -1 } }, { id: 'orig', next: { ...orig, quantity: 1 } }])).toEqual({});
    // The record first: it is refused (the correction still takes 8), the correction's change applies.
    expect(refused([orig, corr], [{ id: 'orig', next: { ...orig, quantity: 1 } }, { id: 'corr', next: { ...corr, quantity: -1 } }])).toEqual({ orig: 'shrunk' });
  });

  it("BO-04 a batch with the record's change and a new correction counts the record as changed, in order", () => {
    const more = usage('more', -15, { correctsId: 'orig', date: '2026-12-02' });
    expect(refused([orig, corr], [{ id: 'orig', next: { ...orig, quantity: 30 } }, { id: 'more', next: more }])).toEqual({});
    expect(refused([orig, corr], [{ id: 'more', next: more }, { id: 'orig', next: { ...orig, quantity: 30 } }])).toEqual({ more: 'exceeds' });
    // A refused write changes nothing: the correction after it is judged on the record as stored.
    expect(refused([orig, corr], [{ id: 'orig', next: { ...orig, quantity: 1 } }, { id: 'more', next: usage('more', -2, { correctsId: 'orig' }) }])).toEqual({ orig: 'shrunk' });
    // A new record and its correction in one upload.
    expect(refused([], [{ id: 'orig', next: orig }, { id: 'corr', next: corr }])).toEqual({});
  });

  it('BO-04 a correction names another live record of its contract and service and never overdraws it', () => {
    expect(refused([orig], [{ id: 'c', next: usage('c', -1, { correctsId: 'gone' }) }])).toEqual({ c: 'target' });
    expect(refused([orig], [{ id: 'c', next: usage('c', -1, { correctsId: 'orig', serviceId: 'sms' }) }])).toEqual({ c: 'target' });
    expect(refused([orig], [{ id: 'c', next: usage('c', 1, { correctsId: 'c' }) }])).toEqual({ c: 'target' });
    expect(refused([orig, corr], [{ id: 'c', next: usage('c', -3, { correctsId: 'orig' }) }])).toEqual({ c: 'exceeds' });
    expect(refused([orig, corr], [{ id: 'c', next: usage('c', -2, { correctsId: 'orig' }) }])).toEqual({});
    // Changing a correction counts its new quantity only once.
    expect(refused([orig, corr], [{ id: 'corr', next: { ...corr, quantity: -10 } }])).toEqual({});
  });
});
