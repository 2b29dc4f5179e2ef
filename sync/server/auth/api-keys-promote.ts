import type { FastifyInstance } from 'fastify';
import type { CreatedApiKey, HomologationRun } from '../../schema/index.ts';
import { recordAdminEvent } from './admin-events.ts';
import { assertAdmin, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { errorResponses, problems } from '../http/problem.ts';
import { listRuns } from '../sandbox/runs.ts';
import { homologationRunSchema } from '../sandbox/schemas.ts';
import { createApiKey, findStoreKey, lockStoreKey } from './api-keys.ts';
import { createdKey, homologationRequired, idParams, keyDetail } from './api-keys-routes.ts';

const tags = ['api keys'];

/**
 * The acceptance record and promotion (API-07), for the store's administrator:
 * - GET  /api/api-keys/:id/homologation-runs → 200 `{ data: HomologationRun[] }`, newest first; 404 not a key of the store;
 * - POST /api/api-keys/:id/promote → 201 a production key (`bk.…`, the secret shown once) with the sandbox
 *   key's name, scopes, rate limit and expiry, reaching the production store; 409 homologation_required when
 *   the key is not a live sandbox key, its last run did not pass, or a production key promoted from it is
 *   still live (revoke that one to promote again). The sandbox key keeps working (the integrator may go on
 *   testing). In the admin trail.
 */
export function registerPromotionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/api-keys/:id/homologation-runs',
    {
      schema: {
        tags,
        summary: "A key's conformance runs (admin), newest first: the acceptance record ('termo de aceite')",
        params: idParams,
        response: { 200: { type: 'object', additionalProperties: false, properties: { data: { type: 'array', items: homologationRunSchema } }, required: ['data'] }, ...errorResponses },
      },
    },
    async (request): Promise<{ data: HomologationRun[] }> => {
      const session = sessionOf(request);
      assertAdmin(session, 'reads homologation runs.');
      const key = await findStoreKey(ctx.db, session.store.id, request.params.id);
      if (!key) throw problems.notFound(`API key ${request.params.id}`);
      return { data: await listRuns(ctx.db, key.id) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/api-keys/:id/promote',
    { schema: { tags, summary: 'Promote a sandbox key to a production key (admin), only after its last homologation run passed (409 homologation_required)', params: idParams, response: { 201: createdKey, ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      assertAdmin(session, 'promotes API keys.');
      const promoted = await ctx.db.transaction(async (tx): Promise<CreatedApiKey> => {
        // The sandbox key's row is locked first: two promotions at once (a double click) are checked one
        // after the other, so the second finds the first's production key (on PostgreSQL both made one).
        await lockStoreKey(tx, session.store.id, request.params.id);
        const key = await findStoreKey(tx, session.store.id, request.params.id);
        if (!key) throw problems.notFound(`API key ${request.params.id}`);
        if (key.environment !== 'sandbox') throw homologationRequired(`Key ${key.id} is a production key: only a sandbox key is promoted.`);
        if (key.revokedAt !== null) throw homologationRequired(`Key ${key.id} was revoked: make a new sandbox key and homologate it.`);
        const [last] = await listRuns(tx, key.id);
        if (!last) throw homologationRequired(`Key ${key.id} has no homologation run: run npm run homologate -- --base <url> --key <the sandbox key> first.`);
        if (!last.passed) {
          const failed = [...last.steps.filter((step) => !step.passed).map((step) => step.step), ...last.uncorroborated.map((step) => `${step} (not corroborated)`)];
          throw homologationRequired(`The last homologation run of key ${key.id} (${last.receivedAt}) did not pass: ${failed.join(', ').slice(0, 500)}.`);
        }
        // One production key per homologated sandbox key: a second one would be a key nobody homologated the use of.
        const [earlier] = await tx.query<{ id: string }>('SELECT id FROM api_keys WHERE store_id = $1 AND promoted_from = $2 AND revoked_at IS NULL', [session.store.id, key.id]);
        if (earlier) throw homologationRequired(`Key ${key.id} was already promoted to production key ${earlier.id}: revoke that one first, or make and homologate a new sandbox key.`);
        const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now();
        if (expired) throw homologationRequired(`Key ${key.id} has expired: make a new sandbox key and homologate it.`);
        const created = await createApiKey(tx, {
          storeId: session.store.id,
          createdBy: session.user.id,
          name: key.name,
          scopes: key.scopes,
          expiresAt: key.expiresAt ?? undefined,
          rateLimitPerMinute: key.rateLimitPerMinute,
          environment: 'production',
          promotedFrom: key.id,
        });
        await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'api_key_promoted', detail: JSON.stringify({ ...JSON.parse(keyDetail(created)), promotedFrom: key.id, runId: last.id }) });
        return { ...created, lastHomologation: null };
      });
      return reply.status(201).header('cache-control', 'no-store').send(promoted);
    },
  );
}
