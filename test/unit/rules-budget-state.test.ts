import { describe, expect, it } from 'vitest';
import {
  addVersion,
  announceDesignSave,
  approveBudget,
  changedAfterConversion,
  convertedVersion,
  finishReview,
  isEnvironmentOutdated,
  isVersionOutdated,
  newestVersion,
  importVersion,
  startReview,
  withBudgetItems,
  type BudgetedEnvironment,
  type RuleResult,
} from '../../sync/rules/index.ts';
import type { DesignBudgetItem, DesignEnvironmentDoc } from '../../sync/schema/index.ts';

function value<T>(result: RuleResult<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const empty: BudgetedEnvironment = { id: 'env-1', name: 'Cozinha', stage: 'negotiating', latestDesignRevision: 0, versions: [], items: [], budget: { subtotalCents: 0, discountCents: 0, totalCents: 0, markupBp: 0 } };
const imported = (env: BudgetedEnvironment, revision: number) =>
  value(addVersion(env, { id: `v-${revision}`, optionName: 'Opção A', importedAt: `2026-11-2${revision}T10:00:00Z`, designId: `dsg-${revision}`, designRevision: revision }));

describe('design budget versions (DES-07, DES-08)', () => {
  it('DES-08 every update becomes a new numbered version; the newest is the highest number', () => {
    const env = imported(imported(empty, 1), 2);
    expect(env.versions.map((v) => [v.id, v.number])).toEqual([['v-1', 1], ['v-2', 2]]);
    expect(newestVersion(env)?.id).toBe('v-2');
    expect(isVersionOutdated(env, env.versions[0]!)).toBe(true);
    expect(isVersionOutdated(env, env.versions[1]!)).toBe(false);
  });

  it('DES-07 an announced save newer than the newest version marks the environment outdated', () => {
    const env = imported(empty, 1);
    expect(isEnvironmentOutdated(env)).toBe(false);
    const announced = value(announceDesignSave(env, 2));
    expect(isEnvironmentOutdated(announced)).toBe(true);
    expect(value(announceDesignSave(announced, 1)).latestDesignRevision).toBe(2);
    expect(isEnvironmentOutdated(imported(announced, 2))).toBe(false);
    expect(isEnvironmentOutdated(empty)).toBe(true);
  });
});

describe('approval, conversion and review (DES-11..14)', () => {
  it('DES-11 a budget of an outdated project can never be approved', () => {
    const env = value(announceDesignSave(imported(empty, 1), 2));
    const refused = approveBudget(env, 'v-1', '2026-11-23T12:00:00Z');
    expect(refused).toMatchObject({ ok: false, error: { code: 'outdated_version', message: expect.stringMatching(/Update the environment/) } });
    const older = imported(imported(empty, 1), 2);
    expect(approveBudget(older, 'v-1', '2026-11-23T12:00:00Z')).toMatchObject({ ok: false, error: { code: 'outdated_version' } });
    expect(approveBudget(older, 'v-9', '2026-11-23T12:00:00Z')).toMatchObject({ ok: false, error: { code: 'unknown_version' } });
  });

  it('DES-12 approving converts the environment and marks the converted version', () => {
    const env = value(approveBudget(imported(empty, 1), 'v-1', '2026-11-23T12:00:00Z'));
    expect(env.stage).toBe('converted');
    expect(convertedVersion(env)).toMatchObject({ id: 'v-1', convertedAt: '2026-11-23T12:00:00Z' });
    expect(approveBudget(env, 'v-1', '2026-11-23T13:00:00Z')).toMatchObject({ ok: false, error: { code: 'already_converted' } });
  });

  it('DES-13 changes after conversion are flagged; review needs financial release and the latest data', () => {
    const converted = value(approveBudget(imported(empty, 1), 'v-1', '2026-11-23T12:00:00Z'));
    expect(changedAfterConversion(converted)).toBe(false);
    expect(startReview(converted, false)).toMatchObject({ ok: false, error: { code: 'not_released' } });
    expect(startReview(empty, true)).toMatchObject({ ok: false, error: { code: 'not_converted' } });
    const changed = value(announceDesignSave(value(startReview(converted, true)), 2));
    expect(changedAfterConversion(changed)).toBe(true);
    expect(finishReview(changed, '2026-11-24T09:00:00Z')).toMatchObject({ ok: false, error: { code: 'review_outdated' } });
    expect(finishReview(converted, '2026-11-24T09:00:00Z')).toMatchObject({ ok: false, error: { code: 'not_in_review' } });
    const reviewed = value(finishReview(imported(changed, 2), '2026-11-24T09:00:00Z'));
    expect(reviewed).toMatchObject({ stage: 'reviewed', reviewFinishedAt: '2026-11-24T09:00:00Z' });
    expect(convertedVersion(reviewed)?.id).toBe('v-1');
  });

  it('DES-14 after the review finished, design changes are refused', () => {
    const converted = value(approveBudget(imported(empty, 1), 'v-1', '2026-11-23T12:00:00Z'));
    const reviewed = value(finishReview(value(startReview(converted, true)), '2026-11-24T09:00:00Z'));
    expect(announceDesignSave(reviewed, 2)).toMatchObject({ ok: false, error: { code: 'review_finished' } });
    expect(addVersion(reviewed, { id: 'v-2', optionName: 'A', importedAt: '2026-11-25T00:00:00Z', designId: 'd', designRevision: 2 })).toMatchObject({
      ok: false,
      error: { code: 'review_finished' },
    });
  });
});

describe('budget guards on the designEnvironments document', () => {
  it('DES-12 the guards take the schema document and keep every other field of it', () => {
    const doc: DesignEnvironmentDoc = {
      id: 'env-9', projectId: 'prj-1', name: 'Sala', status: 'ready', stage: 'negotiating', latestDesignRevision: 1,
      versions: [{ id: 'v-1', number: 1, optionName: 'A', importedAt: '2026-11-23T10:00:00Z', designId: 'dsg-1', designRevision: 1 }],
      items: [{ id: 'h1', origin: 'manual', description: 'Frete', quantity: 1, unitPriceCents: 100, discountCents: 0, totalCents: 100 }],
      budget: { subtotalCents: 100, discountCents: 0, totalCents: 100, markupBp: 0 },
      createdAt: '2026-11-23T10:00:00Z', updatedAt: '2026-11-23T10:00:00Z',
    };
    const converted = value(approveBudget(doc, 'v-1', '2026-11-23T12:00:00Z'));
    expect(converted).toMatchObject({ projectId: 'prj-1', status: 'ready', stage: 'converted', items: doc.items, budget: doc.budget });
    expect(converted.versions[0]!.convertedAt).toBe('2026-11-23T12:00:00Z');
  });
});

describe('an approval names the budget its approver saw (DES-11)', () => {
  const line = (id: string, origin: DesignBudgetItem['origin'], cents: number): DesignBudgetItem => ({ id, origin, description: id, quantity: 1, unitPriceCents: cents, discountCents: 0, totalCents: cents });
  const AT = '2026-11-23T12:00:00Z';
  const version1 = value(importVersion(empty, { id: 'v-1', optionName: 'A', importedAt: '2026-11-21T10:00:00Z', designId: 'dsg-1', designRevision: 1 }, [line('d-1', 'design', 412_100)]));

  it('DES-08 DES-11 every change of the items moves the budget to a new revision; a version records the one its import produced', () => {
    expect(version1.budget).toMatchObject({ totalCents: 412_100, revision: 1 });
    expect(version1.versions[0]!.budgetRevision).toBe(1);
    const withHand = withBudgetItems(version1, [...version1.items, line('h-1', 'manual', 9_000_000)]);
    expect(withHand.budget).toMatchObject({ totalCents: 9_412_100, revision: 2 });
    // The next import keeps the hand line (DES-09) and records revision 3.
    const version2 = value(importVersion({ ...withHand, latestDesignRevision: 2 }, { id: 'v-2', optionName: 'A', importedAt: '2026-11-22T10:00:00Z', designId: 'dsg-2', designRevision: 2 }, [line('d-1', 'design', 400_000)]));
    expect(version2.items.map((item) => item.id)).toEqual(['d-1', 'h-1']);
    expect(version2.versions.map((version) => version.budgetRevision)).toEqual([1, 3]);
    expect(version2.budget).toMatchObject({ totalCents: 9_400_000, revision: 3 });
  });

  it('DES-11 an approval of a budget that changed after the approver looked is refused as outdated; the one seen is approved', () => {
    const seen = { revision: 1, totalCents: 412_100 };
    const changed = withBudgetItems(version1, [...version1.items, line('h-1', 'manual', 9_000_000)]);
    expect(approveBudget(changed, 'v-1', AT, seen)).toMatchObject({ ok: false, error: { code: 'outdated_budget', params: { totalCents: 9_412_100 }, message: expect.stringMatching(/412100 cents.*9412100 cents.*approve it again/) } });
    // Added and removed again: the same total, but not the budget the approver saw.
    const back = withBudgetItems(changed, version1.items);
    expect(approveBudget(back, 'v-1', AT, seen)).toMatchObject({ ok: false, error: { code: 'outdated_budget' } });
    expect(approveBudget(version1, 'v-1', AT, { revision: 1, totalCents: 412_000 })).toMatchObject({ ok: false, error: { code: 'outdated_budget' } });
    expect(value(approveBudget(version1, 'v-1', AT, seen)).stage).toBe('converted');
    expect(value(approveBudget(changed, 'v-1', AT, { revision: 2, totalCents: 9_412_100 })).stage).toBe('converted');
  });

  it('DES-11 an approval from an app without the budget fields stands only while the budget is what its version imported', () => {
    expect(value(approveBudget(version1, 'v-1', AT)).stage).toBe('converted');
    const changed = withBudgetItems(version1, [...version1.items, line('h-1', 'manual', 9_000_000)]);
    expect(approveBudget(changed, 'v-1', AT)).toMatchObject({ ok: false, error: { code: 'outdated_budget', message: expect.stringMatching(/an earlier state of it/) } });
    // Documents stored before revisions existed read as revision 0 on both sides.
    const stored: BudgetedEnvironment = { ...version1, budget: { subtotalCents: 412_100, discountCents: 0, totalCents: 412_100, markupBp: 0 }, versions: version1.versions.map(({ budgetRevision: _r, ...version }) => version) };
    expect(value(approveBudget(stored, 'v-1', AT)).stage).toBe('converted');
    expect(approveBudget(withBudgetItems(stored, stored.items), 'v-1', AT)).toMatchObject({ ok: false, error: { code: 'outdated_budget' } });
  });
});
