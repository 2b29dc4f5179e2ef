import type { FastifyInstance } from 'fastify';
import { API_SCOPES, type ApiKeyInfo, type CreateApiKeyRequest } from '../../schema/index.ts';
import { recordAdminEvent } from './admin-events.ts';
import { assertAdmin, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { ApiProblem, errorResponses, problems } from '../http/problem.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';

const dateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time', maxLength: 40 } as const;
const scopes = { type: 'array', items: { type: 'string', enum: [...API_SCOPES] }, minItems: 1, maxItems: API_SCOPES.length, uniqueItems: true } as const;
const rateLimitPerMinute = { type: 'integer', minimum: 1, maximum: 100_000, description: 'requests per minute' } as const;

const keyInfo = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'the first characters of the key, to recognise it; not usable to call' },
    scopes,
    rateLimitPerMinute,
    createdAt: dateTime,
    createdBy: { type: 'string' },
    expiresAt: nullableDateTime,
    lastUsedAt: nullableDateTime,
    revokedAt: nullableDateTime,
  },
  required: ['id', 'name', 'prefix', 'scopes', 'rateLimitPerMinute', 'createdAt', 'createdBy', 'expiresAt', 'lastUsedAt', 'revokedAt'],
} as const;

const createdKey = {
  ...keyInfo,
  properties: { ...keyInfo.properties, secret: { type: 'string', description: 'the key; shown only in this answer: store it in the integrator now' } },
  required: [...keyInfo.required, 'secret'],
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'who uses it, e.g. "ERP Sankhya"' },
    scopes,
    expiresAt: { ...dateTime, description: 'after this instant the key is refused (401); absent: never' },
    rateLimitPerMinute,
  },
  required: ['name', 'scopes'],
} as const;

/** The admin trail's detail of a key event (never the secret): id, name, scopes, expiry. */
const keyDetail = (key: ApiKeyInfo) => JSON.stringify({ keyId: key.id, name: key.name, scopes: key.scopes, expiresAt: key.expiresAt });

const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const tags = ['api keys'];

/**
 * Integrator API keys (API-08), managed by the store's administrator with a person's session (an
 * API key may not manage keys: these routes declare no apiResource).
 * - GET  /api/api-keys: the store's keys, newest first, never a secret;
 * - POST /api/api-keys: a new key `{ name, scopes, expiresAt?, rateLimitPerMinute? }` → 201 with the
 *   secret, shown this once (stored as its SHA-256);
 * - POST /api/api-keys/:id/revoke: the key is refused from now on (401); 404 if not of this store.
 * Creating and revoking are recorded in the store's administration trail (who, which key).
 */
export function registerApiKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/api-keys',
    { schema: { tags, summary: "The store's integrator API keys (admin): scopes, last use, expiry, revocation; never the secret", response: { 200: { type: 'array', items: keyInfo }, ...errorResponses } } },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, 'manages API keys.');
      return listApiKeys(ctx.db, session.store.id);
    },
  );

  app.post<{ Body: CreateApiKeyRequest }>(
    '/api/api-keys',
    { schema: { tags, summary: 'Create an integrator API key (admin); the answer is the only time the secret is shown', body: createBody, response: { 201: createdKey, ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      assertAdmin(session, 'manages API keys.');
      const { name, scopes: wanted, expiresAt, rateLimitPerMinute: limit } = request.body;
      if (expiresAt !== undefined && !(Date.parse(expiresAt) > Date.now())) {
        throw new ApiProblem(400, 'validation_failed', 'expiresAt is in the past. Give a future instant, or none for a key that does not expire.', '/expiresAt', undefined, {
          messagePt: 'expiresAt está no passado. Informe um instante futuro, ou nenhum para uma chave que não expira.',
        });
      }
      const created = await ctx.db.transaction(async (tx) => {
        const key = await createApiKey(tx, { storeId: session.store.id, createdBy: session.user.id, name: name.trim() || name, scopes: wanted, expiresAt: expiresAt && new Date(expiresAt).toISOString(), rateLimitPerMinute: limit });
        await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'api_key_created', detail: keyDetail(key) });
        return key;
      });
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/api-keys/:id/revoke',
    { schema: { tags, summary: 'Revoke an integrator API key (admin): refused from now on; revoking again changes nothing', params: idParams, response: { 200: keyInfo, ...errorResponses } } },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, 'manages API keys.');
      const revoked = await ctx.db.transaction(async (tx) => {
        const outcome = await revokeApiKey(tx, session.store.id, request.params.id, session.user.id);
        // Only the revocation that took effect is an event; revoking again changes nothing.
        if (outcome?.revokedNow) await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'api_key_revoked', detail: keyDetail(outcome.key) });
        return outcome;
      });
      if (!revoked) throw problems.notFound(`API key ${request.params.id}`);
      return revoked.key;
    },
  );
}
