import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http/context.ts';
import { registerCatalogRoutes } from './routes-catalog.ts';
import { registerOrderRoutes } from './routes-orders.ts';
import { registerSalesRoutes } from './routes-sales.ts';
import { registerStockRoutes } from './routes-stock.ts';

/**
 * The integration resources of issue 12 (API-01, API-04, API-05): master data in, products out,
 * stock, e-commerce orders and sales movements, under /api/v1, each route tagged with its
 * `apiResource` for key scopes.
 */
export function registerIntegrationResources(app: FastifyInstance, ctx: ServerContext): void {
  registerCatalogRoutes(app, ctx);
  registerStockRoutes(app, ctx);
  registerOrderRoutes(app, ctx);
  registerSalesRoutes(app, ctx);
}
