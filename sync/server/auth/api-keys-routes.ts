import type { FastifyInstance } from 'fastify';
import { API_SCOPES, type ApiKeyInfo, type CreateApiKeyRequest } from '../../schema/index.ts';
import { recordAdminEvent } from './admin-events.ts';
import { assertAdmin, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { ApiProblem, errorResponses, problems } from '../http/problem.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { homologationRunSchema } from '../sandbox/schemas.ts';
import { createSandbox } from '../sandbox/sandboxes.ts';
import { registerPromotionRoutes } from './api-keys-promote.ts';
import { pauseSubscriptionsOfInvalidKeys } from '../webhooks/key-validity.ts';

const dateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time', maxLength: 40 } as const;
const scopes = { type: 'array', items: { type: 'string', enum: [...API_SCOPES] }, minItems: 1, maxItems: API_SCOPES.length, uniqueItems: true } as const;
const rateLimitPerMinute = { type: 'integer', minimum: 1, maximum: 100_000, description: 'requests per minute' } as const;

export const keyInfo = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'the first characters of the key, to recognise it; not usable to call' },
    scopes,
    rateLimitPerMinute,
    createdAt: dateTime,
    createdBy: { type: 'string', description: 'the user id of the admin who made it' },
    createdByName: { type: ['string', 'null'], description: "that admin's name (in the list; null when unknown)" },
    expiresAt: nullableDateTime,
    lastUsedAt: nullableDateTime,
    revokedAt: nullableDateTime,
    environment: { type: 'string', enum: ['production', 'sandbox'], description: 'sandbox keys (bk_test.) reach only the sandbox store (API-06)' },
    lastHomologation: { anyOf: [homologationRunSchema, { type: 'null' }], description: "the key's last conformance run (API-07), or null" },
    promotedTo: { type: ['string', 'null'], description: "a sandbox key's live production key (API-07): the id of the unrevoked key promoted from it, or null; while it lives, promoting again is refused (409 homologation_required)" },
  },
  required: ['id', 'name', 'prefix', 'scopes', 'rateLimitPerMinute', 'createdAt', 'createdBy', 'expiresAt', 'lastUsedAt', 'revokedAt'],
} as const;

export const createdKey = {
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
    environment: { type: 'string', enum: ['sandbox', 'production'], default: 'sandbox', description: 'sandbox only: production keys come from promote after a passing homologation run (409 homologation_required)' },
  },
  required: ['name', 'scopes'],
} as const;

/** API-07: the answer to asking for a production key without a passing homologation run. */
export const homologationRequired = (why = 'A production key is made by promoting a sandbox key whose last homologation run passed (POST /api/api-keys/{id}/promote).') =>
  new ApiProblem(409, 'homologation_required', why, undefined, undefined, {
    messagePt: 'Uma chave de produção só é criada promovendo uma chave de homologação cuja última execução do roteiro de homologação passou.',
  });

/** The admin trail's detail of a key event (never the secret): id, name, scopes, expiry. */
export const keyDetail = (key: ApiKeyInfo) => JSON.stringify({ keyId: key.id, name: key.name, scopes: key.scopes, expiresAt: key.expiresAt });

export const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const tags = ['api keys'];

/**
 * Integrator API keys (API-08), managed by the store's administrator with a person's session (an
 * API key may not manage keys: these routes declare no apiResource).
 * - GET  /api/api-keys: the store's keys, newest first, never a secret;
 * - POST /api/api-keys: a new **sandbox** key `{ name, scopes, expiresAt?, rateLimitPerMinute? }` → 201 with
 *   the secret (`bk_test.…`), shown this once (stored as its SHA-256); the store's sandbox is made on the
 *   first. `environment: 'production'` → 409 homologation_required (API-07: production keys only by
 *   promotion after a passing run, api-keys-promote.ts; tests and tools seed them with api-keys-seed.ts);
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
    { schema: { tags, summary: 'Create an integrator sandbox API key (admin; bk_test., reaches only the sandbox); the answer is the only time the secret is shown. Production keys: promote (409 homologation_required here)', body: createBody, response: { 201: createdKey, ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      assertAdmin(session, 'manages API keys.');
      const { name, scopes: wanted, expiresAt, rateLimitPerMinute: limit, environment = 'sandbox' } = request.body;
      if (environment === 'production') throw homologationRequired();
      if (expiresAt !== undefined && !(Date.parse(expiresAt) > Date.now())) {
        throw new ApiProblem(400, 'validation_failed', 'expiresAt is in the past. Give a future instant, or none for a key that does not expire.', '/expiresAt', undefined, {
          messagePt: 'expiresAt está no passado. Informe um instante futuro, ou nenhum para uma chave que não expira.',
        });
      }
      // API-06: a sandbox key is a key of the sandbox store (made on the first key), so it reaches nothing else.
      const sandbox = (await createSandbox(ctx.db, session.store.id, { userId: session.user.id, via: 'first_key' })).info;
      const created = await ctx.db.transaction(async (tx) => {
        const key = await createApiKey(tx, { storeId: sandbox.storeId, createdBy: session.user.id, name: name.trim() || name, scopes: wanted, expiresAt: expiresAt && new Date(expiresAt).toISOString(), rateLimitPerMinute: limit, environment: 'sandbox' });
        await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'api_key_created', detail: keyDetail(key) });
        return key;
      });
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  registerPromotionRoutes(app, ctx);

  app.post<{ Params: { id: string } }>(
    '/api/api-keys/:id/revoke',
    { schema: { tags, summary: 'Revoke an integrator API key (admin): refused from now on, and the webhook subscriptions it made are paused (code key_revoked); revoking again changes nothing', params: idParams, response: { 200: keyInfo, ...errorResponses } } },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, 'manages API keys.');
      const revoked = await ctx.db.transaction(async (tx) => {
        const outcome = await revokeApiKey(tx, session.store.id, request.params.id, session.user.id);
        // Only the revocation that took effect is an event; revoking again changes nothing.
        if (outcome?.revokedNow) {
          await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'api_key_revoked', detail: keyDetail(outcome.key) });
          // Its subscriptions pause now, not at the worker's next sweep: the admin sees why, and the worker stops looking at their messages.
          await pauseSubscriptionsOfInvalidKeys(tx, ctx.webhooks?.now() ?? new Date(), outcome.key.id);
        }
        return outcome;
      });
      if (!revoked) throw problems.notFound(`API key ${request.params.id}`);
      return revoked.key;
    },
  );
}
