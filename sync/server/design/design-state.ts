import type { DesignEnvironmentDoc, DesignHistoryEntry, DesignProject, DesignProjectStage, PurchaseOrder } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments, loadDocumentsByField, writeDocuments, type DocumentWrite, type StoredDocument } from '../db/documents.ts';
import { assertValidDocument } from '../validation/documents.ts';

/** What DesignState held at one moment, to go back to when a request fails half-way. */
export interface DesignStateMark {
  projects: Map<string, DesignProject>;
  environments: Map<string, DesignEnvironmentDoc>;
  purchaseOrders: number;
  changedProjects: Set<string>;
  changedEnvironments: Set<string>;
}

/**
 * The design documents one write touches, loaded set-based once, changed in memory in order, and
 * written back with one statement per collection — inside the caller's transaction, which holds the
 * store's sequence lock.
 */
export class DesignState {
  readonly projects = new Map<string, DesignProject>();
  readonly environments = new Map<string, DesignEnvironmentDoc>();
  readonly purchaseOrders: PurchaseOrder[] = [];
  private readonly changedProjects = new Set<string>();
  private readonly changedEnvironments = new Set<string>();
  /** Added to every history entry from now on: who sent the requests being applied (sentBy). */
  private sender: Pick<DesignHistoryEntry, 'senderId' | 'stationId'> = {};

  constructor(readonly storeId: string, readonly now: string) {}

  /** The session that uploaded the requests this state applies: named in every history entry they add. */
  sentBy(sender: Pick<DesignHistoryEntry, 'senderId' | 'stationId'>): void {
    this.sender = { ...sender };
  }

  /** Environments by id and every project they or `projectIds` name, with all those projects' environments. */
  async load(tx: Queryable, projectIds: readonly string[], environmentIds: readonly string[]): Promise<void> {
    const envs = await loadDocuments(tx, this.storeId, 'designEnvironments', environmentIds);
    const allProjects = new Set(projectIds);
    for (const env of live(envs)) allProjects.add(String(env.data.projectId));
    const projects = await loadDocuments(tx, this.storeId, 'designProjects', [...allProjects]);
    const siblings = await loadDocumentsByField(tx, this.storeId, 'designEnvironments', ['projectId'], [...allProjects]);
    for (const project of live(projects)) this.projects.set(project.id, project.data as unknown as DesignProject);
    for (const env of [...live(envs), ...live(siblings)]) this.environments.set(env.id, env.data as unknown as DesignEnvironmentDoc);
  }

  environmentsOf(projectId: string): DesignEnvironmentDoc[] {
    return [...this.environments.values()].filter((env) => env.projectId === projectId);
  }

  /**
   * The documents change only into ones that pass their schema: a change that would not (more items
   * or versions than allowed, a total beyond the limits) throws InvalidDocument and changes nothing.
   */
  putProject(project: DesignProject): void {
    const next = { ...project, stage: deriveProjectStage(project), updatedAt: this.now };
    assertValidDocument('designProjects', next.id, next as unknown as Record<string, unknown>);
    this.projects.set(project.id, next);
    this.changedProjects.add(project.id);
  }

  putEnvironment(env: DesignEnvironmentDoc): void {
    const next = { ...env, updatedAt: this.now };
    assertValidDocument('designEnvironments', next.id, next as unknown as Record<string, unknown>);
    this.environments.set(env.id, next);
    this.changedEnvironments.add(env.id);
  }

  addPurchaseOrders(orders: readonly PurchaseOrder[]): void {
    for (const order of orders) assertValidDocument('purchaseOrders', order.id, order as unknown as Record<string, unknown>);
    this.purchaseOrders.push(...orders);
  }

  mark(): DesignStateMark {
    return {
      projects: new Map(this.projects),
      environments: new Map(this.environments),
      purchaseOrders: this.purchaseOrders.length,
      changedProjects: new Set(this.changedProjects),
      changedEnvironments: new Set(this.changedEnvironments),
    };
  }

  /** Back to `mark`: nothing of what was put since is kept or written. */
  restore(mark: DesignStateMark): void {
    const refill = <K, V>(target: Map<K, V> | Set<K>, source: Map<K, V> | Set<K>) => {
      target.clear();
      if (target instanceof Map && source instanceof Map) for (const [key, value] of source) target.set(key, value);
      else if (target instanceof Set && source instanceof Set) for (const key of source) target.add(key);
    };
    refill(this.projects, mark.projects);
    refill(this.environments, mark.environments);
    refill(this.changedProjects, mark.changedProjects);
    refill(this.changedEnvironments, mark.changedEnvironments);
    this.purchaseOrders.splice(mark.purchaseOrders);
  }

  /** Adds a history entry to the project (kept to the schema's 2,000 newest). */
  history(projectId: string, entry: Omit<DesignHistoryEntry, 'at'>): void {
    const project = this.projects.get(projectId);
    if (!project) return;
    const note = entry.note && clip(entry.note);
    const history = [...project.history, { at: this.now, ...entry, ...this.sender, ...(note ? { note } : {}) }].slice(-2000);
    this.putProject({ ...project, history });
  }

  async save(tx: Queryable): Promise<void> {
    const writesOf = <T extends { id: string }>(ids: Iterable<string>, map: Map<string, T>): DocumentWrite[] =>
      [...ids].map((id) => ({ id, stationId: null, data: map.get(id) as unknown as Record<string, unknown>, deleted: false }));
    await writeDocuments(tx, this.storeId, 'designProjects', writesOf(this.changedProjects, this.projects));
    await writeDocuments(tx, this.storeId, 'designEnvironments', writesOf(this.changedEnvironments, this.environments));
    await writeDocuments(
      tx,
      this.storeId,
      'purchaseOrders',
      this.purchaseOrders.map((order) => ({ id: order.id, stationId: null, data: order as unknown as Record<string, unknown>, deleted: false })),
    );
  }
}

function live(found: Map<string, StoredDocument>): StoredDocument[] {
  return [...found.values()].filter((doc) => !doc.deleted);
}

/** The project's stage follows from its contract and review (DES-12, DES-13). */
export function deriveProjectStage(project: DesignProject): DesignProjectStage {
  if (project.reviewFinishedAt) return 'reviewed';
  if (project.reviewStartedAt) return 'reviewing';
  if (project.contract?.status === 'released') return 'released';
  if (project.contract) return 'converted';
  return 'negotiating';
}

export function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
