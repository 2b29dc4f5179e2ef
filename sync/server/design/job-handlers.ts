import { createHash } from 'node:crypto';
import type { Customer, DesignEnvironmentDoc } from '../../schema/index.ts';
import type { Database } from '../db/database.ts';
import { loadDocuments, lockStoreSequence } from '../db/documents.ts';
import { accountOfStore, designSettings, type PortalAccount } from './accounts.ts';
import { DesignState } from './design-state.ts';
import type { JobKind } from './jobs-queue.ts';
import { isRetryable, portal, PortalError } from './portal-client.ts';
import { priceSave } from './pricing.ts';

export type JobResult = { outcome: 'done' } | { outcome: 'retry'; error: string } | { outcome: 'failed'; error: string };

const DONE: JobResult = { outcome: 'done' };
const NO_ACCOUNT = 'The store has no design-portal account registered. Ask the store administrator to register it (design portal account), then try again.';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Network trouble and portal 5xx retry; a 4xx is the portal saying no, which retrying cannot change. */
function failureOf(error: unknown): JobResult {
  if (error instanceof PortalError && !isRetryable(error)) return { outcome: 'failed', error: describe(error) };
  return { outcome: 'retry', error: `The design portal could not be reached (${describe(error)}); retrying.` };
}

async function loadOne<T>(db: Database, storeId: string, collection: 'designProjects' | 'designEnvironments' | 'customers', id: string): Promise<T | undefined> {
  const found = (await loadDocuments(db, storeId, collection, [id])).get(id);
  return found && !found.deleted ? (found.data as unknown as T) : undefined;
}

/** Changes design documents under the store's lock, re-reading them: the job ran outside any transaction. */
async function change(db: Database, storeId: string, ids: { projects?: string[]; environments?: string[] }, work: (state: DesignState) => Promise<void> | void): Promise<void> {
  await db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const state = new DesignState(storeId, new Date().toISOString());
    await state.load(tx, ids.projects ?? [], ids.environments ?? []);
    await work(state);
    await state.save(tx);
  });
}

/** Creates the project on the portal (with its customer, DES-03) unless it already has one there. */
async function ensurePortalProject(db: Database, account: PortalAccount, storeId: string, projectId: string): Promise<string | JobResult> {
  const project = await loadOne<{ name: string; customerId: string; designProjectId?: string }>(db, storeId, 'designProjects', projectId);
  if (!project) return { outcome: 'failed', error: `Project ${projectId} does not exist.` };
  if (project.designProjectId) return project.designProjectId;
  const customer = await loadOne<Customer>(db, storeId, 'customers', project.customerId);
  // The customer may still be uploading from the device that created both.
  if (!customer) return { outcome: 'retry', error: `Customer ${project.customerId} of project "${project.name}" has not reached the server yet.` };
  try {
    await portal.putCustomer(account, customer.id, { name: customer.name, taxId: customer.taxId, ...(customer.email ? { email: customer.email } : {}), ...(customer.phone ? { phone: customer.phone } : {}) });
    const { designProjectId } = await portal.createProject(account, { storeProjectId: projectId, name: project.name, customer: { id: customer.id, name: customer.name, taxId: customer.taxId } });
    let stored = designProjectId;
    await change(db, storeId, { projects: [projectId] }, (state) => {
      const current = state.projects.get(projectId);
      if (!current) return;
      if (current.designProjectId) stored = current.designProjectId;
      else state.putProject({ ...current, designProjectId });
    });
    return stored;
  } catch (error) {
    return failureOf(error);
  }
}

async function createProject(db: Database, storeId: string, payload: Record<string, string>): Promise<JobResult> {
  const account = await accountOfStore(db, storeId);
  if (!account) return { outcome: 'retry', error: NO_ACCOUNT };
  const result = await ensurePortalProject(db, account, storeId, payload.projectId!);
  return typeof result === 'string' ? DONE : result;
}

async function failEnvironment(db: Database, storeId: string, environmentId: string, reason: string): Promise<JobResult> {
  await change(db, storeId, { environments: [environmentId] }, (state) => {
    const env = state.environments.get(environmentId);
    if (!env || env.status !== 'creating') return;
    state.putEnvironment({ ...env, status: 'failed', failure: reason.slice(0, 500) });
    state.history(env.projectId, { kind: 'environment_failed', environmentId, note: reason });
  });
  return { outcome: 'failed', error: reason };
}

/** Environment creation in the background (DES-04): creating → ready, or failed with the reason. */
async function createEnvironment(db: Database, storeId: string, payload: Record<string, string>): Promise<JobResult> {
  const environmentId = payload.environmentId!;
  const env = await loadOne<DesignEnvironmentDoc>(db, storeId, 'designEnvironments', environmentId);
  if (!env || env.status !== 'creating') return DONE;
  const account = await accountOfStore(db, storeId);
  if (!account) return failEnvironment(db, storeId, environmentId, NO_ACCOUNT);
  const designProjectId = await ensurePortalProject(db, account, storeId, env.projectId);
  if (typeof designProjectId !== 'string') {
    return designProjectId.outcome === 'failed' ? failEnvironment(db, storeId, environmentId, designProjectId.error) : designProjectId;
  }
  let copyOf: string | undefined;
  if (env.occurrence?.source === 'copy') {
    copyOf = (await loadOne<DesignEnvironmentDoc>(db, storeId, 'designEnvironments', env.occurrence.ofEnvironmentId))?.designEnvironmentId;
  }
  try {
    const { designEnvironmentId } = await portal.createEnvironment(account, designProjectId, {
      storeEnvironmentId: environmentId,
      name: env.name,
      ...(copyOf ? { copyOf } : {}),
      ...(env.occurrence?.source === 'blank' ? { blank: true as const } : {}),
    });
    await change(db, storeId, { environments: [environmentId] }, (state) => {
      const current = state.environments.get(environmentId);
      if (!current || current.status !== 'creating') return;
      state.putEnvironment({ ...current, status: 'ready', designEnvironmentId });
    });
    return DONE;
  } catch (error) {
    const result = failureOf(error);
    return result.outcome === 'failed' ? failEnvironment(db, storeId, environmentId, result.error) : result;
  }
}

const EXPORT_CHUNK = 200;

/** Sends the customers changed since the last export to the portal (DES-03), in sequence order. */
async function exportCustomers(db: Database, storeId: string): Promise<JobResult> {
  const account = await accountOfStore(db, storeId);
  if (!account) return DONE;
  for (;;) {
    const [cursor] = await db.query<{ seq: number }>('SELECT customers_exported_seq AS seq FROM design_portal_accounts WHERE store_id = $1', [storeId]);
    const rows = await db.query<{ id: string; seq: number; data: Customer; deleted: boolean }>(
      `SELECT id, seq, data, deleted FROM documents WHERE store_id = $1 AND collection = 'customers' AND seq > $2 ORDER BY seq LIMIT $3`,
      [storeId, Number(cursor?.seq ?? 0), EXPORT_CHUNK],
    );
    if (rows.length === 0) return DONE;
    for (const { data: customer, deleted } of rows) {
      if (deleted) continue;
      try {
        await portal.putCustomer(account, customer.id, { name: customer.name, taxId: customer.taxId, ...(customer.email ? { email: customer.email } : {}), ...(customer.phone ? { phone: customer.phone } : {}) });
      } catch (error) {
        // The portal refusing one customer must not hold back the others; an unreachable portal must.
        if (isRetryable(error)) return failureOf(error);
      }
    }
    await db.query('UPDATE design_portal_accounts SET customers_exported_seq = GREATEST(customers_exported_seq, $2) WHERE store_id = $1', [storeId, Number(rows.at(-1)!.seq)]);
  }
}

/** Legacy project (DES-15): its environments come over with their latest save, to be imported as versions. */
async function importLegacy(db: Database, storeId: string, payload: Record<string, string>): Promise<JobResult> {
  const projectId = payload.projectId!;
  const project = await loadOne<{ designProjectId?: string; name: string }>(db, storeId, 'designProjects', projectId);
  if (!project?.designProjectId) return DONE;
  const account = await accountOfStore(db, storeId);
  if (!account) return { outcome: 'retry', error: NO_ACCOUNT };
  let remote;
  try {
    remote = await portal.getProject(account, project.designProjectId);
  } catch (error) {
    const result = failureOf(error);
    if (result.outcome === 'failed') {
      await change(db, storeId, { projects: [projectId] }, (state) => state.history(projectId, { kind: 'action_refused', note: `Linking design project ${project.designProjectId} failed: ${result.error}` }));
    }
    return result;
  }
  const settings = await designSettings(db, storeId);
  await db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const state = new DesignState(storeId, new Date().toISOString());
    await state.load(tx, [projectId], []);
    const known = new Set(state.environmentsOf(projectId).map((env) => env.designEnvironmentId));
    for (const remoteEnv of remote.environments) {
      if (known.has(remoteEnv.designEnvironmentId)) continue;
      const id = `legacy-${createHash('sha256').update(`${projectId}\n${remoteEnv.designEnvironmentId}`).digest('hex').slice(0, 32)}`;
      const save = remoteEnv.latestSave;
      const priced = save ? await priceSave(tx, storeId, save.items) : undefined;
      state.putEnvironment({
        id,
        projectId,
        name: remoteEnv.name,
        status: 'ready',
        designEnvironmentId: remoteEnv.designEnvironmentId,
        stage: 'negotiating',
        latestDesignRevision: save?.designRevision ?? 0,
        ...(save && priced ? { latestSave: { designRevision: save.designRevision, designId: save.designId, optionName: save.optionName, savedAt: save.savedAt, items: priced.items } } : {}),
        versions: [],
        items: [],
        budget: { subtotalCents: 0, discountCents: 0, totalCents: 0, markupBp: settings.markupBp },
        createdAt: state.now,
        updatedAt: state.now,
      });
      state.history(projectId, { kind: 'environment_created', environmentId: id, note: `legacy environment ${remoteEnv.name}` });
    }
    await state.save(tx);
  });
  return DONE;
}

const HANDLERS: Record<JobKind, (db: Database, storeId: string, payload: Record<string, string>) => Promise<JobResult>> = {
  create_project: createProject,
  create_environment: createEnvironment,
  export_customers: (db, storeId) => exportCustomers(db, storeId),
  import_legacy: importLegacy,
};

export function runJob(db: Database, storeId: string, kind: JobKind, payload: Record<string, string>): Promise<JobResult> {
  return HANDLERS[kind](db, storeId, payload);
}
