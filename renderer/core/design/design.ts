/**
 * Design projects on this device (DES-01..16). React-free: the screens and the unit tests call the
 * same functions. Devices never write projects or environments: every request is a designAction
 * written locally (also offline) that replication uploads and the server applies or refuses with the
 * reason, which then shows on the environment itself (lastRefusal) — nothing the user did is dropped.
 */
import type { RxCollection } from 'rxdb';
import { map, type Observable } from 'rxjs';
import type { DesignAction, DesignActionKind, DesignEnvironmentDoc, DesignProject, PurchaseOrder, Role } from '../../../sync/schema/index.ts';
import { budgetRevision } from '../../../sync/rules/index.ts';
import type { BalcaoDatabase } from '../../data/database.ts';
import { isQuotaError } from '../../data/storage-health.ts';
import { DesignError } from './errors.ts';

export interface DesignDeps {
  db: BalcaoDatabase;
  userId: string;
  roles: readonly Role[];
  now?: () => Date;
  newId?: () => string;
}

export interface HandItem {
  description: string;
  quantity: number;
  unitPriceCents: number;
  productId?: string;
}

export type OccurrenceSource = NonNullable<DesignAction['occurrenceSource']>;

export interface Design {
  readonly userId: string;
  /** Who may ask for what: the server checks the same per kind (see the data contract). */
  can(kind: DesignActionKind): boolean;
  projects$(): Observable<DesignProject[]>;
  environments$(projectId?: string): Observable<DesignEnvironmentDoc[]>;
  purchaseOrders$(projectId: string): Observable<PurchaseOrder[]>;
  /** This device's requests, newest first (pending ones are shown until the server answers). */
  actions$(): Observable<DesignAction[]>;
  createProject(name: string, customerId: string): Promise<string>;
  /** Links a legacy design project (DES-15) to a store project; with `create` the store project is new. */
  linkLegacyProject(projectId: string, legacyDesignProjectId: string, create?: { name: string; customerId: string }): Promise<DesignAction>;
  /** A new store project for a legacy design project; returns its id. */
  createLegacyProject(name: string, customerId: string, legacyDesignProjectId: string): Promise<string>;
  createEnvironment(projectId: string, name: string): Promise<string>;
  updateEnvironment(environmentId: string, designRevision: number): Promise<DesignAction>;
  addItem(environmentId: string, item: HandItem): Promise<DesignAction>;
  removeItem(environmentId: string, itemId: string): Promise<DesignAction>;
  /**
   * Approves `env`'s budget as version `versionNumber` (DES-11, DES-12). `env` is the document the
   * approver is looking at: the request carries its budget revision and total (cents), and the server
   * refuses it as outdated if the budget changed before the request arrived (items added or removed).
   */
  approveBudget(env: Pick<DesignEnvironmentDoc, 'id' | 'budget'>, versionNumber: number): Promise<DesignAction>;
  releaseContract(projectId: string): Promise<DesignAction>;
  startReview(projectId: string): Promise<DesignAction>;
  finishReview(projectId: string): Promise<DesignAction>;
  /** Returns the id of the occurrence's environment. */
  createOccurrence(environmentId: string, source: OccurrenceSource): Promise<string>;
}

const BACKOFFICE_KINDS: readonly DesignActionKind[] = ['releaseContract'];
const REVIEW_KINDS: readonly DesignActionKind[] = ['startReview', 'finishReview'];

/** Per kind: releaseContract back office/admin; startReview/finishReview reviewer/admin; the rest designer/admin. */
export function mayRequest(kind: DesignActionKind, roles: readonly Role[]): boolean {
  if (roles.includes('admin')) return true;
  if (BACKOFFICE_KINDS.includes(kind)) return roles.includes('backoffice');
  if (REVIEW_KINDS.includes(kind)) return roles.includes('reviewer');
  // A reviewer's mandatory update (DES-13) is an update too.
  if (kind === 'updateEnvironment') return roles.includes('designer') || roles.includes('reviewer');
  return roles.includes('designer');
}

function collectionOf<T>(db: BalcaoDatabase, name: 'designProjects' | 'designEnvironments' | 'designActions' | 'purchaseOrders'): RxCollection<T> {
  const found = db.collections[name] as RxCollection<T> | undefined;
  // Only design roles replicate these collections.
  if (!found) throw new DesignError('forbidden');
  return found;
}

const json = <T>(docs: { toJSON(): unknown }[]): T[] => docs.map((doc) => doc.toJSON() as T);

export function createDesign(deps: DesignDeps): Design {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const projects = () => collectionOf<DesignProject>(deps.db, 'designProjects');
  const environments = () => collectionOf<DesignEnvironmentDoc>(deps.db, 'designEnvironments');
  const actions = () => collectionOf<DesignAction>(deps.db, 'designActions');
  const orders = () => collectionOf<PurchaseOrder>(deps.db, 'purchaseOrders');

  async function request(kind: DesignActionKind, fields: Omit<DesignAction, 'id' | 'kind' | 'userId' | 'requestedAt'>): Promise<DesignAction> {
    if (!mayRequest(kind, deps.roles)) throw new DesignError('forbidden');
    // Leave out empty optionals: the schema has no nulls and the server validates strictly.
    const clean = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')) as Partial<DesignAction>;
    const action: DesignAction = { id: newId(), kind, userId: deps.userId, requestedAt: now().toISOString(), ...clean };
    try {
      await actions().insert(action);
    } catch (error) {
      if (error instanceof DesignError) throw error;
      throw new DesignError(isQuotaError(error) ? 'storage_full' : 'storage_failed', String(error));
    }
    return action;
  }

  function linkLegacy(projectId: string, legacyDesignProjectId: string, create?: { name: string; customerId: string }): Promise<DesignAction> {
    if (!legacyDesignProjectId.trim()) return Promise.reject(new DesignError('legacy_id_required'));
    const newProject = create ? { newId: projectId, name: create.name.trim(), customerId: create.customerId } : {};
    return request('linkLegacyProject', { projectId, legacyDesignProjectId: legacyDesignProjectId.trim(), ...newProject });
  }

  return {
    userId: deps.userId,
    can: (kind) => mayRequest(kind, deps.roles),
    projects$: () => projects().find().$.pipe(map((docs) => json<DesignProject>(docs).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)))),
    environments$: (projectId) =>
      environments()
        .find(projectId ? { selector: { projectId } } : {})
        .$.pipe(map((docs) => json<DesignEnvironmentDoc>(docs).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name)))),
    purchaseOrders$: (projectId) => orders().find({ selector: { projectId } }).$.pipe(map((docs) => json<PurchaseOrder>(docs).sort((a, b) => a.supplier.localeCompare(b.supplier)))),
    actions$: () => actions().find().$.pipe(map((docs) => json<DesignAction>(docs).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)))),

    async createProject(name, customerId) {
      if (!name.trim()) throw new DesignError('name_required');
      if (!customerId) throw new DesignError('customer_required');
      const id = newId();
      await request('createProject', { newId: id, name: name.trim(), customerId });
      return id;
    },
    linkLegacyProject: linkLegacy,
    async createLegacyProject(name, customerId, legacyDesignProjectId) {
      if (!name.trim()) throw new DesignError('name_required');
      if (!customerId) throw new DesignError('customer_required');
      const id = newId();
      await linkLegacy(id, legacyDesignProjectId, { name, customerId });
      return id;
    },
    async createEnvironment(projectId, name) {
      if (!name.trim()) throw new DesignError('name_required');
      // The device chooses the environment's id (newId), so its "creating" row becomes the real one.
      const id = newId();
      await request('createEnvironment', { projectId, newId: id, name: name.trim() });
      return id;
    },
    updateEnvironment: (environmentId, designRevision) => request('updateEnvironment', { environmentId, designRevision }),
    addItem(environmentId, item) {
      const description = item.description.trim();
      if (!description || !Number.isInteger(item.quantity) || item.quantity < 1 || !Number.isInteger(item.unitPriceCents) || item.unitPriceCents < 0) {
        return Promise.reject(new DesignError('invalid_item'));
      }
      return request('addItem', { environmentId, item: { description, quantity: item.quantity, unitPriceCents: item.unitPriceCents, ...(item.productId ? { productId: item.productId } : {}) } });
    },
    removeItem: (environmentId, itemId) => request('removeItem', { environmentId, itemId }),
    approveBudget: (env, versionNumber) =>
      request('approveBudget', { environmentId: env.id, versionNumber, budgetRevision: budgetRevision(env), budgetTotalCents: env.budget.totalCents }),
    releaseContract: (projectId) => request('releaseContract', { projectId }),
    startReview: (projectId) => request('startReview', { projectId }),
    finishReview: (projectId) => request('finishReview', { projectId }),
    async createOccurrence(environmentId, source) {
      const id = newId();
      await request('createOccurrence', { environmentId, newId: id, occurrenceSource: source });
      return id;
    },
  };
}
