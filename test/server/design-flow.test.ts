import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignSaveEvent } from '../../sync/schema/index.ts';
import { action, projectWithEnvironment, startDesignWorld, USERS, waitUntil, type DesignWorld } from '../design-sim/test-world.ts';
import { DATABASE_KINDS, login, pullAll } from './support/servers.ts';

function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'test/design-sim/cli.ts', ...args], (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
  });
}

describe.each(DATABASE_KINDS)('design projects flow on %s', (kind) => {
  let world: DesignWorld;
  beforeAll(async () => {
    world = await startDesignWorld(kind);
    await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'projetista-design' } });
  });
  afterAll(async () => world?.close());

  const designer = (kind: Parameters<typeof action>[0], fields: Parameters<typeof action>[2]) => action(kind, USERS.designer, fields);
  const update = (environmentId: string, designRevision: number) => designer('updateEnvironment', { environmentId, designRevision });
  const approve = (environmentId: string, versionNumber: number) => designer('approveBudget', { environmentId, versionNumber });

  /** Saves twice in the simulator and imports both: versions 1 and 2. */
  async function twoVersions(environment = 'Cozinha') {
    const ids = await projectWithEnvironment(world, { environment });
    await world.sim.save(ids.projectId, environment);
    expect((await world.act(world.tokens.designer, update(ids.environmentId, 1))).body).toEqual([]);
    await world.sim.save(ids.projectId, environment);
    expect((await world.act(world.tokens.designer, update(ids.environmentId, 2))).body).toEqual([]);
    return ids;
  }

  /** A converted, released, reviewed-ready project. */
  async function convertedProject(environment = 'Cozinha') {
    const ids = await twoVersions(environment);
    expect((await world.act(world.tokens.designer, approve(ids.environmentId, 2))).body).toEqual([]);
    expect((await world.act(world.tokens.backoffice, action('releaseContract', USERS.backoffice, { projectId: ids.projectId }))).body).toEqual([]);
    return ids;
  }

  it('DES-04 several environments are created at once in the background, each seen finishing', async () => {
    const { projectId } = await projectWithEnvironment(world, { environment: 'Primeiro' });
    const ids = ['Sala', 'Quarto', 'Banheiro', 'Varanda'].map((name) => ({ name, id: randomUUID() }));
    // The portal holds the creations while the store is looked at: the runner starts them at once, and a slow machine must not see them done.
    const release = world.sim.holdCreations();
    const answer = await world.act(world.tokens.designer, ...ids.map(({ name, id }) => designer('createEnvironment', { projectId, newId: id, name })));
    expect(answer.body).toEqual([]);
    for (const { id } of ids) expect((await world.environment(id)).status).toBe('creating');
    release();
    const ready = await Promise.all(ids.map(({ id }) => world.waitForEnvironment(id, (env) => env.status === 'ready')));
    expect(ready.every((env) => env.designEnvironmentId)).toBe(true);
    expect(world.sim.list().projects.find((project) => project.storeProjectId === projectId)!.environments).toHaveLength(5);
    // The portal had several creations in progress at once: they do not wait for each other.
    expect(world.sim.maxParallelCreations).toBeGreaterThan(1);
    const history = (await world.project(projectId)).history.filter((entry) => entry.kind === 'environment_created');
    expect(history).toHaveLength(5);
  });

  it('DES-04 an environment the portal refuses to create is marked failed with the reason', async () => {
    const { projectId } = await projectWithEnvironment(world, { environment: 'Ok' });
    world.sim.failNext(/\/environments$/, 422, 1);
    const id = randomUUID();
    await world.act(world.tokens.designer, designer('createEnvironment', { projectId, newId: id, name: 'Recusado' }));
    const failed = await world.waitForEnvironment(id, (env) => env.status !== 'creating');
    expect(failed).toMatchObject({ status: 'failed', failure: expect.stringMatching(/design portal answered 422/) });
    expect((await world.project(projectId)).history.at(-1)).toMatchObject({ kind: 'environment_failed', environmentId: id });
  });

  it('DES-08 DES-09 every update is a numbered version with option name, import date and design id; hand-added items survive', async () => {
    const { projectId, environmentId } = await projectWithEnvironment(world, { environment: 'Cozinha' });
    const first = (await world.sim.save(projectId, 'Cozinha', { option: 'Opção A' })).event as DesignSaveEvent;
    expect((await world.act(world.tokens.designer, update(environmentId, 1))).body).toEqual([]);
    const hand = designer('addItem', { environmentId, item: { description: 'Instalação', quantity: 1, unitPriceCents: 35_000 } });
    expect((await world.act(world.tokens.designer, hand)).body).toEqual([]);
    const second = (await world.sim.save(projectId, 'Cozinha', { option: 'Opção B' })).event as DesignSaveEvent;
    const outdated = await world.environment(environmentId);
    expect(outdated.latestDesignRevision).toBe(2);
    expect(outdated.versions.at(-1)!.designRevision).toBe(1);
    expect((await world.act(world.tokens.designer, update(environmentId, 2))).body).toEqual([]);

    const env = await world.environment(environmentId);
    expect(env.versions.map((v) => [v.number, v.optionName, v.designId, v.designRevision])).toEqual([
      [1, 'Opção A', first.designId, 1],
      [2, 'Opção B', second.designId, 2],
    ]);
    expect(env.versions.every((v) => !Number.isNaN(Date.parse(v.importedAt)) && v.importedBy === USERS.designer)).toBe(true);
    expect(env.items.filter((item) => item.origin === 'manual')).toEqual([expect.objectContaining({ id: hand.id, description: 'Instalação', totalCents: 35_000 })]);
    expect(env.items.filter((item) => item.origin === 'design').map((item) => [item.code, item.quantity])).toEqual(second.items.map((item) => [item.code, item.quantity]));
    expect(env.budget.totalCents).toBe(env.items.reduce((sum, item) => sum + item.totalCents, 0));
    // Updating again (another device, or a retried upload) changes nothing.
    expect((await world.act(world.tokens.designer, update(environmentId, 2))).body).toEqual([]);
    expect((await world.environment(environmentId)).versions).toHaveLength(2);
    // Design items cannot be removed here; hand items can.
    const designItem = env.items.find((item) => item.origin === 'design')!;
    const removeDesign = designer('removeItem', { environmentId, itemId: designItem.id });
    await world.act(world.tokens.designer, removeDesign, designer('removeItem', { environmentId, itemId: hand.id }));
    const after = await world.environment(environmentId);
    expect(after.items.some((item) => item.id === hand.id)).toBe(false);
    expect(after.items.some((item) => item.id === designItem.id)).toBe(true);
    expect(after.lastRefusal).toMatchObject({ actionId: removeDesign.id, code: 'invalid_transition' });
  });

  it('DES-11 approving the budget of an outdated environment is refused, kept in quarantine and shown on the environment', async () => {
    const { projectId, environmentId } = await twoVersions('Área gourmet');
    await world.sim.save(projectId, 'Área gourmet');
    const refusedApproval = approve(environmentId, 2);
    const answer = await world.act(world.tokens.designer, refusedApproval);
    expect(answer).toMatchObject({ status: 200, body: [] });
    const env = await world.environment(environmentId);
    expect(env.stage).toBe('negotiating');
    expect(env.lastRefusal).toMatchObject({ actionId: refusedApproval.id, code: 'outdated_version', message: expect.stringMatching(/Update the environment/) });
    expect((await world.project(projectId)).history.at(-1)).toMatchObject({ kind: 'approval_refused', environmentId, versionNumber: 2 });
    expect((await world.errors(world.tokens.designer)).find((error) => error.documentId === refusedApproval.id)).toMatchObject({ reason: 'outdated_version' });
    expect((await world.call('GET', `/api/v1/designActions/${refusedApproval.id}`, { token: world.tokens.admin })).status).toBe(404);
    // Approving an older version is refused too.
    expect((await world.act(world.tokens.designer, approve(environmentId, 1))).body).toEqual([]);
    expect((await world.environment(environmentId)).stage).toBe('negotiating');

    // After the update, approval succeeds and clears the refusal.
    expect((await world.act(world.tokens.designer, update(environmentId, 3))).body).toEqual([]);
    expect((await world.act(world.tokens.designer, approve(environmentId, 3))).body).toEqual([]);
    const converted = await world.environment(environmentId);
    expect(converted.stage).toBe('converted');
    expect(converted.lastRefusal).toBeUndefined();
  });

  it('DES-11 an approval made offline and uploaded after a later save is refused; the rest of the offline work is kept', async () => {
    const { projectId, environmentId } = await twoVersions('Escritório');
    // Offline, the designer adds an item and approves version 2 …
    const offlineItem = designer('addItem', { environmentId, item: { description: 'Frete', quantity: 1, unitPriceCents: 9_000 } });
    const offlineApproval = designer('approveBudget', { environmentId, versionNumber: 2, requestedAt: new Date(Date.now() - 60_000).toISOString() });
    // … meanwhile the design software saved again.
    expect((await world.sim.save(projectId, 'Escritório')).status).toBe(200);
    const upload = () => world.act(world.tokens.designer, offlineItem, offlineApproval);
    expect((await upload()).body).toEqual([]);
    const env = await world.environment(environmentId);
    expect(env.stage).toBe('negotiating');
    expect(env.items.some((item) => item.id === offlineItem.id)).toBe(true);
    expect(env.lastRefusal).toMatchObject({ actionId: offlineApproval.id, code: 'outdated_version' });
    const refusals = (await world.project(projectId)).history.filter((entry) => entry.kind === 'approval_refused');
    expect(refusals).toHaveLength(1);
    // The upload is retried (its answer was lost): nothing is doubled, the refusal is not repeated.
    expect((await upload()).body).toEqual([]);
    expect((await world.project(projectId)).history.filter((entry) => entry.kind === 'approval_refused')).toHaveLength(1);
    expect((await world.environment(environmentId)).items.filter((item) => item.id === offlineItem.id)).toHaveLength(1);
  });

  it('DES-12 conversion marks the version, the project status and stage, and the history', async () => {
    const { projectId, environmentId } = await twoVersions('Closet');
    expect((await world.act(world.tokens.designer, designer('approveBudget', { environmentId, versionNumber: 2, paymentConditionId: 'loja1-paymentCondition-3x' }))).body).toEqual([]);
    const env = await world.environment(environmentId);
    expect(env.stage).toBe('converted');
    expect(env.versions.map((v) => Boolean(v.convertedAt))).toEqual([false, true]);
    expect(env.budget).toMatchObject({ approvedVersionNumber: 2, approvedBy: USERS.designer, paymentConditionId: 'loja1-paymentCondition-3x' });
    const project = await world.project(projectId);
    expect(project).toMatchObject({ stage: 'converted', contract: { status: 'awaiting_release' } });
    expect(project.history.at(-1)).toMatchObject({ kind: 'converted', environmentId, versionNumber: 2 });
    // A second approval is refused (already converted) and does not move the mark.
    expect((await world.act(world.tokens.designer, approve(environmentId, 2))).body).toEqual([]);
    expect((await world.environment(environmentId)).versions.filter((v) => v.convertedAt)).toHaveLength(1);
  });

  it('DES-13 DES-14 release → review (mandatory update, flagged change) → finish creates one purchase order per supplier exactly once; later saves are refused', async () => {
    const { projectId, environmentId } = await twoVersions('Cozinha revisada');
    expect((await world.act(world.tokens.designer, approve(environmentId, 2))).body).toEqual([]);
    // Only the back office releases; a reviewer cannot start before the release.
    const designerRelease = designer('releaseContract', { projectId });
    await world.act(world.tokens.designer, designerRelease);
    expect((await world.errors()).find((error) => error.documentId === designerRelease.id)).toMatchObject({ reason: 'not_permitted' });
    const early = action('startReview', USERS.reviewer, { projectId });
    await world.act(world.tokens.reviewer, early);
    expect((await world.errors()).find((error) => error.documentId === early.id)).toMatchObject({ reason: 'invalid_transition', message: expect.stringMatching(/not financially released/) });
    expect((await world.act(world.tokens.backoffice, action('releaseContract', USERS.backoffice, { projectId }))).body).toEqual([]);
    expect((await world.project(projectId)).stage).toBe('released');

    // Changed after conversion: the reviewer sees it flagged and must update before finishing.
    await world.sim.save(projectId, 'Cozinha revisada');
    const start = action('startReview', USERS.reviewer, { projectId });
    expect((await world.act(world.tokens.reviewer, start)).body).toEqual([]);
    expect(await world.project(projectId)).toMatchObject({ stage: 'reviewing', reviewerUserId: USERS.reviewer });
    const early_finish = action('finishReview', USERS.reviewer, { projectId });
    await world.act(world.tokens.reviewer, early_finish);
    expect((await world.errors()).find((error) => error.documentId === early_finish.id)).toMatchObject({ reason: 'outdated_version' });
    expect((await world.environment(environmentId)).lastRefusal).toMatchObject({ actionId: early_finish.id, code: 'outdated_version' });
    expect((await world.act(world.tokens.reviewer, action('updateEnvironment', USERS.reviewer, { environmentId, designRevision: 3 }))).body).toEqual([]);
    const reviewed = await world.environment(environmentId);
    expect(reviewed.versions.at(-1)).toMatchObject({ number: 3, afterConversion: true });
    expect(reviewed.versions.find((v) => v.convertedAt)?.number).toBe(2);

    // Finishing the review: the push is retried (answer lost) and sent twice at once.
    const finish = action('finishReview', USERS.reviewer, { projectId });
    const row = { newDocumentState: { ...finish, _deleted: false }, assumedMasterState: null };
    const pushes = await Promise.all([1, 2].map(() => world.call('POST', '/api/sync/designActions/push', { token: world.tokens.reviewer, body: [row] })));
    expect(pushes.map((push) => push.status)).toEqual([200, 200]);
    expect((await world.call('POST', '/api/sync/designActions/push', { token: world.tokens.reviewer, body: [row] })).status).toBe(200);
    const orders = (await pullAll(world.server, world.tokens.designer, 'purchaseOrders')).filter((order) => order.projectId === projectId);
    const env = await world.environment(environmentId);
    const suppliers = [...new Set(env.items.map((item) => item.supplier ?? 'Sem fornecedor'))].sort();
    expect(orders.map((order) => order.supplier).sort()).toEqual(suppliers);
    expect(orders.reduce((sum, order) => sum + Number(order.totalCents), 0)).toBe(env.items.reduce((sum, item) => sum + item.totalCents, 0));
    const project = await world.project(projectId);
    expect(project.stage).toBe('reviewed');
    expect(project.history.filter((entry) => entry.kind === 'purchase_orders_created')).toHaveLength(1);
    // A second finish by someone else changes nothing.
    expect((await world.act(world.tokens.reviewer, action('finishReview', USERS.reviewer, { projectId }))).body).toEqual([]);
    expect((await pullAll(world.server, world.tokens.designer, 'purchaseOrders')).filter((order) => order.projectId === projectId)).toHaveLength(orders.length);

    // From now on the design software's changes are refused, and the simulator shows it.
    const refused = await world.sim.save(projectId, 'Cozinha revisada');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'design_locked', message: expect.stringMatching(/review .* is finished/) } } });
    expect(world.sim.lastAnswer?.status).toBe(409);
    expect((await world.environment(environmentId)).latestDesignRevision).toBe(3);
    expect((await world.project(projectId)).history.at(-1)).toMatchObject({ kind: 'design_change_refused', environmentId });
    expect((await world.sim.redeliver()).status).toBe(409);
    expect((await world.project(projectId)).history.filter((entry) => entry.kind === 'design_change_refused')).toHaveLength(1);
    // The simulator's command line prints the refusal plainly (exit code 2).
    const cli = await runCli(['save', projectId, 'Cozinha revisada', '--sim', world.sim.url]);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toMatch(/Balcão REFUSED \(409 design_locked\): The review of environment "Cozinha revisada" is finished/);
  });

  it('DES-15 a legacy design project is linked to a store project and its environments come over to be updated', async () => {
    const legacy = world.sim.createLegacyProject('Casa antiga', ['Sala antiga', 'Quarto antigo']);
    const projectId = randomUUID();
    const create = designer('createProject', { newId: projectId, name: 'Casa antiga (loja)', customerId: 'loja1-cli-2' });
    const link = designer('linkLegacyProject', { projectId, legacyDesignProjectId: legacy.designProjectId });
    expect((await world.act(world.tokens.designer, create, link)).body).toEqual([]);
    const envs = await waitUntil('legacy environments', async () => {
      const all = (await pullAll(world.server, world.tokens.designer, 'designEnvironments')).filter((env) => env.projectId === projectId);
      return all.length === 2 ? all : null;
    });
    expect(envs.map((env) => env.name).sort()).toEqual(['Quarto antigo', 'Sala antiga']);
    expect(envs.every((env) => env.status === 'ready' && env.latestDesignRevision === 1 && (env.versions as unknown[]).length === 0)).toBe(true);
    const project = await world.project(projectId);
    expect(project).toMatchObject({ legacy: true, designProjectId: legacy.designProjectId });
    expect(project.history.some((entry) => entry.kind === 'legacy_linked')).toBe(true);
    // The portal did not get a second project for it.
    expect(world.sim.list().projects.filter((p) => p.storeProjectId === projectId)).toHaveLength(0);
    // Its environments are updated like any other, and saves reach them.
    const sala = envs.find((env) => env.name === 'Sala antiga')!;
    expect((await world.act(world.tokens.designer, update(String(sala.id), 1))).body).toEqual([]);
    expect((await world.environment(String(sala.id))).versions).toHaveLength(1);
    expect((await world.sim.save(legacy.designProjectId, 'Sala antiga')).body).toMatchObject({ environmentId: sala.id, outdated: true });
  });

  it('DES-16 occurrences of a reviewed environment are named "<original> ocorrência: N" and their saves notify the occurrence', async () => {
    const { projectId, environmentId } = await convertedProject('Dormitório');
    await world.act(world.tokens.reviewer, action('startReview', USERS.reviewer, { projectId }), action('finishReview', USERS.reviewer, { projectId }));
    expect((await world.environment(environmentId)).stage).toBe('reviewed');
    const [manual, copy, blank] = [randomUUID(), randomUUID(), randomUUID()];
    const answer = await world.act(
      world.tokens.designer,
      designer('createOccurrence', { environmentId, newId: manual, occurrenceSource: 'manual' }),
      designer('createOccurrence', { environmentId, newId: copy, occurrenceSource: 'copy' }),
      designer('createOccurrence', { environmentId, newId: blank, occurrenceSource: 'blank' }),
    );
    expect(answer.body).toEqual([]);
    expect(await world.environment(manual)).toMatchObject({ name: 'Dormitório ocorrência: 1', status: 'ready', occurrence: { ofEnvironmentId: environmentId, number: 1, source: 'manual' } });
    const copied = await world.waitForEnvironment(copy, (env) => env.status === 'ready');
    expect(copied.name).toBe('Dormitório ocorrência: 2');
    expect(world.sim.environments.get(copied.designEnvironmentId!)?.copyOf).toBe((await world.environment(environmentId)).designEnvironmentId);
    const blanked = await world.waitForEnvironment(blank, (env) => env.status === 'ready');
    expect(blanked.name).toBe('Dormitório ocorrência: 3');
    expect(world.sim.environments.get(blanked.designEnvironmentId!)?.blank).toBe(true);
    // Items by hand on the manual occurrence; saves of the copy reach the occurrence, not the locked original.
    expect((await world.act(world.tokens.designer, designer('addItem', { environmentId: manual, item: { description: 'Troca de dobradiça', quantity: 2, unitPriceCents: 4_000 } }))).body).toEqual([]);
    expect((await world.environment(manual)).budget.totalCents).toBe(8_000);
    const saved = await world.sim.save(projectId, 'Dormitório ocorrência: 2');
    expect(saved).toMatchObject({ status: 200, body: { environmentId: copy, outdated: true } });
    expect((await world.act(world.tokens.designer, update(copy, 1))).body).toEqual([]);
    expect((await world.environment(copy)).versions).toHaveLength(1);
    // Occurrences only after the review.
    const { environmentId: fresh } = await projectWithEnvironment(world, { environment: 'Novo' });
    const early = designer('createOccurrence', { environmentId: fresh, newId: randomUUID(), occurrenceSource: 'manual' });
    await world.act(world.tokens.designer, early);
    expect((await world.errors()).find((error) => error.documentId === early.id)).toMatchObject({ reason: 'invalid_transition' });
  });

  it('another store never sees the design documents, and a cashier does not receive them', async () => {
    const other = await login(world.server, 'admin', 'admin123', 'loja2');
    for (const collection of ['designProjects', 'designEnvironments', 'designActions', 'purchaseOrders']) {
      expect(await pullAll(world.server, other.token, collection)).toEqual([]);
      expect((await world.call('GET', `/api/sync/${collection}/pull?checkpoint=0`, { token: world.tokens.cashier })).status).toBe(403);
    }
    expect((await pullAll(world.server, world.tokens.designer, 'designProjects')).length).toBeGreaterThan(0);
    // Devices cannot write server-owned design documents.
    const [env] = await pullAll(world.server, world.tokens.designer, 'designEnvironments');
    const forged = await world.call('POST', '/api/sync/designEnvironments/push', { token: world.tokens.designer, body: [{ newDocumentState: { ...env, name: 'forged' }, assumedMasterState: env }] });
    expect(forged).toMatchObject({ status: 403, body: { error: { code: 'read_only_collection' } } });
  });
});
