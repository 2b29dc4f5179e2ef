import { withXlsx } from '../http/xlsx.ts';
import { listOrXlsx } from './xlsx-pages.ts';
import type { FastifyInstance } from 'fastify';
import type { OrderAction, OrderState } from '../../rules/index.ts';
import { isAdmin, type Session } from '../auth/sessions.ts';
import { authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { problems } from '../http/problem.ts';
import { V1 } from './api-resource.ts';
import { actOnOrder, createOrder, getOrder, listOrders, type OrderInput } from './orders.ts';
import { errors, idParams, orderActionBody, orderActionParams, orderActionResponse, orderBody, orderListQuery, orderResponse, pageOf } from './schemas.ts';

const tags = ['api: orders'];

/** Orders are the store's business: its admin and back office (and, later, a key with `orders:*`). */
function assertOrders(session: Session): void {
  if (!isAdmin(session) && !session.user.roles.includes('backoffice')) throw problems.forbidden('Only the store admin and the back office handle e-commerce orders.');
}

/**
 * E-commerce orders (API-04, seed 001): create (reserves stock), read, list, and move through the
 * state machine of sync/rules/order-state.ts — new → paid → invoiced → shipped → delivered, cancel
 * until invoiced. Invoicing commits the reservation, cancelling releases it, once, whatever the retries.
 */
export function registerOrderRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const config = { apiResource: 'orders' } as const;

  app.post<{ Body: OrderInput }>(
    `${V1}/orders`,
    {
      config,
      schema: {
        tags,
        summary: 'Create an e-commerce order and reserve its items (API-04)',
        description:
          'Money in cents; payment.amountCents must equal items + shipping. CPF/CNPJ check digits are verified (422 `/customer/taxId`). 201 created; 200 when this order id exists with the same body (a retry); ' +
          '409 `insufficient_stock` naming the short item (nothing reserved, no order); 409 when the id exists with another body.',
        body: orderBody,
        response: { 200: orderResponse, 201: orderResponse, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertOrders(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const { order, created } = await createOrder(db, session.store.id, session.user.id, request.body);
        return { status: created ? 201 : 200, body: order };
      });
    },
  );

  app.get<{ Querystring: { status?: OrderState; limit: number; cursor?: string } }>(
    `${V1}/orders`,
    { config, schema: { tags, summary: 'List orders by creation, optionally of one status (API-04)', querystring: orderListQuery, response: { 200: withXlsx(pageOf(orderResponse, 'orders')), ...errors } }, preHandler },
    async (request, reply) => {
      const session = sessionOf(request);
      assertOrders(session);
      return listOrXlsx(request, reply, { name: 'orders', item: orderResponse, key: 'orders' }, (page) =>
        listOrders(ctx.db, session.store.id, { ...request.query, ...page }),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    `${V1}/orders/:id`,
    { config, schema: { tags, summary: 'Get an order with its reservation, history and allowed actions (API-04)', params: idParams, response: { 200: orderResponse, ...errors } }, preHandler },
    async (request) => {
      const session = sessionOf(request);
      assertOrders(session);
      return getOrder(ctx.db, session.store.id, request.params.id);
    },
  );

  app.post<{ Params: { id: string; action: OrderAction }; Body: { reason?: string } | undefined }>(
    `${V1}/orders/:id/:action`,
    {
      config,
      schema: {
        tags,
        summary: 'Move an order: pay, invoice, ship, deliver or cancel (API-04)',
        description: 'pay holds the reserved stock until the order ends; invoice commits it (the goods leave the stock); cancel (until invoiced) releases it. A move already made answers 200 with `applied: false`; a move the state does not allow is a 409 naming the possible ones.',
        params: orderActionParams,
        body: orderActionBody,
        response: { 200: orderActionResponse, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertOrders(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const result = await actOnOrder(db, session.store.id, session.user.id, request.params.id, request.params.action, request.body?.reason);
        return { status: 200, body: result };
      });
    },
  );
}
