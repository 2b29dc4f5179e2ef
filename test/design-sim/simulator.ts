import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DesignEvent, DesignEventItem } from '../../sync/schema/index.ts';
import { ACCOUNT_HEADER, SIGNATURE_HEADER, signatureHeader, verifySignature } from '../../sync/server/design/signature.ts';
import { DEMO_DESIGN_PORTAL } from '../../sync/server/seed/design-seed.ts';
import { defaultItems } from './catalogue.ts';

/**
 * A faithful stand-in for the design software's cloud side ("design portal"): it answers the store
 * system's signed calls (users, projects, environments, customers) and sends the signed events a
 * designer's saves produce. Used by hand (cli.ts), by the server tests and by the e2e tests.
 */
export interface SimUser {
  login: string;
  password: string;
  name: string;
  designUserId: string;
  credentialVersion: number;
}

export interface SimSave {
  designId: string;
  designRevision: number;
  optionName: string;
  savedAt: string;
  items: DesignEventItem[];
}

export interface SimEnvironment {
  designEnvironmentId: string;
  designProjectId: string;
  name: string;
  storeEnvironmentId?: string;
  copyOf?: string;
  blank?: boolean;
  saves: SimSave[];
}

export interface SimProject {
  designProjectId: string;
  name: string;
  storeProjectId?: string;
  customerId?: string;
  environments: string[];
}

export interface SimAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the store system answered
  event: DesignEvent;
}

export interface SaveOptions {
  option?: string;
  items?: DesignEventItem[];
  /** Login of the designer saving; default the first user. */
  user?: string;
}

export interface SimulatorOptions {
  /** The Balcão server events are sent to; can be changed later (`sim.balcaoUrl = …`). */
  balcaoUrl: string;
  port?: number;
  host?: string;
  accountId?: string;
  secret?: string;
  /** How long creating an environment takes on the portal (DES-04 runs it in the background). */
  createDelayMs?: number;
  /** Check the store system's signatures (default true). */
  verifySignatures?: boolean;
}

export interface IncomingCall {
  method: string;
  path: string;
  body: unknown;
  signed: boolean;
}

export interface DesignSimulator {
  url: string;
  accountId: string;
  secret: string;
  balcaoUrl: string;
  users: Map<string, SimUser>;
  projects: Map<string, SimProject>;
  environments: Map<string, SimEnvironment>;
  customers: Map<string, Record<string, unknown>>;
  calls: IncomingCall[];
  answers: SimAnswer[];
  /** Most environment creations the portal had in progress at the same time (DES-04 runs them side by side). */
  readonly maxParallelCreations: number;
  readonly lastAnswer: SimAnswer | null;
  /**
   * Environment creations arriving from now on wait (after createDelayMs) until the returned function is
   * called: a test can look at the store while creations are surely in progress, however slow the machine.
   */
  holdCreations(): () => void;
  /** Answer the next `count` calls whose path matches with `status` (or drop the connection with 0). */
  failNext(pathPattern: RegExp, status: number, count?: number): void;
  addUser(login: string, password: string, name?: string): SimUser;
  setPassword(login: string, password: string): Promise<SimAnswer>;
  save(project: string, environment: string, options?: SaveOptions): Promise<SimAnswer>;
  negotiate(project: string, environment: string, options?: SaveOptions): Promise<SimAnswer>;
  /** Sends the last event again, byte for byte the same event id (a redelivery). */
  redeliver(): Promise<SimAnswer>;
  createLegacyProject(name: string, environmentNames: string[]): SimProject;
  findProject(ref: string): SimProject;
  findEnvironment(project: string, environment: string): SimEnvironment;
  list(): { projects: (SimProject & { environmentsDetail: { designEnvironmentId: string; name: string; revision: number; storeEnvironmentId?: string }[] })[]; users: Omit<SimUser, 'password'>[]; customers: string[] };
  /**
   * Signs and checks with this secret from now on: a portal started before its account was registered
   * (the store system makes the secret at registration, and registration needs the portal's address).
   */
  useSecret(next: string): void;
  close(): Promise<void>;
}

export const DEFAULT_SIM_USER = { login: 'projetista', password: 'projetista-design', name: 'Paulo Projetista (design)' } as const;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export async function startDesignSimulator(options: SimulatorOptions): Promise<DesignSimulator> {
  const accountId = options.accountId ?? `sim-${randomUUID().slice(0, 8)}`;
  let secret = options.secret ?? randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
  const createDelayMs = options.createDelayMs ?? 300;
  const verify = options.verifySignatures ?? true;
  const users = new Map<string, SimUser>();
  const projects = new Map<string, SimProject>();
  const environments = new Map<string, SimEnvironment>();
  const customers = new Map<string, Record<string, unknown>>();
  const calls: IncomingCall[] = [];
  const answers: SimAnswer[] = [];
  const failures: { pattern: RegExp; status: number; count: number }[] = [];
  let lastEvent: { raw: string; event: DesignEvent } | null = null;
  let counter = 0;
  let inFlight = 0;
  let maxParallelCreations = 0;
  let creationsHeld: Promise<void> = Promise.resolve();
  const nextId = (prefix: string) => `${prefix}-${++counter}-${randomUUID().slice(0, 6)}`;

  const sim = {} as DesignSimulator;

  function addUser(login: string, password: string, name?: string): SimUser {
    const existing = users.get(login);
    const user: SimUser = existing ? { ...existing, password } : { login, password, name: name ?? login, designUserId: nextId('user'), credentialVersion: 1 };
    users.set(login, user);
    return user;
  }
  addUser(DEFAULT_SIM_USER.login, DEFAULT_SIM_USER.password, DEFAULT_SIM_USER.name);

  function findProject(ref: string): SimProject {
    const found = projects.get(ref) ?? [...projects.values()].find((project) => project.storeProjectId === ref || project.name === ref);
    if (!found) throw new Error(`The design portal has no project "${ref}". Create it from the store system first (or "legacy" for a legacy one); "list" shows what exists.`);
    return found;
  }

  function findEnvironment(projectRef: string, environmentRef: string): SimEnvironment {
    const project = findProject(projectRef);
    const envs = project.environments.map((id) => environments.get(id)!);
    const found = envs.find((env) => env.designEnvironmentId === environmentRef || env.storeEnvironmentId === environmentRef || env.name === environmentRef);
    if (!found) throw new Error(`Project "${project.name}" has no environment "${environmentRef}" on the design portal. Known: ${envs.map((env) => env.name).join(', ') || 'none'}.`);
    return found;
  }

  async function deliver(raw: string, event: DesignEvent): Promise<SimAnswer> {
    lastEvent = { raw, event };
    let answer: SimAnswer;
    try {
      const response = await fetch(`${sim.balcaoUrl.replace(/\/+$/, '')}/api/design/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ACCOUNT_HEADER]: accountId, [SIGNATURE_HEADER]: signatureHeader(secret, raw) },
        body: raw,
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* keep text */
      }
      answer = { status: response.status, body, event };
    } catch (error) {
      answer = { status: 0, body: { error: { code: 'unreachable', message: `The store system at ${sim.balcaoUrl} could not be reached: ${error instanceof Error ? error.message : String(error)}` } }, event };
    }
    answers.push(answer);
    return answer;
  }

  function newSave(env: SimEnvironment, saveOptions: SaveOptions): SimSave {
    const revision = (env.saves.at(-1)?.designRevision ?? 0) + 1;
    const base = env.copyOf && env.saves.length === 0 ? environments.get(env.copyOf)?.saves.at(-1)?.items : undefined;
    const items = saveOptions.items ?? (base ? base.map((item) => ({ ...item })) : env.blank && revision === 1 ? defaultItems(env.name, 1).slice(0, 1) : defaultItems(env.name, revision));
    const save: SimSave = { designId: `dsg-${env.designEnvironmentId}-r${revision}`, designRevision: revision, optionName: saveOptions.option ?? `Opção ${revision}`, savedAt: new Date().toISOString(), items };
    env.saves.push(save);
    return save;
  }

  async function sendSave(type: 'environment.saved' | 'environment.negotiate', projectRef: string, environmentRef: string, saveOptions: SaveOptions = {}): Promise<SimAnswer> {
    const env = findEnvironment(projectRef, environmentRef);
    const user = saveOptions.user ? users.get(saveOptions.user) : users.values().next().value;
    if (!user) throw new Error(`The design portal has no user "${saveOptions.user}".`);
    const save = newSave(env, saveOptions);
    const event: DesignEvent = { type, eventId: randomUUID(), designEnvironmentId: env.designEnvironmentId, ...save, designUserId: user.designUserId, credentialVersion: user.credentialVersion };
    return deliver(JSON.stringify(event), event);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sim');
    const raw = await readBody(request);
    const body: unknown = raw ? JSON.parse(raw) : null;
    const path = url.pathname;
    const failure = failures.find((candidate) => candidate.pattern.test(path) && candidate.count > 0);
    if (failure) {
      failure.count -= 1;
      if (failure.status === 0) {
        request.socket.destroy();
        return;
      }
      send(response, failure.status, { error: { code: 'simulated', message: `simulated failure ${failure.status}` } });
      return;
    }

    // Control endpoints for the CLI (not part of the portal's API).
    if (path.startsWith('/_sim/')) return control(path, body as Record<string, unknown>, response);
    if (request.method === 'GET' && path === '/open') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const env = environments.get(url.searchParams.get('environment') ?? '');
      response.end(`<!doctype html><title>Design software</title><h1>Design software (simulator)</h1><p data-testid="design-open">Opened ${escapeHtml(env?.name ?? url.searchParams.get('environment') ?? '?')} at revision ${escapeHtml(url.searchParams.get('revision') ?? 'latest')} (${escapeHtml(url.searchParams.get('designId') ?? '')})</p>`);
      return;
    }

    const signed = request.headers[ACCOUNT_HEADER] === accountId && verifySignature(secret, request.headers[SIGNATURE_HEADER] as string | undefined, raw).ok;
    calls.push({ method: request.method ?? 'GET', path, body, signed });
    if (verify && !signed) {
      send(response, 401, { error: { code: 'bad_signature', message: 'The request is not signed with this account\'s secret.' } });
      return;
    }

    const input = (body ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the store system's JSON
    if (request.method === 'POST' && path === '/users/verify') {
      const user = users.get(String(input.login));
      if (!user || user.password !== input.password) return send(response, 401, { error: { code: 'invalid_credentials', message: 'wrong login or password' } });
      return send(response, 200, { designUserId: user.designUserId, name: user.name, credentialVersion: user.credentialVersion });
    }
    if (request.method === 'PUT' && path.startsWith('/customers/')) {
      customers.set(decodeURIComponent(path.slice('/customers/'.length)), input);
      return send(response, 200, { ok: true });
    }
    if (request.method === 'POST' && path === '/projects') {
      const existing = [...projects.values()].find((project) => project.storeProjectId === input.storeProjectId);
      if (existing) return send(response, 200, { designProjectId: existing.designProjectId });
      const project: SimProject = { designProjectId: nextId('dp'), name: String(input.name), storeProjectId: String(input.storeProjectId), customerId: input.customer?.id, environments: [] };
      projects.set(project.designProjectId, project);
      if (input.customer?.id) customers.set(String(input.customer.id), { ...(customers.get(String(input.customer.id)) ?? {}), ...input.customer });
      return send(response, 200, { designProjectId: project.designProjectId });
    }
    const envMatch = /^\/projects\/([^/]+)\/environments$/.exec(path);
    if (request.method === 'POST' && envMatch) {
      const project = projects.get(decodeURIComponent(envMatch[1]!));
      if (!project) return send(response, 404, { error: { code: 'not_found', message: `no project ${envMatch[1]}` } });
      inFlight += 1;
      maxParallelCreations = Math.max(maxParallelCreations, inFlight);
      if (createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, createDelayMs));
      await creationsHeld;
      inFlight -= 1;
      const existing = project.environments.map((id) => environments.get(id)!).find((env) => env.storeEnvironmentId === input.storeEnvironmentId);
      if (existing) return send(response, 200, { designEnvironmentId: existing.designEnvironmentId });
      const env: SimEnvironment = {
        designEnvironmentId: nextId('de'),
        designProjectId: project.designProjectId,
        name: String(input.name),
        storeEnvironmentId: String(input.storeEnvironmentId),
        ...(input.copyOf ? { copyOf: String(input.copyOf) } : {}),
        ...(input.blank ? { blank: true } : {}),
        saves: [],
      };
      environments.set(env.designEnvironmentId, env);
      project.environments.push(env.designEnvironmentId);
      return send(response, 200, { designEnvironmentId: env.designEnvironmentId });
    }
    const projectMatch = /^\/projects\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && projectMatch) {
      const project = projects.get(decodeURIComponent(projectMatch[1]!));
      if (!project) return send(response, 404, { error: { code: 'not_found', message: `no project ${projectMatch[1]}` } });
      return send(response, 200, {
        name: project.name,
        environments: project.environments.map((id) => {
          const env = environments.get(id)!;
          return { designEnvironmentId: env.designEnvironmentId, name: env.name, ...(env.saves.at(-1) ? { latestSave: env.saves.at(-1) } : {}) };
        }),
      });
    }
    send(response, 404, { error: { code: 'not_found', message: `${request.method} ${path} is not a design portal endpoint` } });
  }

  async function control(path: string, input: Record<string, unknown>, response: ServerResponse): Promise<void> {
    try {
      const args = (input?.args ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CLI input
      switch (path) {
        case '/_sim/user':
          return send(response, 200, { user: { ...addUser(args.login, args.password, args.name), password: undefined } });
        case '/_sim/passwd':
          return send(response, 200, await sim.setPassword(args.login, args.password));
        case '/_sim/save':
          return send(response, 200, await sim.save(args.project, args.environment, args.options ?? {}));
        case '/_sim/negotiate':
          return send(response, 200, await sim.negotiate(args.project, args.environment, args.options ?? {}));
        case '/_sim/legacy':
          return send(response, 200, sim.createLegacyProject(args.name, args.environments ?? []));
        case '/_sim/list':
          return send(response, 200, sim.list());
        default:
          return send(response, 404, { error: { code: 'not_found', message: `unknown simulator command ${path}` } });
      }
    } catch (error) {
      send(response, 400, { error: { code: 'sim_error', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: { code: 'sim_error', message: String(error) } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  Object.assign(sim, {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    accountId,
    secret,
    balcaoUrl: options.balcaoUrl,
    users,
    projects,
    environments,
    customers,
    calls,
    answers,
    failNext(pattern: RegExp, status: number, count = 1) {
      failures.push({ pattern, status, count });
    },
    addUser,
    async setPassword(login: string, password: string) {
      const user = users.get(login);
      if (!user) throw new Error(`The design portal has no user "${login}".`);
      user.password = password;
      user.credentialVersion += 1;
      const event: DesignEvent = { type: 'user.credentials_changed', eventId: randomUUID(), designUserId: user.designUserId, credentialVersion: user.credentialVersion };
      return deliver(JSON.stringify(event), event);
    },
    save: (project: string, environment: string, saveOptions?: SaveOptions) => sendSave('environment.saved', project, environment, saveOptions),
    negotiate: (project: string, environment: string, saveOptions?: SaveOptions) => sendSave('environment.negotiate', project, environment, saveOptions),
    async redeliver() {
      if (!lastEvent) throw new Error('No event was sent yet.');
      return deliver(lastEvent.raw, lastEvent.event);
    },
    createLegacyProject(name: string, environmentNames: string[]) {
      const project: SimProject = { designProjectId: nextId('legacy'), name, environments: [] };
      projects.set(project.designProjectId, project);
      for (const envName of environmentNames) {
        const env: SimEnvironment = { designEnvironmentId: nextId('de'), designProjectId: project.designProjectId, name: envName, saves: [] };
        environments.set(env.designEnvironmentId, env);
        project.environments.push(env.designEnvironmentId);
        newSave(env, { option: 'Projeto antigo' });
      }
      return project;
    },
    findProject,
    findEnvironment,
    list() {
      return {
        projects: [...projects.values()].map((project) => ({
          ...project,
          environmentsDetail: project.environments.map((id) => {
            const env = environments.get(id)!;
            return { designEnvironmentId: env.designEnvironmentId, name: env.name, revision: env.saves.at(-1)?.designRevision ?? 0, ...(env.storeEnvironmentId ? { storeEnvironmentId: env.storeEnvironmentId } : {}) };
          }),
        })),
        users: [...users.values()].map(({ password: _password, ...user }) => user),
        customers: [...customers.keys()],
      };
    },
    useSecret(next: string) {
      secret = next;
      sim.secret = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  Object.defineProperty(sim, 'lastAnswer', { get: () => answers.at(-1) ?? null });
  Object.defineProperty(sim, 'maxParallelCreations', { get: () => maxParallelCreations });
  sim.holdCreations = () => {
    let release!: () => void;
    creationsHeld = new Promise<void>((resolve) => (release = resolve));
    return release;
  };
  return sim;
}

/** The demo store's account (seeded): `serve` uses it unless told otherwise. */
export const DEMO_ACCOUNT = { accountId: DEMO_DESIGN_PORTAL.accountId, secret: DEMO_DESIGN_PORTAL.signingSecret };
