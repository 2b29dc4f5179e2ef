import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignAction, DesignEnvironmentDoc } from '../../sync/schema/index.ts';
import { action, projectWithEnvironment, startDesignWorld, USERS, type DesignWorld } from '../design-sim/test-world.ts';
import { DATABASE_KINDS, login, pairStation } from './support/servers.ts';

/**
 * What an approval pins and who is recorded for it (sixth breaker session, findings 5–7): an approval
 * names the budget its approver saw (DES-11); the trail names the session and station that uploaded a
 * request beside its author (DES-12, POS-16); the design documents the server derives are written by
 * no caller, not even an admin through the integration API (DES-11).
 */
describe.each(DATABASE_KINDS)('design approval guards on %s', (kind) => {
  let world: DesignWorld;
  /** The designer signed in on paired station cx02, where the admin also works offline. */
  let station: { token: string; stationId: string };

  beforeAll(async () => {
    world = await startDesignWorld(kind);
    await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'projetista-design' } });
    const paired = await pairStation(world.server, 'cx02');
    station = { token: (await login(world.server, 'projetista', 'projetista123', 'loja1', paired)).token, stationId: paired.stationId };
  });
  afterAll(async () => world?.close());

  /** A ready environment with `count` versions imported by the designer. */
  async function withVersions(environment: string, count = 1) {
    const ids = await projectWithEnvironment(world, { environment });
    for (let revision = 1; revision <= count; revision++) {
      await world.sim.save(ids.projectId, environment);
      expect((await world.act(world.tokens.designer, action('updateEnvironment', USERS.designer, { environmentId: ids.environmentId, designRevision: revision }))).body).toEqual([]);
    }
    return ids;
  }

  /** An approval of version `versionNumber` as today's app sends it: with the budget its approver sees. */
  const approval = (author: string, env: DesignEnvironmentDoc, versionNumber: number, fields: Partial<DesignAction> = {}) =>
    action('approveBudget', author, { environmentId: env.id, versionNumber, budgetRevision: env.budget.revision, budgetTotalCents: env.budget.totalCents, ...fields });
  const handItem = (author: string, environmentId: string, unitPriceCents: number) => action('addItem', author, { environmentId, item: { description: 'Frete especial', quantity: 1, unitPriceCents } });
  const errorOf = async (id: string) => (await world.errors()).find((error) => error.documentId === id);

  it('DES-11 an approval names the budget its approver saw: a hand item another user added meanwhile makes it outdated, kept in integration errors; the budget then seen is approved', async () => {
    const { projectId, environmentId } = await withVersions('Cozinha');
    const seen = await world.environment(environmentId);
    expect((await world.act(world.tokens.admin, handItem(USERS.admin, environmentId, 9_000_000))).body).toEqual([]);

    const stale = approval(USERS.designer, seen, 1);
    expect((await world.act(world.tokens.designer, stale)).body).toEqual([]);
    const refused = await world.environment(environmentId);
    expect(refused).toMatchObject({ stage: 'negotiating', budget: { totalCents: seen.budget.totalCents + 9_000_000, revision: 2 } });
    expect(refused.budget.approvedVersionNumber).toBeUndefined();
    expect(refused.lastRefusal).toMatchObject({ actionId: stale.id, code: 'outdated_budget', message: expect.stringMatching(/changed after it was looked at.*approve it again/) });
    expect(await errorOf(stale.id)).toMatchObject({ reason: 'outdated_version', resolvedAt: null });
    expect((await world.project(projectId)).history.at(-1)).toMatchObject({ kind: 'approval_refused', environmentId, versionNumber: 1 });

    expect((await world.act(world.tokens.designer, approval(USERS.designer, refused, 1))).body).toEqual([]);
    const converted = await world.environment(environmentId);
    expect(converted).toMatchObject({ stage: 'converted', budget: { totalCents: seen.budget.totalCents + 9_000_000, approvedVersionNumber: 1, approvedBy: USERS.designer } });
    expect(converted.lastRefusal).toBeUndefined();
  });

  it('DES-11 an approval from an app without the budget fields stands only while nothing changed since its version', async () => {
    const untouched = await withVersions('Sala');
    expect((await world.act(world.tokens.designer, action('approveBudget', USERS.designer, { environmentId: untouched.environmentId, versionNumber: 1 }))).body).toEqual([]);
    expect((await world.environment(untouched.environmentId)).stage).toBe('converted');

    const changed = await withVersions('Quarto');
    expect((await world.act(world.tokens.designer, handItem(USERS.designer, changed.environmentId, 12_000))).body).toEqual([]);
    const old = action('approveBudget', USERS.designer, { environmentId: changed.environmentId, versionNumber: 1 });
    expect((await world.act(world.tokens.designer, old)).body).toEqual([]);
    expect(await world.environment(changed.environmentId)).toMatchObject({ stage: 'negotiating', lastRefusal: { actionId: old.id, code: 'outdated_budget' } });
    expect(await errorOf(old.id)).toMatchObject({ reason: 'outdated_version' });
  });

  it('DES-12 POS-16 a request another user made offline on a paired station is applied in its author\'s name, and the trail also names the session and station that uploaded it', async () => {
    const { projectId, environmentId } = await withVersions('Varanda');
    const env = await world.environment(environmentId);
    // The admin approved on cx02 while it was offline; the designer signed in there later and the device uploads it.
    expect((await world.act(station.token, approval(USERS.admin, env, 1))).body).toEqual([]);
    expect((await world.environment(environmentId)).budget).toMatchObject({ approvedVersionNumber: 1, approvedBy: USERS.admin });
    const history = (await world.project(projectId)).history;
    expect(history.at(-1)).toMatchObject({ kind: 'converted', userId: USERS.admin, senderId: USERS.designer, stationId: station.stationId });
    // A request sent from a session without a station names that session's user, and no station.
    const imported = history.find((entry) => entry.kind === 'version_imported')!;
    expect(imported).toMatchObject({ userId: USERS.designer, senderId: USERS.designer });
    expect(imported.stationId).toBeUndefined();
  });

  it('DES-12 POS-16 a session without a paired station cannot name another author, and no session can name a user of another store: refused, kept in integration errors', async () => {
    const { projectId, environmentId } = await withVersions('Lavanderia');
    const env = await world.environment(environmentId);
    const forged = approval(USERS.admin, env, 1);
    expect((await world.act(world.tokens.designer, forged)).body).toEqual([]);
    const after = await world.environment(environmentId);
    expect(after.stage).toBe('negotiating');
    expect(after.budget.approvedBy).toBeUndefined();
    expect(await errorOf(forged.id)).toMatchObject({ reason: 'not_permitted', message: expect.stringMatching(/without a paired station/) });
    expect((await world.project(projectId)).history.at(-1)).toMatchObject({ kind: 'approval_refused', userId: USERS.admin, senderId: USERS.designer });

    const stranger = approval('loja2-admin', env, 1);
    expect((await world.act(station.token, stranger)).body).toEqual([]);
    expect(await errorOf(stranger.id)).toMatchObject({ reason: 'not_permitted', message: expect.stringMatching(/not a user of this store/) });
    expect((await world.environment(environmentId)).stage).toBe('negotiating');

    // The financial release, in the admin's name from the back office's session.
    expect((await world.act(world.tokens.designer, approval(USERS.designer, env, 1))).body).toEqual([]);
    const release = action('releaseContract', USERS.admin, { projectId });
    expect((await world.act(world.tokens.backoffice, release)).body).toEqual([]);
    expect((await world.project(projectId)).contract).toMatchObject({ status: 'awaiting_release' });
    expect(await errorOf(release.id)).toMatchObject({ reason: 'not_permitted' });
  });

  it('DES-11 API-01 no caller writes the design documents the server derives through the integration API, not even an admin: version 1 of 2 is never stored as converted', async () => {
    const { projectId, environmentId } = await withVersions('Escritório', 2);
    const { _deleted, ...env } = (await world.environment(environmentId)) as DesignEnvironmentDoc & { _deleted?: boolean };
    const at = new Date().toISOString();
    const outdated = { ...env, stage: 'converted', versions: env.versions.map((version) => (version.number === 1 ? { ...version, convertedAt: at } : version)), budget: { ...env.budget, approvedVersionNumber: 1, approvedAt: at, approvedBy: USERS.designer } };
    const { _deleted: _p, ...project } = (await world.project(projectId)) as unknown as Record<string, unknown>;
    const attempts: [string, string, unknown?][] = [
      ['PUT', `designEnvironments/${environmentId}`, outdated],
      ['DELETE', `designEnvironments/${environmentId}`],
      ['PUT', `designProjects/${projectId}`, { ...project, contract: { status: 'released', convertedAt: at } }],
      ['PUT', `purchaseOrders/${projectId}-po-1`, { id: `${projectId}-po-1`, projectId, supplier: 'Loja', items: [{ environmentId, description: 'Gaveta', quantity: 1, unitPriceCents: 1, totalCents: 1 }], totalCents: 1, createdAt: at }],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await world.call(method, `/api/v1/${path}`, { token: world.tokens.admin, body });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error.code, `${method} ${path}`).toBe('read_only_collection');
    }
    const stored = await world.environment(environmentId);
    expect(stored.stage).toBe('negotiating');
    expect(stored.budget.approvedVersionNumber).toBeUndefined();
    // The catalogue and master data stay the admin's to write through the API.
    const { _deleted: _q, ...product } = (await world.call('GET', '/api/v1/products/p-00301', { token: world.tokens.admin })).body;
    expect((await world.call('PUT', '/api/v1/products/p-00301', { token: world.tokens.admin, body: { ...product, name: 'Renomeado pela API' } })).status).toBe(200);
    expect((await world.call('PUT', '/api/v1/masterdata/guard-seller', { token: world.tokens.admin, body: { id: 'guard-seller', kind: 'seller', code: 'GS', name: 'Vendedor', active: true } })).status).toBe(200);
  });
});
