import type { DesignAction, DesignEnvironmentDoc, DesignProject, PurchaseOrder, QuarantineReason, Role } from '../../schema/index.ts';
import {
  approveBudget,
  canChangeDesign,
  finishReview,
  importVersion,
  manualItem,
  newestVersion,
  startReview,
  sumCents,
  withBudgetItems,
  type RuleError,
} from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import type { DocumentWrite, StoredDocument } from '../db/documents.ts';
import type { Refusal } from '../rules/rule.ts';
import { designSettings } from './accounts.ts';
import { clip, DesignState } from './design-state.ts';
import { enqueueJobs, type JobRequest } from './jobs-queue.ts';
import { InvalidDocument } from '../validation/documents.ts';

/**
 * Applies designers', reviewers' and the back office's requests (designActions) inside the push
 * transaction, in upload order, with the same guards whether the request was made online or offline.
 * A refused request is not applied: it goes to quarantine with the reason, and the environment
 * (lastRefusal) and the project's history say why, so the UI can tell the user (DES-11).
 */
type Handler = (ctx: ActionContext, action: DesignAction) => Outcome;
/** A refusal: `reason` is the quarantine's kind; `code`, when finer, what the environment's lastRefusal shows. */
type Outcome = { ok: true } | { ok: false; reason: QuarantineReason; message: string; environmentId?: string; code?: string };

interface ActionContext {
  state: DesignState;
  markupBp: number;
  jobs: JobRequest[];
}

const DESIGNERS: readonly Role[] = ['designer', 'admin'];
const ALLOWED: Record<DesignAction['kind'], readonly Role[]> = {
  createProject: DESIGNERS,
  linkLegacyProject: DESIGNERS,
  createEnvironment: DESIGNERS,
  // The reviewer's first access makes the update mandatory (DES-13), so reviewers update too.
  updateEnvironment: ['designer', 'reviewer', 'admin'],
  addItem: DESIGNERS,
  removeItem: DESIGNERS,
  approveBudget: DESIGNERS,
  releaseContract: ['backoffice', 'admin'],
  startReview: ['reviewer', 'admin'],
  finishReview: ['reviewer', 'admin'],
  createOccurrence: DESIGNERS,
};

const ROLE_NAMES: Record<string, string> = { designer: 'designers', reviewer: 'reviewers', backoffice: 'back-office users', admin: 'administrators' };

const OK: Outcome = { ok: true };

function refused(reason: QuarantineReason, message: string, environmentId?: string): Outcome {
  return { ok: false, reason, message: clip(message), ...(environmentId ? { environmentId } : {}) };
}

const OUTDATED: readonly RuleError['code'][] = ['outdated_version', 'outdated_budget', 'review_outdated'];

function fromRule(error: RuleError, environmentId?: string): Outcome {
  const reason: QuarantineReason = OUTDATED.includes(error.code) ? 'outdated_version' : error.code === 'unknown_version' ? 'unknown_reference' : 'invalid_transition';
  // A changed budget is refused as outdated, like a changed design; the environment says which (lastRefusal.code).
  return { ...refused(reason, error.message, environmentId), ...(error.code === 'outdated_budget' ? { code: error.code } : {}) };
}

function missingProject(action: DesignAction): Outcome {
  return refused('unknown_reference', `Project ${action.projectId ?? '(none)'} is not known to the server. Reload the projects list and try again from the project's page.`);
}

function missingEnvironment(action: DesignAction): Outcome {
  return refused('unknown_reference', `Environment ${action.environmentId ?? '(none)'} is not known to the server. Reload the project and try again.`);
}

function need<K extends keyof DesignAction>(action: DesignAction, fields: K[]): Outcome | null {
  const missing = fields.filter((field) => action[field] === undefined || action[field] === '');
  return missing.length === 0 ? null : refused('invalid_transition', `A ${action.kind} request needs ${missing.join(', ')}. Update the app and make the request again.`);
}

const createProject: Handler = ({ state, jobs }, action) => {
  const lacking = need(action, ['newId', 'name', 'customerId']);
  if (lacking) return lacking;
  if (state.projects.has(action.newId!)) return OK;
  // The customer may still be on its way (another collection's upload): the background job waits for it.
  state.putProject({
    id: action.newId!,
    name: action.name!,
    customerId: action.customerId!,
    designerUserId: action.userId,
    legacy: false,
    stage: 'negotiating',
    history: [{ at: state.now, kind: 'created', userId: action.userId }],
    createdAt: state.now,
    updatedAt: state.now,
  });
  jobs.push({ kind: 'create_project', key: action.newId!, payload: { projectId: action.newId! } });
  return OK;
};

const linkLegacyProject: Handler = ({ state, jobs }, action) => {
  const lacking = need(action, ['projectId', 'legacyDesignProjectId']);
  if (lacking) return lacking;
  let project = state.projects.get(action.projectId!);
  if (!project) {
    if (!action.name || !action.customerId) return missingProject(action);
    project = { id: action.projectId!, name: action.name, customerId: action.customerId, designerUserId: action.userId, legacy: true, stage: 'negotiating', history: [], createdAt: state.now, updatedAt: state.now };
  }
  if (project.designProjectId === action.legacyDesignProjectId) return OK;
  if (state.environmentsOf(project.id).some((env) => env.designEnvironmentId)) {
    return refused('invalid_transition', `Project "${project.name}" already has environments in the design software (design project ${project.designProjectId ?? '?'}); a legacy project can only be linked to a project without them. Create a new store project for it.`);
  }
  state.putProject({ ...project, designProjectId: action.legacyDesignProjectId!, legacy: true });
  state.history(project.id, { kind: 'legacy_linked', userId: action.userId, note: `design project ${action.legacyDesignProjectId}` });
  jobs.push({ kind: 'import_legacy', key: project.id, payload: { projectId: project.id } });
  return OK;
};

function newEnvironment(state: DesignState, markupBp: number, fields: Pick<DesignEnvironmentDoc, 'id' | 'projectId' | 'name' | 'status'> & Partial<DesignEnvironmentDoc>): DesignEnvironmentDoc {
  return {
    stage: 'negotiating',
    latestDesignRevision: 0,
    versions: [],
    items: [],
    budget: { subtotalCents: 0, discountCents: 0, totalCents: 0, markupBp },
    createdAt: state.now,
    updatedAt: state.now,
    ...fields,
  };
}

const createEnvironment: Handler = ({ state, markupBp, jobs }, action) => {
  const lacking = need(action, ['projectId', 'newId', 'name']);
  if (lacking) return lacking;
  if (state.environments.has(action.newId!)) return OK;
  const project = state.projects.get(action.projectId!);
  if (!project) return missingProject(action);
  if (project.stage === 'reviewed') {
    return refused('invalid_transition', `The review of project "${project.name}" is finished; new environments are not accepted. Open a technical assistance occurrence instead.`);
  }
  state.putEnvironment(newEnvironment(state, markupBp, { id: action.newId!, projectId: project.id, name: action.name!, status: 'creating' }));
  state.history(project.id, { kind: 'environment_created', environmentId: action.newId!, userId: action.userId });
  jobs.push({ kind: 'create_environment', key: action.newId!, payload: { environmentId: action.newId! } });
  return OK;
};

const updateEnvironment: Handler = ({ state }, action) => {
  const env = state.environments.get(action.environmentId ?? '');
  if (!env) return missingEnvironment(action);
  const allowed = canChangeDesign(env);
  if (!allowed.ok) return fromRule(allowed.error, env.id);
  const newest = newestVersion(env);
  const save = env.latestSave;
  if (!save || (newest && save.designRevision <= newest.designRevision)) {
    // Another device already imported this save: the request is fulfilled.
    if (newest && (action.designRevision ?? 0) <= newest.designRevision) return OK;
    return refused('invalid_transition', `Environment "${env.name}" has no save from the design software to import yet. Save it in the design software, then update.`, env.id);
  }
  const number = (newest?.number ?? 0) + 1;
  const imported = importVersion(
    env,
    {
      id: `${env.id}-v${number}`,
      optionName: save.optionName,
      importedAt: state.now,
      importedBy: action.userId,
      designId: save.designId,
      designRevision: save.designRevision,
      ...(env.stage === 'negotiating' ? {} : { afterConversion: true }),
    },
    save.items,
  );
  if (!imported.ok) return fromRule(imported.error, env.id);
  const { lastRefusal: _settled, ...updated } = imported.value;
  state.putEnvironment(updated);
  state.history(env.projectId, { kind: 'version_imported', environmentId: env.id, versionNumber: number, userId: action.userId });
  return OK;
};

function editableItems(env: DesignEnvironmentDoc): Outcome | null {
  if (env.stage === 'negotiating' || env.stage === 'reviewing') return null;
  return refused('invalid_transition', `The budget of environment "${env.name}" is ${env.stage === 'converted' ? 'approved' : 'reviewed'}; its items cannot change now.${env.stage === 'converted' ? ' The reviewer can adjust them during the review.' : ' Open a technical assistance occurrence instead.'}`, env.id);
}

const addItem: Handler = ({ state }, action) => {
  const env = state.environments.get(action.environmentId ?? '');
  if (!env) return missingEnvironment(action);
  if (!action.item) return need(action, ['item'])!;
  const locked = editableItems(env);
  if (locked) return locked;
  if (env.items.some((item) => item.id === action.id)) return OK;
  state.putEnvironment(withBudgetItems(env, [...env.items, manualItem(action.id, action.item)]));
  return OK;
};

const removeItem: Handler = ({ state }, action) => {
  const env = state.environments.get(action.environmentId ?? '');
  if (!env) return missingEnvironment(action);
  const item = env.items.find((candidate) => candidate.id === action.itemId);
  if (!item) return OK;
  if (item.origin === 'design') {
    return refused('invalid_transition', `"${item.description}" comes from the design software; change it there and update the environment. Only items added by hand can be removed here.`, env.id);
  }
  const locked = editableItems(env);
  if (locked) return locked;
  state.putEnvironment(withBudgetItems(env, env.items.filter((candidate) => candidate.id !== item.id)));
  return OK;
};

const approve: Handler = ({ state }, action) => {
  const env = state.environments.get(action.environmentId ?? '');
  if (!env) return missingEnvironment(action);
  const version = env.versions.find((candidate) => candidate.number === action.versionNumber);
  if (!version) {
    return refused('unknown_reference', `Environment "${env.name}" has no version ${action.versionNumber ?? '(none)'}. Choose a version from its Versions tab.`, env.id);
  }
  const approved = approveBudget(env, version.id, state.now, { revision: action.budgetRevision, totalCents: action.budgetTotalCents });
  if (!approved.ok) return fromRule(approved.error, env.id);
  const { lastRefusal: _settled, ...converted } = approved.value;
  state.putEnvironment({
    ...converted,
    budget: {
      ...converted.budget,
      approvedVersionNumber: version.number,
      approvedAt: state.now,
      approvedBy: action.userId,
      ...(action.paymentConditionId ? { paymentConditionId: action.paymentConditionId } : {}),
    },
  });
  const project = state.projects.get(env.projectId);
  if (project && !project.contract) state.putProject({ ...project, contract: { status: 'awaiting_release', convertedAt: state.now } });
  state.history(env.projectId, { kind: 'converted', environmentId: env.id, versionNumber: version.number, userId: action.userId });
  return OK;
};

const releaseContract: Handler = ({ state }, action) => {
  const project = state.projects.get(action.projectId ?? '');
  if (!project) return missingProject(action);
  if (project.contract?.status === 'released') return OK;
  if (!project.contract) return refused('invalid_transition', `Project "${project.name}" has no contract yet: a budget must be approved first.`);
  state.putProject({ ...project, contract: { ...project.contract, status: 'released', releasedAt: state.now, releasedBy: action.userId } });
  state.history(project.id, { kind: 'financially_released', userId: action.userId });
  return OK;
};

const beginReview: Handler = ({ state }, action) => {
  const project = state.projects.get(action.projectId ?? '');
  if (!project) return missingProject(action);
  if (project.reviewStartedAt) return OK;
  if (project.contract?.status !== 'released') {
    return refused('invalid_transition', `The contract of project "${project.name}" is not financially released yet. Ask the back office to release it, then start the review.`);
  }
  for (const env of state.environmentsOf(project.id)) {
    if (env.stage !== 'converted') continue;
    const started = startReview(env, true);
    if (!started.ok) return fromRule(started.error, env.id);
    state.putEnvironment(started.value);
  }
  state.putProject({ ...project, reviewerUserId: project.reviewerUserId ?? action.userId, reviewStartedAt: state.now });
  state.history(project.id, { kind: 'review_started', userId: action.userId });
  return OK;
};

const NO_SUPPLIER = 'Sem fornecedor';

/** One purchase order per supplier from the reviewed items (DES-14); ids are fixed, so a retry cannot double them. */
function purchaseOrdersOf(project: DesignProject, envs: readonly DesignEnvironmentDoc[], now: string): PurchaseOrder[] {
  const bySupplier = new Map<string, PurchaseOrder['items']>();
  for (const env of envs) {
    for (const item of env.items) {
      const supplier = item.supplier ?? NO_SUPPLIER;
      const lines = bySupplier.get(supplier) ?? [];
      lines.push({ environmentId: env.id, ...(item.code ? { code: item.code } : {}), description: item.description, quantity: item.quantity, unitPriceCents: item.unitPriceCents, totalCents: item.totalCents });
      bySupplier.set(supplier, lines);
    }
  }
  return [...bySupplier.keys()].sort().map((supplier, index) => {
    const items = bySupplier.get(supplier)!;
    return { id: `${project.id}-po-${index + 1}`, projectId: project.id, supplier, items, totalCents: sumCents(items.map((item) => item.totalCents)), createdAt: now };
  });
}

const endReview: Handler = ({ state }, action) => {
  const project = state.projects.get(action.projectId ?? '');
  if (!project) return missingProject(action);
  if (project.reviewFinishedAt) return OK;
  if (!project.reviewStartedAt) return refused('invalid_transition', `The review of project "${project.name}" has not started. Start the review first.`);
  const reviewing = state.environmentsOf(project.id).filter((env) => env.stage === 'reviewing');
  const finished: DesignEnvironmentDoc[] = [];
  for (const env of reviewing) {
    const done = finishReview(env, state.now);
    if (!done.ok) return fromRule(done.error, env.id);
    finished.push(done.value);
  }
  finished.forEach((env) => state.putEnvironment(env));
  const orders = purchaseOrdersOf(project, finished, state.now);
  state.addPurchaseOrders(orders);
  state.putProject({ ...project, reviewFinishedAt: state.now });
  state.history(project.id, { kind: 'review_finished', userId: action.userId });
  state.history(project.id, { kind: 'purchase_orders_created', userId: action.userId, note: `${orders.length} purchase order(s): ${orders.map((order) => order.supplier).join(', ')}` });
  return OK;
};

const createOccurrence: Handler = ({ state, markupBp, jobs }, action) => {
  const lacking = need(action, ['environmentId', 'newId', 'occurrenceSource']);
  if (lacking) return lacking;
  if (state.environments.has(action.newId!)) return OK;
  const original = state.environments.get(action.environmentId!);
  if (!original) return missingEnvironment(action);
  if (original.stage !== 'reviewed') {
    return refused('invalid_transition', `Environment "${original.name}" is not reviewed yet; technical assistance occurrences are opened after the review. Change the environment itself instead.`, original.id);
  }
  if (action.occurrenceSource === 'copy' && !original.designEnvironmentId) {
    return refused('invalid_transition', `Environment "${original.name}" has no design-software file to copy. Open the occurrence on a blank file or with items added by hand.`, original.id);
  }
  const number = state.environmentsOf(original.projectId).filter((env) => env.occurrence?.ofEnvironmentId === original.id).length + 1;
  const source = action.occurrenceSource!;
  state.putEnvironment(
    newEnvironment(state, markupBp, {
      id: action.newId!,
      projectId: original.projectId,
      name: clip(`${original.name} ocorrência: ${number}`, 200),
      status: source === 'manual' ? 'ready' : 'creating',
      occurrence: { ofEnvironmentId: original.id, number, source },
    }),
  );
  state.history(original.projectId, { kind: 'occurrence_created', environmentId: action.newId!, userId: action.userId, note: `${original.name} ocorrência: ${number} (${source})` });
  if (source !== 'manual') jobs.push({ kind: 'create_environment', key: action.newId!, payload: { environmentId: action.newId! } });
  return OK;
};

const HANDLERS: Record<DesignAction['kind'], Handler> = {
  createProject,
  linkLegacyProject,
  createEnvironment,
  updateEnvironment,
  addItem,
  removeItem,
  approveBudget: approve,
  releaseContract,
  startReview: beginReview,
  finishReview: endReview,
  createOccurrence,
};

/**
 * A fault in one request must not stall the device's whole upload: the request is kept aside instead,
 * and whatever it changed before the fault is undone. A request whose result would break the design
 * documents' schema (more items or versions than allowed, totals beyond the limits) is refused so.
 */
function safely(ctx: ActionContext, action: DesignAction): Outcome {
  const mark = ctx.state.mark();
  const jobs = ctx.jobs.length;
  try {
    const outcome = HANDLERS[action.kind](ctx, action);
    if (!outcome.ok) {
      ctx.state.restore(mark);
      ctx.jobs.splice(jobs);
    }
    return outcome;
  } catch (error) {
    ctx.state.restore(mark);
    ctx.jobs.splice(jobs);
    if (error instanceof InvalidDocument || error instanceof RangeError) {
      return refused('invalid_value', `This ${action.kind} request would leave ${error instanceof InvalidDocument ? `${error.collection} ${error.id}` : 'the budget'} beyond the limits (${error instanceof InvalidDocument ? `field ${error.field} ${error.problem}` : error.message}). Change the request (fewer items, smaller quantities or prices) and make it again.`, action.environmentId);
    }
    return refused('invalid_transition', `The server could not apply this ${action.kind} request (${error instanceof Error ? error.message : String(error)}). It is kept in the integration errors; tell support.`);
  }
}

function permitted(action: DesignAction, roles: readonly Role[]): Outcome {
  const allowed = ALLOWED[action.kind];
  if (roles.some((role) => allowed.includes(role))) return OK;
  return refused('not_permitted', `Only ${allowed.map((role) => ROLE_NAMES[role] ?? role).join(' or ')} may ${action.kind}. Ask one of them to do it.`);
}

/**
 * Who uploaded a batch of requests: the session's user, its roles and the paired station it signed in
 * on (null: a session without one, e.g. a script or integration). Absent for the server's own writes.
 */
export interface ActionSender {
  userId: string;
  roles: readonly Role[];
  stationId: string | null;
}

/**
 * Whether the request's author (`action.userId`) may have made it and the sender may upload it.
 * A station's device keeps one local database for every user who signs in on it, also offline, so
 * it uploads the requests of whoever made them: the author need not be the sender, and the server
 * cannot tell who else signed in there offline (the device alone keeps those sign-ins), so it records
 * the sender beside the author instead (history senderId/stationId). What it can tell, it refuses:
 * - an author who is no user of this store;
 * - another author from a session without a paired station: nobody else signs in on such a session,
 *   so the request can only be the sender's own;
 * - an author, or a sender (unless an administrator), without a role that may make the request.
 */
function authorship(action: DesignAction, authorRoles: readonly Role[] | undefined, sender: ActionSender | undefined): Outcome {
  if (!authorRoles) {
    return refused('not_permitted', `This ${action.kind} request names ${action.userId} as its author, who is not a user of this store. Make the request again signed in as yourself.`);
  }
  if (sender && sender.userId !== action.userId && sender.stationId === null) {
    return refused(
      'not_permitted',
      `This ${action.kind} request names ${action.userId} as its author but was sent by ${sender.userId} from a session without a paired station, where only the signed-in user makes requests. Make the request signed in as its author, or upload it from the station where it was made.`,
    );
  }
  const byAuthor = permitted(action, authorRoles);
  if (!byAuthor.ok || !sender || sender.roles.includes('admin')) return byAuthor;
  return permitted(action, sender.roles);
}

/** What the project or environment shows when a request is refused. */
function recordRefusal(state: DesignState, action: DesignAction, outcome: Extract<Outcome, { ok: false }>): void {
  const env = state.environments.get(outcome.environmentId ?? action.environmentId ?? '');
  if (env) state.putEnvironment({ ...env, lastRefusal: { actionId: action.id, at: state.now, code: outcome.code ?? outcome.reason, message: outcome.message } });
  const projectId = env?.projectId ?? action.projectId ?? '';
  state.history(projectId, {
    kind: action.kind === 'approveBudget' ? 'approval_refused' : 'action_refused',
    ...(env ? { environmentId: env.id } : {}),
    ...(action.versionNumber ? { versionNumber: action.versionNumber } : {}),
    userId: action.userId,
    note: `${action.kind}: ${outcome.message}`,
  });
}

/**
 * Applies the accepted new actions of a push; returns those the guards refused (they must be
 * quarantined instead of stored). Actions already stored (a retried push) never get here.
 */
export async function applyDesignActions(
  tx: Queryable,
  storeId: string,
  accepted: readonly DocumentWrite[],
  previous: ReadonlyMap<string, StoredDocument>,
  refusedBefore: ReadonlySet<string> = new Set(),
  /** The session that uploaded the actions (absent: the server itself); see `authorship`. */
  sender?: ActionSender,
): Promise<Map<string, Refusal>> {
  const refusals = new Map<string, Refusal>();
  const actions = accepted.filter((write) => !write.deleted && !previous.has(write.id)).map((write) => write.data as unknown as DesignAction);
  if (actions.length === 0) return refusals;

  const userIds = [...new Set(actions.map((action) => action.userId))];
  const users = await tx.query<{ id: string; roles: Role[] }>('SELECT id, roles FROM users WHERE store_id = $1 AND id = ANY($2::text[])', [storeId, userIds]);
  const rolesOf = new Map(users.map((user) => [user.id, user.roles]));
  const state = new DesignState(storeId, new Date().toISOString());
  const projectIds = actions.flatMap((action) => [action.projectId, action.kind === 'createProject' ? action.newId : undefined]).filter((id): id is string => !!id);
  await state.load(tx, projectIds, actions.map((action) => action.environmentId).filter((id): id is string => !!id));
  const ctx: ActionContext = { state, markupBp: (await designSettings(tx, storeId)).markupBp, jobs: [] };

  // The trail names who uploaded each request and from where, beside its author (DES-12, POS-16).
  if (sender) state.sentBy({ senderId: sender.userId, ...(sender.stationId ? { stationId: sender.stationId } : {}) });
  for (const action of actions) {
    let outcome = authorship(action, rolesOf.get(action.userId), sender);
    if (outcome.ok) outcome = safely(ctx, action);
    if (outcome.ok) continue;
    refusals.set(action.id, { reason: outcome.reason, message: outcome.message });
    if (!refusedBefore.has(action.id)) recordRefusal(state, action, outcome);
  }
  await state.save(tx);
  await enqueueJobs(tx, storeId, ctx.jobs);
  return refusals;
}
