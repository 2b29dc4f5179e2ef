import { randomUUID } from 'node:crypto';
import type { DesignAction, DesignEnvironmentDoc, DesignProject } from '../../sync/schema/index.ts';
import { call, login, startTestServer, type Call, type DatabaseKind, type TestServer } from '../server/support/servers.ts';
import { startDesignSimulator, type DesignSimulator } from './simulator.ts';

/**
 * A Balcão server on a fresh database with the simulator registered as the store's design portal,
 * and the demo store's designer, reviewer, back-office and admin signed in. For server tests.
 */
export interface DesignWorld {
  server: TestServer;
  sim: DesignSimulator;
  tokens: { admin: string; designer: string; reviewer: string; backoffice: string; cashier: string };
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Call>;
  /** Pushes design actions as the device would (replication push); answers the conflicts. */
  act(token: string, ...actions: DesignAction[]): Promise<Call>;
  project(id: string): Promise<DesignProject>;
  environment(id: string): Promise<DesignEnvironmentDoc>;
  waitForEnvironment(id: string, until: (env: DesignEnvironmentDoc) => boolean, timeoutMs?: number): Promise<DesignEnvironmentDoc>;
  errors(token?: string): Promise<{ documentId: string; reason: string; message: string; resolvedAt: string | null }[]>;
  close(): Promise<void>;
}

export const LOJA1_TAX_ID = '11222333000181';
export const USERS = { designer: 'loja1-projetista', reviewer: 'loja1-revisor', backoffice: 'loja1-retaguarda', admin: 'loja1-admin' } as const;

export function action(kind: DesignAction['kind'], userId: string, fields: Partial<DesignAction> = {}): DesignAction {
  return { id: randomUUID(), kind, userId, requestedAt: new Date().toISOString(), ...fields };
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startDesignWorld(kind: DatabaseKind): Promise<DesignWorld> {
  const server = await startTestServer(kind);
  const sim = await startDesignSimulator({ balcaoUrl: server.url, createDelayMs: 100 });
  const [admin, designer, reviewer, backoffice, cashier] = await Promise.all(
    [['admin', 'admin123'], ['projetista', 'projetista123'], ['revisor', 'revisor123'], ['retaguarda', 'retaguarda123'], ['caixa', 'caixa123']].map(([user, password]) => login(server, user!, password!)),
  );
  const tokens = { admin: admin!.token, designer: designer!.token, reviewer: reviewer!.token, backoffice: backoffice!.token, cashier: cashier!.token };
  const http = (method: string, path: string, options = {}) => call(server.url, method, path, options);
  const registered = await http('PUT', '/api/design/portal-account', { token: tokens.admin, body: { storeTaxId: LOJA1_TAX_ID, accountId: sim.accountId, portalUrl: sim.url, signingSecret: sim.secret } });
  if (registered.status !== 200) throw new Error(`registering the portal account failed: ${registered.status} ${JSON.stringify(registered.body)}`);

  const get = async <T>(collection: string, id: string): Promise<T> => {
    const answer = await http('GET', `/api/v1/${collection}/${id}`, { token: tokens.admin });
    if (answer.status !== 200) throw new Error(`GET ${collection}/${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as T;
  };
  const world: DesignWorld = {
    server,
    sim,
    tokens,
    call: http,
    act: (token, ...actions) => http('POST', '/api/sync/designActions/push', { token, body: actions.map((doc) => ({ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null })) }),
    project: (id) => get<DesignProject>('designProjects', id),
    environment: (id) => get<DesignEnvironmentDoc>('designEnvironments', id),
    waitForEnvironment: (id, until, timeoutMs) =>
      waitUntil(`environment ${id}`, async () => {
        const answer = await http('GET', `/api/v1/designEnvironments/${id}`, { token: tokens.admin });
        return answer.status === 200 && until(answer.body as DesignEnvironmentDoc) ? (answer.body as DesignEnvironmentDoc) : null;
      }, timeoutMs),
    errors: async (token = tokens.admin) => (await http('GET', '/api/sync/errors', { token })).body,
    async close() {
      await sim.close();
      await server.close();
    },
  };
  return world;
}

/** A project with one ready environment on the portal, as a designer makes it. */
export async function projectWithEnvironment(world: DesignWorld, names: { project?: string; environment?: string; customerId?: string } = {}): Promise<{ projectId: string; environmentId: string }> {
  const projectId = randomUUID();
  const environmentId = randomUUID();
  const answer = await world.act(
    world.tokens.designer,
    action('createProject', USERS.designer, { newId: projectId, name: names.project ?? `Projeto ${projectId.slice(0, 6)}`, customerId: names.customerId ?? 'loja1-cli-1' }),
    action('createEnvironment', USERS.designer, { projectId, newId: environmentId, name: names.environment ?? 'Cozinha' }),
  );
  if (answer.status !== 200 || answer.body.length > 0) throw new Error(`creating the project failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  await world.waitForEnvironment(environmentId, (env) => env.status === 'ready');
  return { projectId, environmentId };
}
