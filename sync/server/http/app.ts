import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ServerContext } from './context.ts';
import { installAuthentication } from './authenticate.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './error-handler.ts';
import { registerOpenApi } from './openapi.ts';
import { problems } from './problem.ts';
import { registerAuthRoutes } from './routes-auth.ts';
import { registerDesignRoutes } from './routes-design.ts';
import { registerErrorRoutes } from './routes-errors.ts';
import { registerIntegrationRoutes } from './routes-integration.ts';
import { registerOpsRoutes } from './routes-ops.ts';
import { registerPosRoutes } from './routes-pos.ts';
import { registerVoucherRoutes } from './routes-vouchers.ts';
import { registerStationGroupRoutes } from './routes-station-groups.ts';
import { registerStoreSettingsRoutes } from './routes-store-settings.ts';
import { registerStationRoutes } from './routes-stations.ts';
import { registerStreamRoute } from './routes-stream.ts';
import { registerPullStreamRoutes } from './routes-pull-stream.ts';
import { registerSyncRoutes } from './routes-sync.ts';
import { validatorCompiler } from '../validation/validator.ts';
import { registerBillingRoutes } from '../backoffice/routes.ts';
import { registerUsageRoutes } from '../backoffice/routes-usage.ts';
import { registerIntegrationResources } from '../integration/routes.ts';
import { registerApiKeyRoutes } from '../auth/api-keys-routes.ts';
import { registerWebhookRoutes } from '../webhooks/routes.ts';
import { registerSandboxRoutes } from '../sandbox/routes.ts';
import { clockedRateLimitStore } from './rate-limit-clock.ts';

export interface RateLimits {
  /** Requests per minute per client address on every route. */
  perMinute: number;
  /** Failed logins per minute on one account, and failed pairings or device keys on one station, from any address. */
  credentialsPerMinute: number;
  /** Failed credential attempts per minute from one address, whatever the account. */
  credentialsPerAddressPerMinute: number;
  /** Accounts one password may fail on per minute before it is refused on every account (password spraying). */
  accountsPerPasswordPerMinute: number;
  /** Length of the rate-limit window of `perMinute` and of each key's budget, seconds (default 60; tests shorten it so a 429's Retry-After is short). */
  windowSeconds?: number;
  /** Milliseconds now for those windows (default Date.now): a test moves its own clock forward to wait out a Retry-After without sleeping. */
  clock?: () => number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 6_000, credentialsPerMinute: 10, credentialsPerAddressPerMinute: 60, accountsPerPasswordPerMinute: 5 };

/** How long a client may take to send its request; a slow or silent client cannot hold a socket. */
export interface Timeouts {
  /** The head (request line and headers) must have arrived within this. */
  headersMs: number;
  /** The whole request, head and body, must have arrived within this. */
  requestMs: number;
  /** A connection with nothing sent or received for this long is closed (a body that stopped arriving). Event streams are exempt. */
  idleMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 15_000, requestMs: 120_000, idleMs: 30_000, keepAliveMs: 10_000 };

/** The app's own origins: Electron's `app://balcao`; the web host's origin is added by whoever starts it. */
export const APP_ORIGIN = 'app://balcao';

export interface AppOptions {
  logLevel: string;
  rateLimit: RateLimits | false;
  /** Browser origins granted CORS (a live set: the web host may be added after start). */
  allowedOrigins: Set<string>;
  timeouts: Timeouts;
}

/** Same-origin calls (the API document's own page) carry the server's own host in Origin. */
function isSameHost(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export async function buildApp(ctx: ServerContext, options: AppOptions): Promise<FastifyInstance> {
  const { timeouts } = options;
  const app = Fastify({
    logger: { level: options.logLevel, redact: ['req.headers.authorization', 'body.password', 'body.pairingCode', 'body.deviceKey', 'body.setupCode'] },
    // A 2,000-document push of large sales fits; anything bigger is a client bug worth a clear 413.
    bodyLimit: 32 * 1024 * 1024,
    ajv: { customOptions: { strict: false } },
    // Refusals before any route (bad URL, HTTP the parser refuses) answer in the problem shape too.
    frameworkErrors,
    clientErrorHandler,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the head and request deadlines on this interval (30 s by default): keep it well under them.
    http: {
      headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.max(10, Math.min(5_000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4))),
    },
  });
  app.decorateRequest('session', null);
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.requests.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  // Only the app's own pages may call from a browser: a page of another origin on the store's
  // network gets no CORS grant, and its requests are refused outright (they could still be sent).
  const allowed = options.allowedOrigins;
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposedHeaders: ['idempotent-replay', 'idempotent-replayed', 'retry-after', 'etag', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'balcao-seq', 'balcao-remaining', 'warning'],
    maxAge: 600,
  });
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin === undefined || request.method === 'OPTIONS' || allowed.has(origin) || isSameHost(origin, request)) return;
    throw problems.forbidden(`Requests from the web page at ${origin.slice(0, 200)} are not accepted; only the Balcão app calls this server from a browser.`);
  });
  if (options.rateLimit) {
    const perMinute = options.rateLimit.perMinute;
    // Runs as a route hook, after installAuthentication: an integrator's key has its own bucket and
    // limit (set when the key is made); everyone else is counted per address. RateLimit-* headers
    // use the IETF draft names; a 429 carries Retry-After.
    await app.register(rateLimit, {
      max: async (request) => request.session?.apiKey?.rateLimitPerMinute ?? perMinute,
      keyGenerator: (request) => (request.session?.apiKey ? `api-key:${request.session.apiKey.id}` : request.ip),
      timeWindow: (options.rateLimit.windowSeconds ?? 60) * 1000,
      enableDraftSpec: true,
      ...(options.rateLimit.clock ? { store: clockedRateLimitStore(options.rateLimit.clock) } : {}),
    });
  }
  installAuthentication(app, ctx);
  await registerOpenApi(app, ctx.version);

  registerOpsRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerStreamRoute(app, ctx);
  registerErrorRoutes(app, ctx);
  registerStationRoutes(app, ctx);
  registerIntegrationRoutes(app, ctx);
  registerPosRoutes(app, ctx);
  registerVoucherRoutes(app, ctx);
  registerStationGroupRoutes(app, ctx);
  registerStoreSettingsRoutes(app, ctx);
  registerDesignRoutes(app, ctx);
  registerBillingRoutes(app, ctx);
  registerUsageRoutes(app, ctx);
  registerIntegrationResources(app, ctx);
  registerApiKeyRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerPullStreamRoutes(app, ctx);
  registerSandboxRoutes(app, ctx);
  return app;
}
