/**
 * The design core on the device: the item-by-item diff before an update, the yellow mark, the notices
 * raised by saves, the requests written as designActions (memory RxDB) and the approval state the UI shows.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { DesignAction, DesignBudgetItem, DesignEnvironmentDoc, DesignProject } from '../../sync/schema/index.ts';
import { createDatabase, type BalcaoDatabase } from '../../renderer/data/database.ts';
import { diffItems } from '../../renderer/core/design/diff.ts';
import { approvalState, isOutdated, mandatoryUpdates, pendingEnvironments } from '../../renderer/core/design/view.ts';
import { MAX_POPUPS_AT_ONCE, NoticeCenter, detectSaves, type DesignNotice } from '../../renderer/core/design/notices.ts';
import { createDesign, mayRequest } from '../../renderer/core/design/design.ts';
import { DesignError } from '../../renderer/core/design/errors.ts';

const item = (code: string, quantity: number, unitPriceCents: number, origin: DesignBudgetItem['origin'] = 'design'): DesignBudgetItem => ({
  id: `${origin}-${code}`,
  origin,
  code,
  description: `Peça ${code}`,
  quantity,
  unitPriceCents,
  discountCents: 0,
  totalCents: quantity * unitPriceCents,
});

function env(patch: Partial<DesignEnvironmentDoc> = {}): DesignEnvironmentDoc {
  return {
    id: 'env-1',
    projectId: 'prj-1',
    name: 'Cozinha',
    status: 'ready',
    stage: 'negotiating',
    latestDesignRevision: 1,
    versions: [{ id: 'v1', number: 1, optionName: 'Opção A', importedAt: '2026-01-01T10:00:00.000Z', designId: 'd-1', designRevision: 1 }],
    items: [],
    budget: { subtotalCents: 0, discountCents: 0, totalCents: 0, markupBp: 0 },
    createdAt: '2026-01-01T09:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...patch,
  };
}

function project(patch: Partial<DesignProject> = {}): DesignProject {
  return { id: 'prj-1', name: 'Casa', customerId: 'c1', designerUserId: 'u-designer', legacy: false, stage: 'negotiating', history: [], createdAt: '2026-01-01T09:00:00.000Z', updatedAt: '2026-01-01T09:00:00.000Z', ...patch };
}

describe('design diff before an update', () => {
  it('DES-08 DES-09 lists added, changed and removed design items and ignores hand-added ones', () => {
    const current = [item('A', 2, 1000), item('B', 1, 500), item('C', 1, 300), item('H', 1, 9999, 'manual')];
    const incoming = [item('A', 3, 1000), item('B', 1, 500), item('D', 4, 250)];
    const diff = diffItems(current, incoming);
    expect(diff.changes.map((c) => [c.kind, c.key])).toEqual([
      ['added', 'code:D'],
      ['changed', 'code:A'],
      ['removed', 'code:C'],
      ['unchanged', 'code:B'],
    ]);
    expect(diff).toMatchObject({ added: 1, changed: 1, removed: 1, deltaCents: 1000 + 1000 - 300 });
    expect(diff.changes.find((c) => c.key === 'code:A')).toMatchObject({ before: { quantity: 2 }, after: { quantity: 3 } });
  });
});

describe('design environment view', () => {
  it('DES-07 the yellow mark shows only when a save is newer than the newest version', () => {
    expect(isOutdated(env())).toBe(false);
    expect(isOutdated(env({ latestDesignRevision: 2 }))).toBe(true);
    expect(isOutdated(env({ latestDesignRevision: 0, versions: [] }))).toBe(false);
    expect(isOutdated(env({ status: 'creating', latestDesignRevision: 3 }))).toBe(false);
  });

  it('DES-11 the approval state follows the latest request: waiting, then refused with the reason, then approved', () => {
    const action = (id: string, at: string): DesignAction => ({ id, kind: 'approveBudget', userId: 'u', requestedAt: at, environmentId: 'env-1', versionNumber: 1 });
    expect(approvalState(env(), [])).toEqual({ kind: 'none' });
    expect(approvalState(env(), [action('a1', '2026-01-02T00:00:00Z')]).kind).toBe('waiting');
    const refusal = { actionId: 'a1', at: '2026-01-02T00:00:01Z', code: 'outdated_version', message: 'update first' };
    expect(approvalState(env({ lastRefusal: refusal }), [action('a1', '2026-01-02T00:00:00Z')])).toMatchObject({ kind: 'refused', code: 'outdated_version', message: 'update first' });
    // A newer attempt waits even though the older one was refused.
    expect(approvalState(env({ lastRefusal: refusal }), [action('a1', '2026-01-02T00:00:00Z'), action('a2', '2026-01-03T00:00:00Z')]).kind).toBe('waiting');
    // Updated since (the server cleared the refusal): the old attempt is answered, nothing waits.
    expect(approvalState(env({ versions: [...env().versions, { id: 'v2', number: 2, optionName: 'B', importedAt: '2026-01-02T00:00:05Z', designId: 'd-2', designRevision: 2 }] }), [action('a1', '2026-01-02T00:00:00Z')])).toEqual({ kind: 'none' });
    // A refused hand item is not an approval refusal.
    const item: DesignAction = { id: 'i1', kind: 'addItem', userId: 'u', requestedAt: '2026-01-02T00:00:00Z', environmentId: 'env-1' };
    expect(approvalState(env({ lastRefusal: { ...refusal, actionId: 'i1', code: 'invalid_transition' } }), [item])).toEqual({ kind: 'none' });
    // Someone else's refused attempt still shows, also one refused because the budget changed after they looked.
    expect(approvalState(env({ lastRefusal: refusal }), []).kind).toBe('refused');
    expect(approvalState(env({ lastRefusal: { ...refusal, code: 'outdated_budget' } }), [])).toMatchObject({ kind: 'refused', code: 'outdated_budget' });
    expect(approvalState(env({ lastRefusal: refusal, budget: { subtotalCents: 0, discountCents: 0, totalCents: 0, markupBp: 0, approvedVersionNumber: 2 } }), [])).toMatchObject({ kind: 'approved', versionNumber: 2 });
  });

  it('DES-04 environments requested here show as creating until the server has them', () => {
    const create = (id: string, newId: string): DesignAction => ({ id, kind: 'createEnvironment', userId: 'u', requestedAt: `2026-01-0${id.slice(-1)}T00:00:00Z`, projectId: 'prj-1', newId, name: `Amb ${id}` });
    const pending = pendingEnvironments('prj-1', [env({ id: 'e1' })], [create('a1', 'e1'), create('a2', 'e2'), create('a3', 'e3')]);
    expect(pending.map((p) => p.id)).toEqual(['e2', 'e3']);
  });

  it('DES-13 a released project forces the update of outdated environments', () => {
    const envs = [env({ id: 'e1', latestDesignRevision: 2, stage: 'converted' }), env({ id: 'e2' })];
    expect(mandatoryUpdates(project({ stage: 'negotiating' }), envs)).toEqual([]);
    expect(mandatoryUpdates(project({ stage: 'released' }), envs).map((e) => e.id)).toEqual(['e1']);
  });
});

describe('design notices', () => {
  it('DES-05 each raised revision that leaves the environment outdated is one notice, never repeated', () => {
    const all = () => true;
    let state = detectSaves({}, [env()], all, 't0');
    expect(state.notices).toEqual([]);
    state = detectSaves(state.seen, [env({ latestDesignRevision: 2 })], all, 't1');
    expect(state.notices.map((n) => n.id)).toEqual(['env-1:2']);
    expect(detectSaves(state.seen, [env({ latestDesignRevision: 2 })], all, 't2').notices).toEqual([]);
    // Seen for the first time while outdated (a save arrived while the device was away): one notice.
    expect(detectSaves({}, [env({ latestDesignRevision: 3 })], all, 't3').notices.map((n) => n.designRevision)).toEqual([3]);
    expect(detectSaves({ 'env-1': 1 }, [env({ latestDesignRevision: 2 })], () => false, 't4').notices).toEqual([]);
  });

  it('DES-05 DES-07 the notice centre notifies in the app and natively, opens on click, persists and settles after the update', async () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const shown: DesignNotice[] = [];
    const opened: string[] = [];
    const settled: string[] = [];
    const sink = { show: (n: DesignNotice) => void shown.push(n), native: async () => true, open: (n: DesignNotice) => void opened.push(n.id), settled: (n: DesignNotice) => void settled.push(n.id), summary: () => undefined };
    const projects = new Map([['prj-1', project()]]);
    const center = new NoticeCenter(storage, 'u-designer', sink);
    center.observe([env()], projects, false);
    center.observe([env({ latestDesignRevision: 2 })], projects, false);
    expect(shown.map((n) => n.id)).toEqual(['env-1:2']);
    // The native notification answers "clicked" asynchronously; the centre then opens the notice.
    await vi.waitFor(() => expect(opened).toEqual(['env-1:2']));
    // A reload (new centre on the same storage) does not repeat it.
    const again = new NoticeCenter(storage, 'u-designer', sink);
    again.observe([env({ latestDesignRevision: 2 })], projects, false);
    expect(shown).toHaveLength(1);
    expect(again.current.map((n) => n.doneAt)).toEqual([undefined]);
    again.observe([env({ latestDesignRevision: 2, versions: [...env().versions, { id: 'v2', number: 2, optionName: 'B', importedAt: 'x', designId: 'd-2', designRevision: 2 }] })], projects, false);
    expect(again.current[0]?.doneAt).toBeDefined();
    expect(settled).toEqual(['env-1:2']);
    // Another designer's project does not notify this user.
    const other = new NoticeCenter(storage, 'u-other', sink);
    other.observe([env()], projects, false);
    other.observe([env({ latestDesignRevision: 5 })], projects, false);
    expect(shown).toHaveLength(1);
  });
});

describe('design requests', () => {
  let db: BalcaoDatabase | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('DES-04 DES-09 DES-11 writes immutable designActions with the ids the UI needs, guarded per role', async () => {
    db = await createDatabase(`design_test_${Date.now()}`, ['designer'], getRxStorageMemory() as never);
    let n = 0;
    const design = createDesign({ db, userId: 'u-designer', roles: ['designer'], newId: () => `id-${++n}`, now: () => new Date('2026-02-01T12:00:00Z') });
    const projectId = await design.createProject('Casa Silva', 'c1');
    const envA = await design.createEnvironment(projectId, 'Cozinha');
    const envB = await design.createEnvironment(projectId, 'Quarto');
    await design.addItem(envA, { description: 'Puxador extra', quantity: 2, unitPriceCents: 1250 });
    await design.approveBudget({ id: envA, budget: { subtotalCents: 412_100, discountCents: 0, totalCents: 412_100, markupBp: 0, revision: 3 } }, 1);
    await expect(design.addItem(envA, { description: ' ', quantity: 1, unitPriceCents: 1 })).rejects.toBeInstanceOf(DesignError);
    await expect(design.finishReview(projectId)).rejects.toMatchObject({ code: 'forbidden' });
    const actions = await firstValueFrom(design.actions$());
    expect(actions.map((a) => a.kind).sort()).toEqual(['addItem', 'approveBudget', 'createEnvironment', 'createEnvironment', 'createProject']);
    expect(actions.find((a) => a.kind === 'createProject')).toMatchObject({ newId: projectId, name: 'Casa Silva', customerId: 'c1', userId: 'u-designer', requestedAt: '2026-02-01T12:00:00.000Z' });
    expect(actions.filter((a) => a.kind === 'createEnvironment').map((a) => a.newId)).toEqual(expect.arrayContaining([envA, envB]));
    expect(actions.find((a) => a.kind === 'addItem')?.item).toEqual({ description: 'Puxador extra', quantity: 2, unitPriceCents: 1250 });
    // DES-11 the approval carries the budget the approver saw (its revision and total).
    expect(actions.find((a) => a.kind === 'approveBudget')).toMatchObject({ environmentId: envA, versionNumber: 1, budgetRevision: 3, budgetTotalCents: 412_100 });
  });

  it('DES-13 DES-14 only the back office releases, only reviewers review; everyone with a design role may update', () => {
    expect(mayRequest('releaseContract', ['designer'])).toBe(false);
    expect(mayRequest('releaseContract', ['backoffice'])).toBe(true);
    expect(mayRequest('finishReview', ['reviewer'])).toBe(true);
    expect(mayRequest('approveBudget', ['reviewer'])).toBe(false);
    expect(mayRequest('updateEnvironment', ['reviewer'])).toBe(true);
    expect(mayRequest('approveBudget', ['admin'])).toBe(true);
  });

  it('DES-05 a burst of saves gets three pop-ups and one summary; every notice is still listed', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const shown: string[] = [];
    const native: string[] = [];
    const summaries: number[] = [];
    const sink = { show: (n: DesignNotice) => void shown.push(n.id), native: async (n: DesignNotice) => (native.push(n.id), false), open: () => undefined, summary: (count: number) => void summaries.push(count) };
    const projects = new Map([['prj-1', project()]]);
    const center = new NoticeCenter(storage, 'u-designer', sink);
    const eight = Array.from({ length: 8 }, (_, i) => env({ id: `env-${i}`, latestDesignRevision: 2 }));
    center.observe(eight, projects, false);
    expect(shown).toHaveLength(MAX_POPUPS_AT_ONCE);
    expect(native).toEqual(shown);
    expect(summaries).toEqual([8 - MAX_POPUPS_AT_ONCE]);
    expect(center.current).toHaveLength(8);
    // One more save later is a burst of one: its own pop-up, no summary.
    center.observe([...eight.slice(1), env({ id: 'env-0', latestDesignRevision: 3 })], projects, false);
    expect(shown).toHaveLength(MAX_POPUPS_AT_ONCE + 1);
    expect(summaries).toEqual([8 - MAX_POPUPS_AT_ONCE]);
  });
});
