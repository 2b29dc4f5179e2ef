import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canRead, COLLECTIONS, type ApiResource, type CollectionName } from '../../schema/index.ts';
import { findApiKey, isApiKeyToken } from '../auth/api-keys.ts';
import { authCache } from '../auth/auth-cache.ts';
import { digest } from '../auth/secrets.ts';
import { assertRoleMayWrite, writerOf } from '../auth/ownership.ts';
import { findSession, isAdmin, type Session } from '../auth/sessions.ts';
import type { ReadScope } from '../db/documents.ts';
import type { ServerContext } from './context.ts';
import { logSandboxRequest } from '../sandbox/runs.ts';
import { problems } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
  }
  interface FastifyContextConfig {
    /**
     * The route answers without a session (health, login, pairing, first setup, signed portal
     * events). Every other route needs a bearer token: protected is the default.
     */
    public?: boolean;
    /**
     * The integration resource the route serves (P/Q contract, issue 12). An integrator's API key
     * may call only routes that declare one: GET/HEAD need `<resource>:read`, any other method
     * `<resource>:write`. Routes without it (sync, pairing, admin) refuse keys with 403.
     */
    apiResource?: ApiResource;
    /**
     * API-06/07: the route serves sandbox keys whatever their scopes (the sandbox clock, the posted
     * conformance report); a production key is refused with 403. Admin sessions pass as usual.
     */
    sandboxKey?: boolean;
  }
}

/** The API document's own pages (`/docs`, `/docs/json`, its assets) are public. */
function isDocsRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/**
 * Resolves the bearer token into `request.session` in onRequest — before the body is read and
 * validated — on every route not marked public, so an anonymous caller is refused before it can
 * learn anything about a route's schema, and before the server reads its body at all.
 */
export function installAuthentication(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    // Unknown routes answer 404 (the not-found handler); preflights are answered by CORS.
    if (url === undefined || request.method === 'OPTIONS') return;
    if (request.routeOptions.config.public === true || isDocsRoute(url)) return;
    const token = bearerToken(request);
    if (!token) throw problems.unauthorized();
    // A token resolved moments ago needs no database round trip (auth/auth-cache.ts: revocations end it at once).
    const cached = authCache.get(digest(token));
    if (cached) {
      request.session = cached;
      if (cached.apiKey) assertKeyMayCall(request, cached);
      return;
    }
    if (isApiKeyToken(token)) {
      const key = await findApiKey(ctx.db, token);
      if ('problem' in key) throw problems.apiKeyRefused(key.problem);
      authCache.put(key.session);
      request.session = key.session;
      assertKeyMayCall(request, key.session);
      return;
    }
    const found = await findSession(ctx.db, token);
    if ('problem' in found) throw found.problem === 'expired' ? problems.sessionExpired() : problems.unauthorized();
    authCache.put(found.session);
    request.session = found.session;
  });
  // API-07: what each sandbox key does is the evidence its conformance report is corroborated against.
  app.addHook('onResponse', async (request, reply) => {
    const key = request.session?.apiKey;
    if (key?.environment !== 'sandbox' || request.routeOptions.url === undefined) return;
    const idempotencyKey = request.headers['idempotency-key'];
    const format = (request.query as { format?: unknown } | undefined)?.format;
    await logSandboxRequest(ctx.db, {
      keyId: key.id,
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : null,
      spreadsheet: format === 'xlsx' || /spreadsheetml/.test(String(reply.getHeader('content-type') ?? '')),
    }).catch((error: unknown) => request.log.warn({ err: error }, 'sandbox request log'));
  });
}

/** Scopes of an API key against the route's apiResource; see FastifyContextConfig.apiResource. */
function assertKeyMayCall(request: FastifyRequest, session: Session): void {
  if (request.routeOptions.config.sandboxKey === true) {
    if (session.apiKey?.environment === 'sandbox') return;
    throw problems.forbidden('Only a sandbox key (bk_test.…) calls this route: production is never moved nor homologated.');
  }
  const scopes = session.apiKey?.scopes ?? [];
  const resource = request.routeOptions.config.apiResource;
  if (resource === undefined) throw problems.keyNotAllowedHere(`${request.method} ${request.routeOptions.url ?? ''}`);
  const needed = `${resource}:${request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write'}` as const;
  if (!scopes.includes(needed)) throw problems.missingScope(needed);
}

/**
 * preHandler kept by the routes for clarity: the session was resolved in onRequest
 * (installAuthentication); this only asserts that it was.
 */
export function authenticate(_ctx: ServerContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!request.session) throw problems.unauthorized();
  };
}

export function sessionOf(request: FastifyRequest): Session {
  if (!request.session) throw problems.unauthorized();
  return request.session;
}

export function assertAdmin(session: Session, what: string): void {
  if (!isAdmin(session)) throw problems.forbidden(`Only a store administrator ${what}.`);
}

export function assertCanRead(session: Session, collection: CollectionName): void {
  if (!isAdmin(session) && !canRead(collection, session.user.roles)) {
    throw problems.forbidden(`Your role may not read "${collection}".`);
  }
}

/** The role part of the ownership rule, checked early (before a transaction); see auth/ownership.ts. */
export function assertCanWrite(session: Session, collection: CollectionName, via: 'sync' | 'api'): void {
  assertRoleMayWrite(writerOf(session, via), collection);
}

// No document has an empty station id (schema minLength 1), so this scope matches nothing.
const NO_STATION = '';

/** Store always; for station-visible collections only the caller's station, unless an admin asks. */
export function readScopeOf(session: Session, collection: CollectionName): ReadScope {
  const stationOnly = COLLECTIONS[collection].visibility === 'station' && !isAdmin(session);
  return { storeId: session.store.id, collection, stationId: stationOnly ? (session.stationId ?? NO_STATION) : null };
}
