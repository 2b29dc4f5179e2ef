import { withXlsx } from '../http/xlsx.ts';
import { listOrXlsx } from './xlsx-pages.ts';
import type { FastifyInstance } from 'fastify';
import { assertCanRead, authenticate, readScopeOf, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { problems } from '../http/problem.ts';
import { V1 } from './api-resource.ts';
import { listSalesMovements, type SalesQuery } from './sales.ts';
import { errors, saleResponse, salesQuery, salesResponse } from './schemas.ts';

/**
 * Sales movements for the ERP (POS-09, POS-10, POS-12, API-04), read-only: the stations' sales with
 * items and payments (cents), by period and station, in upload order with a cursor that never skips
 * a late upload. A caller signed in on a station sees only that station's sales (as everywhere).
 */
export function registerSalesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: SalesQuery }>(
    `${V1}/sales/movements`,
    {
      config: { apiResource: 'sales' },
      schema: {
        tags: ['api: sales'],
        summary: 'Sales of the stations by period and station, with items and payments (API-04); read-only',
        description:
          'In the order the server stored them (a cancellation stores the sale again, with status cancelled). Keep nextCursor and ask with it later to get only what arrived since. ' +
          '`from`/`to` filter on the sale\'s createdAt (UTC); money in cents.',
        querystring: salesQuery,
        response: { 200: withXlsx(salesResponse), ...errors },
      },
      preHandler: authenticate(ctx),
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, 'sales');
      const scope = readScopeOf(session, 'sales');
      const query = request.query;
      if (scope.stationId !== null && query.stationId !== undefined && query.stationId !== scope.stationId) throw problems.forbidden(`You may read the sales of your own station (${scope.stationId}) only.`);
      const stationId = scope.stationId ?? query.stationId;
      return listOrXlsx(request, reply, { name: 'sales', item: saleResponse, key: 'sales' }, (page) =>
        listSalesMovements(ctx.db, session.store.id, { ...query, stationId, ...page }),
      );
    },
  );
}
