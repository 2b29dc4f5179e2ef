import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** The API document is generated from the route schemas, which come from sync/schema: one source. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Balcão central API',
        version,
        description:
          'Replication endpoints for Balcão devices and the integration API for outside systems (ERPs, e-commerce). ' +
          'Authenticate with POST /api/auth/login and send the token as `Authorization: Bearer <token>`. ' +
          'Every error answers `{ error: { code, message, field? } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
