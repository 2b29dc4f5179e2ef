import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerContext } from './context.ts';
import { installErrorHandling } from './error-handler.ts';
import { registerOpenApi } from './openapi.ts';
import { registerAuthRoutes } from './routes-auth.ts';
import { registerDesignRoutes } from './routes-design.ts';
import { registerErrorRoutes } from './routes-errors.ts';
import { registerIntegrationRoutes } from './routes-integration.ts';
import { registerOpsRoutes } from './routes-ops.ts';
import { registerPosRoutes } from './routes-pos.ts';
import { registerStationGroupRoutes } from './routes-station-groups.ts';
import { registerStationRoutes } from './routes-stations.ts';
import { registerStreamRoute } from './routes-stream.ts';
import { registerSyncRoutes } from './routes-sync.ts';
import { validatorCompiler } from '../validation/validator.ts';

export interface RateLimits {
  /** Requests per minute per client address on every route. */
  perMinute: number;
  /** Login and pairing attempts per minute per address and account. */
  credentialsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 6_000, credentialsPerMinute: 20 };

export interface AppOptions {
  logLevel: string;
  rateLimit: RateLimits | false;
}

export async function buildApp(ctx: ServerContext, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel, redact: ['req.headers.authorization', 'body.password', 'body.pairingCode', 'body.deviceKey'] },
    // A 2,000-document push of large sales fits; anything bigger is a client bug worth a clear 413.
    bodyLimit: 32 * 1024 * 1024,
    ajv: { customOptions: { strict: false } },
  });
  app.decorateRequest('session', null);
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.requests.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  // Tokens travel in the Authorization header, never in cookies, so any origin may call.
  await app.register(cors, { origin: true, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], exposedHeaders: ['idempotent-replay', 'retry-after'], maxAge: 600 });
  if (options.rateLimit) await app.register(rateLimit, { max: options.rateLimit.perMinute, timeWindow: '1 minute' });
  await registerOpenApi(app, ctx.version);

  registerOpsRoutes(app, ctx);
  registerAuthRoutes(app, ctx, options.rateLimit ? options.rateLimit.credentialsPerMinute : false);
  registerSyncRoutes(app, ctx);
  registerStreamRoute(app, ctx);
  registerErrorRoutes(app, ctx);
  registerStationRoutes(app, ctx);
  registerIntegrationRoutes(app, ctx);
  registerPosRoutes(app, ctx);
  registerStationGroupRoutes(app, ctx);
  registerDesignRoutes(app, ctx);
  return app;
}
