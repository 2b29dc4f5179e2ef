/**
 * What the design screens show about an environment, derived from the server-written documents and the
 * device's own requests (designActions) that the server has not answered yet.
 */
import type { DesignAction, DesignEnvironmentDoc, DesignProject, DesignVersion } from '../../../sync/schema/index.ts';
import { changedAfterConversion, hasPendingSave, newestVersion } from '../../../sync/rules/index.ts';

export { newestVersion };

/**
 * The yellow mark (DES-07): the design software announced a save newer than the newest version. An
 * environment that was never saved in the design software (revision 0, no versions) has nothing to import.
 */
export function isOutdated(env: DesignEnvironmentDoc): boolean {
  // The server answers `outdated` to the design software with the same rule.
  return env.status === 'ready' && hasPendingSave(env);
}

/** Changes imported after the conversion, flagged for the reviewer (DES-13). */
export function isChangedAfterConversion(env: DesignEnvironmentDoc): boolean {
  return env.versions.some((version) => version.afterConversion) || changedAfterConversion(env);
}

export function sortedVersions(env: DesignEnvironmentDoc): DesignVersion[] {
  return [...env.versions].sort((a, b) => b.number - a.number);
}

/** Where the latest approval request of this environment stands, as far as this device knows. */
export type ApprovalState =
  | { kind: 'none' }
  | { kind: 'waiting'; action: DesignAction }
  | { kind: 'refused'; code: string; message: string; at: string; actionId: string }
  | { kind: 'approved'; versionNumber: number; at?: string };

/**
 * Refusal codes only an approval gets on an environment: a changed design (`outdated_version`) or a
 * budget changed after the approver looked (`outdated_budget`), so another device's refusal with one
 * of them is an approval's.
 */
export function isApprovalRefusalCode(code: string): boolean {
  return code === 'outdated_version' || code === 'outdated_budget';
}

export function approvalState(env: DesignEnvironmentDoc, actions: readonly DesignAction[]): ApprovalState {
  const mine = actions.filter((action) => action.kind === 'approveBudget' && action.environmentId === env.id).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const latest = mine[0];
  if (env.budget.approvedVersionNumber !== undefined) return { kind: 'approved', versionNumber: env.budget.approvedVersionNumber, at: env.budget.approvedAt };
  // Only refusals of approvals count here; another device's request is unknown, and an outdated
  // refusal is then an approval (the only request the server refuses for that reason on an environment).
  const refused = env.lastRefusal;
  const refusal = refused && (mine.some((action) => action.id === refused.actionId) || (!actions.some((action) => action.id === refused.actionId) && isApprovalRefusalCode(refused.code))) ? refused : undefined;
  // A refusal answers the latest attempt only when it names it.
  if (refusal && (!latest || refusal.actionId === latest.id)) {
    return { kind: 'refused', code: refusal.code, message: refusal.message, at: refusal.at, actionId: refusal.actionId };
  }
  // An attempt older than the newest version was answered (the server clears the refusal once the
  // environment is updated); a newer one is still on its way. Device and server clocks may differ a
  // little: the worst case is a few seconds of "waiting" shown or skipped, never a wrong approval.
  const newest = newestVersion(env);
  if (latest && (!newest || latest.requestedAt > newest.importedAt)) return { kind: 'waiting', action: latest };
  if (refusal && !mine.some((action) => action.id === refusal.actionId)) {
    return { kind: 'refused', code: refusal.code, message: refusal.message, at: refusal.at, actionId: refusal.actionId };
  }
  return { kind: 'none' };
}

/**
 * Environments this device asked for that the server has not created yet (DES-04): shown as
 * "creating" next to the real ones so the designer sees every request, also offline.
 */
export interface PendingEnvironment {
  actionId: string;
  id: string;
  name: string;
  requestedAt: string;
}

export function pendingEnvironments(projectId: string, environments: readonly DesignEnvironmentDoc[], actions: readonly DesignAction[]): PendingEnvironment[] {
  const known = new Set(environments.map((env) => env.id));
  return actions
    .filter((action) => action.kind === 'createEnvironment' && action.projectId === projectId && !known.has(action.newId ?? action.id))
    .map((action) => ({ actionId: action.id, id: action.newId ?? action.id, name: action.name ?? '', requestedAt: action.requestedAt }))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}

/** Projects this device created that the server has not stored yet (offline). */
export function pendingProjects(projects: readonly DesignProject[], actions: readonly DesignAction[]): DesignAction[] {
  const known = new Set(projects.map((project) => project.id));
  return actions.filter((action) => (action.kind === 'createProject' || (action.kind === 'linkLegacyProject' && action.name)) && action.newId && !known.has(action.newId));
}

/**
 * The reviewer's access forces the update (DES-13): while the review is open, environments with
 * changes not yet imported must be updated before the reviewer sees anything else; finishing the
 * review needs them imported anyway (purchase orders come from the reviewed data, DES-14).
 */
export function mandatoryUpdates(project: DesignProject, environments: readonly DesignEnvironmentDoc[]): DesignEnvironmentDoc[] {
  if (project.stage !== 'released' && project.stage !== 'reviewing') return [];
  return environments.filter((env) => env.stage !== 'reviewed' && isOutdated(env));
}
