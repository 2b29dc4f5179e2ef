import type { DesignBudgetItem, DesignEnvironmentDoc, DesignVersion } from '../schema/index.ts';
import { budgetTotals, mergeDesignItems } from './design-budget.ts';
import { ok, refuse, type RuleResult } from './result.ts';

/**
 * Design environments, their budget versions and the guards around approval (DES-07, 08, 11–14).
 * The functions take the part of the `designEnvironments` document they need and return a new
 * document of the same type, so the station (offline) and the server apply the same guards.
 *
 * "Outdated" compares revisions, not clocks: every save the design software announces (DES-05) gets
 * the next revision number of its environment, and a version remembers the revision it was imported
 * from. A designer's clock can be wrong; the order of announcements cannot.
 */
export type EnvironmentStage = DesignEnvironmentDoc['stage'];

/** 1, 2, 3… in import order; the highest is the newest (green mark, DES-08); `convertedAt` is the conversion mark (DES-12). */
export type BudgetVersion = DesignVersion;

export type DesignEnvironment = Pick<DesignEnvironmentDoc, 'id' | 'name' | 'stage' | 'latestDesignRevision' | 'reviewFinishedAt'> & {
  versions: readonly BudgetVersion[];
};

export type NewVersion = Omit<BudgetVersion, 'number' | 'convertedAt' | 'budgetRevision'>;

/** An environment with its budget: what approving and changing the items need. */
export type BudgetedEnvironment = DesignEnvironment & Pick<DesignEnvironmentDoc, 'items' | 'budget'>;

/**
 * What the approver saw when approving (DES-11), sent with the approval: the budget's `revision`
 * and its `totalCents` (integer cents). Either may be absent (an app from before they existed).
 */
export interface SeenBudget {
  revision?: number;
  totalCents?: number;
}

/** The budget's revision: 0 for environments stored before revisions existed. */
export function budgetRevision(env: { readonly budget: { readonly revision?: number } }): number {
  return env.budget.revision ?? 0;
}

/**
 * The environment after its budget lines changed (a version imported, an item added or removed by
 * hand): new totals in cents and the next budget revision, so an approval made before the change no
 * longer names this budget (DES-11). Approval fields stay. Throws RangeError past safe-integer cents.
 */
export function withBudgetItems<E extends Pick<DesignEnvironmentDoc, 'items' | 'budget'>>(env: E, items: DesignBudgetItem[]): E {
  return { ...env, items, budget: { ...env.budget, ...budgetTotals(items), revision: budgetRevision(env) + 1 } };
}

/** The highest-numbered version; only the versions are read, so any document with them will do. */
export function newestVersion<V extends Pick<BudgetVersion, 'number'>>(env: { readonly versions: readonly V[] }): V | undefined {
  let newest: V | undefined;
  for (const version of env.versions) if (!newest || version.number > newest.number) newest = version;
  return newest;
}

export function convertedVersion(env: DesignEnvironment): BudgetVersion | undefined {
  return env.versions.find((version) => version.convertedAt !== undefined);
}

/** A version is outdated when a newer version exists or the design software saved after it (DES-11). */
export function isVersionOutdated(env: DesignEnvironment, version: BudgetVersion): boolean {
  const newest = newestVersion(env);
  return version.designRevision < env.latestDesignRevision || (newest !== undefined && version.number < newest.number);
}

/** The yellow mark of the environments grid (DES-07): the design software has changes not yet imported. */
export function isEnvironmentOutdated(env: DesignEnvironment): boolean {
  const newest = newestVersion(env);
  return newest === undefined || newest.designRevision < env.latestDesignRevision;
}

/** Design changes after conversion are flagged for the reviewer (DES-13). */
export function changedAfterConversion(env: DesignEnvironment): boolean {
  const converted = convertedVersion(env);
  return converted !== undefined && isVersionOutdated(env, converted);
}

/** After the review finished, purchase orders exist: the design software's changes are refused (DES-14). */
export function canChangeDesign(env: DesignEnvironment): RuleResult<true> {
  if (env.stage !== 'reviewed') return ok(true);
  return refuse('review_finished', `The review of environment "${env.name}" is finished and purchase orders were generated; design changes are no longer accepted. Open a technical assistance occurrence instead.`, { environment: env.name });
}

/** Records a save the design software announced (DES-05); older or repeated announcements change nothing. */
export function announceDesignSave<E extends DesignEnvironment>(env: E, revision: number): RuleResult<E> {
  const allowed = canChangeDesign(env);
  if (!allowed.ok) return allowed;
  return ok({ ...env, latestDesignRevision: Math.max(env.latestDesignRevision, revision) });
}

/** Every update from the design software becomes a new, numbered version (DES-08). */
export function addVersion<E extends DesignEnvironment>(env: E, version: NewVersion): RuleResult<E> {
  const allowed = canChangeDesign(env);
  if (!allowed.ok) return allowed;
  const number = (newestVersion(env)?.number ?? 0) + 1;
  return ok({
    ...env,
    latestDesignRevision: Math.max(env.latestDesignRevision, version.designRevision),
    versions: [...env.versions, { ...version, number }],
  });
}

/**
 * Imports a design save as the next version (DES-08): its design lines replace the environment's, the
 * hand-added ones stay (DES-09), and the version records the budget revision its import produced.
 */
export function importVersion<E extends BudgetedEnvironment>(env: E, version: NewVersion, designItems: readonly DesignBudgetItem[]): RuleResult<E> {
  const added = addVersion(env, version);
  if (!added.ok) return added;
  const revision = budgetRevision(env) + 1;
  const versions = added.value.versions.map((candidate) => (candidate.id === version.id ? { ...candidate, budgetRevision: revision } : candidate));
  return ok(withBudgetItems({ ...added.value, versions }, mergeDesignItems(env.items, designItems)));
}

/**
 * Whether the budget is still the one the approver saw (DES-11). With `seen` (today's app), its
 * revision and total must be the budget's. Without either (an app from before, possibly offline for
 * days), the approval names only a version: it stands only when the budget is still exactly what that
 * version's import produced, i.e. nobody added or removed an item since, so the version alone says
 * what the approver saw. Otherwise the server cannot know, and refuses rather than guess.
 */
function budgetSeen(env: BudgetedEnvironment, version: BudgetVersion, seen: SeenBudget): boolean {
  if (seen.revision === undefined && seen.totalCents === undefined) return budgetRevision(env) === (version.budgetRevision ?? 0);
  if (seen.revision !== undefined && seen.revision !== budgetRevision(env)) return false;
  return seen.totalCents === undefined || seen.totalCents === env.budget.totalCents;
}

/**
 * Approving a budget converts the environment and marks the version (DES-11, DES-12). `seen` is the
 * budget the approver saw (SeenBudget); a budget changed since is refused as `outdated_budget`.
 */
export function approveBudget<E extends BudgetedEnvironment>(env: E, versionId: string, at: string, seen: SeenBudget = {}): RuleResult<E> {
  const version = env.versions.find((candidate) => candidate.id === versionId);
  if (!version) {
    return refuse('unknown_version', `Version ${versionId} does not belong to environment "${env.name}". Reload the environment and choose a version from its list.`, { environment: env.name, versionId });
  }
  if (env.stage !== 'negotiating') {
    return refuse('already_converted', `Environment "${env.name}" was already converted; its budget cannot be approved again.`, { environment: env.name });
  }
  if (isVersionOutdated(env, version)) {
    return refuse('outdated_version', `The budget of version ${version.number} cannot be approved: the project changed in the design software since. Update the environment, check the new budget and approve that one.`, { environment: env.name, version: version.number });
  }
  if (!budgetSeen(env, version, seen)) {
    const saw = seen.totalCents === undefined ? 'an earlier state of it' : `${seen.totalCents} cents`;
    return refuse(
      'outdated_budget',
      `The budget of version ${version.number} of "${env.name}" changed after it was looked at for approval (items added or removed by hand): the approval was for ${saw}, the budget is now ${env.budget.totalCents} cents. Check the budget's items and approve it again.`,
      { environment: env.name, version: version.number, totalCents: env.budget.totalCents },
    );
  }
  return ok({
    ...env,
    stage: 'converted',
    versions: env.versions.map((candidate) => (candidate.id === versionId ? { ...candidate, convertedAt: at } : candidate)),
  });
}

/** The reviewer starts once the contract is financially released (DES-13). */
export function startReview<E extends DesignEnvironment>(env: E, financiallyReleased: boolean): RuleResult<E> {
  if (env.stage === 'reviewing') return ok(env);
  if (env.stage !== 'converted') {
    return refuse('not_converted', `Environment "${env.name}" cannot be reviewed now: it must be converted and not yet reviewed.`, { environment: env.name, stage: env.stage });
  }
  if (!financiallyReleased) {
    return refuse('not_released', `The contract of environment "${env.name}" is not financially released yet. Ask the finance team to release it, then review.`, { environment: env.name });
  }
  return ok({ ...env, stage: 'reviewing' });
}

/**
 * Finishing the review generates purchase orders from the reviewed data (DES-14), so it must be the
 * latest data: an outdated environment has to be updated first (the mandatory update of DES-13).
 */
export function finishReview<E extends DesignEnvironment>(env: E, at: string): RuleResult<E> {
  if (env.stage !== 'reviewing') {
    return refuse('not_in_review', `Environment "${env.name}" is not under review; start the review first.`, { environment: env.name, stage: env.stage });
  }
  if (isEnvironmentOutdated(env)) {
    return refuse('review_outdated', `Environment "${env.name}" has changes in the design software that were not imported. Update it, check the items and finish the review again.`, { environment: env.name });
  }
  return ok({ ...env, stage: 'reviewed', reviewFinishedAt: at });
}
