import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignEnvironmentDoc } from '../../sync/schema/index.ts';
import { action, projectWithEnvironment, startDesignWorld, USERS, type DesignWorld } from '../design-sim/test-world.ts';
import { DATABASE_KINDS } from './support/servers.ts';

/**
 * The guards around design approvals (sixth breaker session): the design documents the server derives
 * are written by no caller, not even an admin through the integration API (DES-11).
 */
describe.each(DATABASE_KINDS)('design approval guards on %s', (kind) => {
  let world: DesignWorld;

  beforeAll(async () => {
    world = await startDesignWorld(kind);
    await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'projetista-design' } });
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
