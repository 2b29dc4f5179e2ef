import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Health } from '../../schema/index.ts';
import { sameSecret } from '../auth/secrets.ts';
import { findSession, isAdmin } from '../auth/sessions.ts';
import { bearerToken } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { errorResponses, problems } from './problem.ts';

/**
 * `/metrics` is not public: it names routes, volumes and the process's state. It answers a bearer
 * that is either the static metrics token (BALCAO_METRICS_TOKEN, for a Prometheus scraper) or the
 * session of a store administrator.
 */
async function assertMayReadMetrics(ctx: ServerContext, request: FastifyRequest): Promise<void> {
  const token = bearerToken(request);
  if (!token) throw problems.unauthorized();
  if (ctx.metricsToken && sameSecret(token, ctx.metricsToken)) return;
  const found = await findSession(ctx.db, token);
  if ('problem' in found) throw found.problem === 'expired' ? problems.sessionExpired() : problems.unauthorized();
  if (!isAdmin(found.session)) throw problems.forbidden('Only a store administrator or the metrics token reads /metrics.');
}

export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/health',
    {
      schema: {
        security: [],
        tags: ['operations'],
        summary: 'Liveness, version and database kind',
        response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' }, database: { type: 'string', enum: ['postgresql', 'pglite'] } }, required: ['status', 'version', 'database'] } },
      },
      config: { public: true, rateLimit: false },
    },
    async (): Promise<Health> => {
      // A query proves the database answers, not only that the process is up.
      await ctx.db.query('SELECT 1');
      return { status: 'ok', version: ctx.version, database: ctx.db.kind };
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (bearer: the metrics token BALCAO_METRICS_TOKEN, or an administrator session)',
        response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errorResponses },
      },
      // Checked by its own rule below, not by the session hook: a scraper has no session.
      config: { public: true, rateLimit: false },
      onRequest: async (request) => assertMayReadMetrics(ctx, request),
    },
    async (_request, reply) => {
      ctx.metrics.streams.set(ctx.hub.streamCount);
      return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    },
  );
}
