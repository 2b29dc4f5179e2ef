import { STATUS_CODES } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { registerConventionsRoute } from './conventions.ts';
import { errorResponses } from './problem.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Request headers of the integration API's writes, declared in the document (validated loosely: the routes check them). */
const writeHeaders = {
  'idempotency-key': { type: 'string', description: 'A unique key per logical request (a UUID): retries with the same key and body replay the first answer (see /docs/conventions)' },
  'if-match': { type: 'string', description: "The resource's ETag from its GET, exactly as answered: the write is refused with 412 if it changed since (a weak W/ tag never matches, RFC 9110 §13.1.1)" },
} as const;

type Schema = NonNullable<RouteOptions['schema']> & { headers?: { type?: string; properties?: Record<string, unknown> } };

/**
 * What every route's entry in the document says about calling it, added where the route is made:
 * security (integration routes: a session or an API key; the rest inherit a session, public ones none)
 * and, on integration writes, the Idempotency-Key and If-Match headers.
 */
function describeRoute(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const config = (route.config ?? {}) as { public?: boolean; apiResource?: string };
  const schema = (route.schema ?? {}) as Schema;
  if (route.url.startsWith('/docs')) return;
  // Other routes inherit the document's default (a session); public ones say `security: []` themselves.
  if (schema.security === undefined && config.apiResource) schema.security = [{ session: [] }, { apiKey: [] }];
  if ((config.apiResource || route.url.startsWith('/api/v1/')) && methods.some((method) => WRITES.has(method))) {
    const headers = schema.headers ?? { type: 'object' };
    schema.headers = { ...headers, type: 'object', properties: { ...writeHeaders, ...headers.properties } };
  }
  // Every documented route documents its refusals too: the one problem shape (RFC 9457).
  const response = schema.response as Record<string, Record<string, unknown>> | undefined;
  if (response) {
    const described = Object.fromEntries(
      Object.entries(response).map(([status, entry]) => [status, typeof entry.description === 'string' ? entry : { ...entry, description: STATUS_CODES[Number(status)] ?? 'Answer' }]),
    );
    schema.response = Object.keys(response).some((status) => /^[45]/.test(status)) ? described : { ...described, ...errorResponses };
  }
  route.schema = schema;
}

type OpenApiDocument = { paths?: Record<string, Record<string, { operationId?: string; tags?: string[] }>>; tags?: { name: string }[] };

/**
 * What linters (Spectral's OAS ruleset) ask of a document that route schemas do not give: an
 * operationId per operation (from method and path) and the list of the tags the operations use.
 */
function completeDocument(document: OpenApiDocument): OpenApiDocument {
  const tags = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      operation.operationId ??= `${method}${path.replace(/\{([^}]+)\}/g, 'By-$1').split(/[^A-Za-z0-9]+/).filter(Boolean).map((part) => part[0]!.toUpperCase() + part.slice(1)).join('')}`;
      for (const tag of operation.tags ?? []) tags.add(tag);
    }
  }
  return { ...document, tags: [...tags].sort().map((name) => ({ name })) };
}

/** The API document is generated from the route schemas, which come from sync/schema: one source. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  app.addHook('onRoute', describeRoute);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Balcão central API',
        version,
        description:
          'Replication endpoints for Balcão devices and the integration API for outside systems (ERPs, e-commerce). ' +
          'People sign in with POST /api/auth/login; integrators use an API key made by the store administrator; both are sent as `Authorization: Bearer <token>`. ' +
          'Errors are RFC 9457 problem details. Conventions (scopes, Idempotency-Key, ETag/If-Match, rate limits, problem types): /docs/conventions.',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        contact: { name: 'Balcão' },
      },
      servers: [{ url: '/', description: 'This server' }],
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer', description: 'A person\'s session token from POST /api/auth/login' },
          apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'bk.<id>.<secret>', description: "An integrator's API key (scoped per resource; see /docs/conventions)" },
        },
      },
      security: [{ session: [] }],
    },
    transformObject: (documentObject) => completeDocument(('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as OpenApiDocument) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerConventionsRoute(app);
}
