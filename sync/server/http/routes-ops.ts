import type { FastifyInstance } from 'fastify';
import type { Health } from '../../schema/index.ts';
import type { ServerContext } from './context.ts';

export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/health', { schema: { tags: ['operations'], summary: 'Liveness, version and database kind' }, config: { rateLimit: false } }, async (): Promise<Health> => {
    // A query proves the database answers, not only that the process is up.
    await ctx.db.query('SELECT 1');
    return { status: 'ok', version: ctx.version, database: ctx.db.kind };
  });

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' }, config: { rateLimit: false } }, async (_request, reply) => {
    ctx.metrics.streams.set(ctx.hub.streamCount);
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
