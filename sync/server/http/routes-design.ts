import { taxId as taxIdField } from '../../schema/common-fields.ts';
import type { FastifyInstance } from 'fastify';
import type { DesignEnvironmentDoc, DesignLinkRequest, DesignOpenUrl, DesignPortalAccountRequest, DesignSettings, Role } from '../../schema/index.ts';
import { newestVersion } from '../../rules/index.ts';
import { isAdmin, type Session } from '../auth/sessions.ts';
import { loadDocuments } from '../db/documents.ts';
import { accountOfStore, designSettings, newSigningSecret, registerPortalAccount, saveDesignSettings } from '../design/accounts.ts';
import { DesignJobRunner } from '../design/job-runner.ts';
import { armCustomerExport } from '../design/jobs-queue.ts';
import { linkState, saveLink } from '../design/links.ts';
import { portal, PortalError } from '../design/portal-client.ts';
import { authenticate, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, problems } from './problem.ts';
import { registerDesignEventRoutes } from './routes-design-events.ts';

const tags = ['design'];

function assertAdmin(session: Session): void {
  if (!isAdmin(session)) throw problems.forbidden('Only a store administrator may manage the design-portal account and settings.');
}

const DESIGN_USERS: readonly Role[] = ['designer', 'reviewer', 'backoffice', 'admin'];
function assertDesignUser(session: Session, roles: readonly Role[] = DESIGN_USERS): void {
  if (!session.user.roles.some((role) => roles.includes(role))) throw problems.forbidden('Design projects are for designers, reviewers and the back office.');
}

const accountBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    storeTaxId: { ...taxIdField, description: "The store's CNPJ (no punctuation; letters allowed, the alphanumeric CNPJ), as registered on the portal" },
    accountId: { type: 'string', minLength: 1, maxLength: 64, description: "The store's account id on the design portal" },
    portalUrl: { type: 'string', pattern: '^https?://', maxLength: 500, description: 'Base URL of the design portal API' },
    signingSecret: { type: 'string', minLength: 16, maxLength: 200, description: 'The secret the portal issued; omitted: the server generates one' },
  },
  required: ['storeTaxId', 'accountId', 'portalUrl'],
} as const;

const settingsBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    markupBp: { type: 'integer', minimum: 0, maximum: 100_000, description: 'Markup on design list prices, basis points (3000 = 30 %)' },
    discountBp: { type: 'integer', minimum: 0, maximum: 10_000, description: 'Default discount on design items, basis points' },
  },
  required: ['markupBp', 'discountBp'],
} as const;

const linkBody = {
  type: 'object',
  additionalProperties: false,
  properties: { login: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['login', 'password'],
} as const;

const linkAnswer = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['unlinked', 'linked', 'relink'] }, designUserName: { type: 'string' } },
  required: ['status'],
} as const;

/** The design integration's routes for the app (direction C) and the portal's events (direction A). */
export function registerDesignRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);

  app.put<{ Body: DesignPortalAccountRequest }>(
    '/api/design/portal-account',
    {
      schema: {
        tags,
        summary: "Register the store's design-portal account (admin, DES-01); answers the signing secret once",
        body: accountBody,
        response: { 200: { type: 'object', properties: { accountId: { type: 'string' }, signingSecret: { type: 'string' } }, required: ['accountId', 'signingSecret'] } },
      },
      preHandler,
    },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session);
      const storeTaxId = (await ctx.db.query<{ tax_id: string | null }>('SELECT tax_id FROM stores WHERE id = $1', [session.store.id]))[0]?.tax_id;
      if (storeTaxId && storeTaxId !== request.body.storeTaxId) {
        throw new ApiProblem(400, 'validation_failed', `The tax id ${request.body.storeTaxId} is not this store's (${storeTaxId}). Register the account with the store's own CNPJ.`, '/storeTaxId');
      }
      // The pattern only checks the scheme; every portal job builds its URLs on this one.
      if (!URL.canParse(request.body.portalUrl)) {
        throw new ApiProblem(400, 'validation_failed', `The portal URL ${request.body.portalUrl} cannot be read as a URL. Copy it again from the design portal (e.g. https://portal.example.com/api).`, '/portalUrl');
      }
      const signingSecret = request.body.signingSecret ?? newSigningSecret();
      const result = await registerPortalAccount(ctx.db, session.store.id, { ...request.body, signingSecret, registeredBy: session.user.id });
      if (result === 'taken') throw new ApiProblem(409, 'validation_failed', `Design-portal account ${request.body.accountId} is already registered by another store. Check the account id with the design portal.`, '/accountId');
      // The store's customers become available to the design software (DES-03).
      await armCustomerExport(ctx.db, session.store.id);
      return { accountId: request.body.accountId, signingSecret };
    },
  );

  app.get('/api/design/portal-account', {
      schema: {
        tags,
        summary: "The store's design-portal account (admin); 404 when none is registered",
        response: { 200: { type: 'object', properties: { accountId: { type: 'string' }, storeTaxId: { type: 'string' }, portalUrl: { type: 'string' }, registeredAt: { type: 'string', format: 'date-time' } }, required: ['accountId', 'storeTaxId', 'portalUrl', 'registeredAt'] } },
      },
      preHandler,
    }, async (request) => {
    const session = sessionOf(request);
    assertAdmin(session);
    const account = await accountOfStore(ctx.db, session.store.id);
    if (!account) throw problems.notFound("The store's design-portal account");
    return { accountId: account.accountId, storeTaxId: account.storeTaxId, portalUrl: account.portalUrl, registeredAt: account.registeredAt };
  });

  app.get('/api/design/settings', { schema: { tags, summary: 'Commercial rules for design budgets: markup and default discount', response: { 200: settingsBody } }, preHandler }, async (request) => {
    const session = sessionOf(request);
    assertDesignUser(session);
    return designSettings(ctx.db, session.store.id);
  });

  app.put<{ Body: DesignSettings }>('/api/design/settings', { schema: { tags, summary: 'Change the markup and default discount of design budgets (admin)', body: settingsBody, response: { 200: settingsBody } }, preHandler }, async (request) => {
    const session = sessionOf(request);
    assertAdmin(session);
    await saveDesignSettings(ctx.db, session.store.id, request.body);
    return request.body;
  });

  app.get('/api/design/link', { schema: { tags, summary: "The caller's link to their design-software user (DES-02)", response: { 200: linkAnswer } }, preHandler }, async (request) => {
    const session = sessionOf(request);
    assertDesignUser(session);
    return linkState(ctx.db, session.user.id);
  });

  app.post<{ Body: DesignLinkRequest }>(
    '/api/design/link',
    { schema: { tags, summary: 'Link the caller to their design-software user; the portal checks the password (DES-02)', body: linkBody, response: { 200: linkAnswer } }, preHandler },
    async (request) => {
      const session = sessionOf(request);
      assertDesignUser(session, ['designer', 'reviewer', 'admin']);
      const account = await accountOfStore(ctx.db, session.store.id);
      if (!account) throw new ApiProblem(409, 'portal_unavailable', "The store has no design-portal account registered yet. Ask the store administrator to register it, then link your user.");
      let designUser;
      try {
        designUser = await portal.verifyUser(account, request.body.login, request.body.password);
      } catch (error) {
        if (error instanceof PortalError && (error.status === 401 || error.status === 403 || error.status === 404)) {
          throw new ApiProblem(400, 'invalid_credentials', 'The user or password of the design software is wrong. Type them as you use them in the design software and try again.');
        }
        request.log.warn({ err: error }, 'design portal verify failed');
        throw new ApiProblem(502, 'portal_unavailable', 'The design portal could not be reached to check your user. Try again in a few minutes.');
      }
      await saveLink(ctx.db, session.store.id, session.user.id, designUser);
      return { status: 'linked', designUserName: designUser.name };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { version?: number } }>(
    '/api/design/environments/:id/open-url',
    {
      schema: {
        tags,
        summary: 'Where to open the design software at a version of an environment (DES-10)',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] },
        querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1, description: 'Version number; default the newest' } } },
        response: { 200: { type: 'object', properties: { url: { type: 'string' }, deepLink: { type: 'string' } }, required: ['url', 'deepLink'] } },
      },
      preHandler,
    },
    async (request): Promise<DesignOpenUrl> => {
      const session = sessionOf(request);
      assertDesignUser(session);
      const found = (await loadDocuments(ctx.db, session.store.id, 'designEnvironments', [request.params.id])).get(request.params.id);
      if (!found || found.deleted) throw problems.notFound(`Environment ${request.params.id}`);
      const env = found.data as unknown as DesignEnvironmentDoc;
      if (!env.designEnvironmentId) throw new ApiProblem(409, 'not_found', `Environment "${env.name}" does not exist in the design software yet (status ${env.status}). Wait until it is ready.`);
      const account = await accountOfStore(ctx.db, session.store.id);
      if (!account) throw new ApiProblem(409, 'portal_unavailable', "The store has no design-portal account registered. Ask the store administrator to register it.");
      const wanted = request.query.version;
      const version = wanted === undefined ? newestVersion(env) : env.versions.find((v) => v.number === wanted);
      if (wanted !== undefined && !version) throw problems.notFound(`Version ${wanted} of environment "${env.name}"`);
      const query = new URLSearchParams({ environment: env.designEnvironmentId, ...(version ? { revision: String(version.designRevision), designId: version.designId } : {}) });
      return { url: `${account.portalUrl}/open?${query}`, deepLink: `balcao-design://open?${query}` };
    },
  );

  registerDesignEventRoutes(app, ctx);

  const runner = new DesignJobRunner(ctx.db, { log: (message, detail) => app.log.warn({ detail }, message) });
  app.addHook('onReady', async () => runner.start());
  app.addHook('onClose', async () => runner.stop());
}
