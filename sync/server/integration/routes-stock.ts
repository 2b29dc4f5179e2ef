import { withXlsx } from '../http/xlsx.ts';
import { listOrXlsx } from './xlsx-pages.ts';
import type { FastifyInstance } from 'fastify';
import { digest } from '../auth/secrets.ts';
import { lockStoreSequence } from '../db/documents.ts';
import { assertCanRead, assertCanWrite, authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { stableJson } from '../sync/stable-json.ts';
import { V1 } from './api-resource.ts';
import { adjustmentBody, adjustmentResponse, errors, pageOf, reservationBody, reservationParams, reservationResponse, stockLevel, stockQuery } from './schemas.ts';
import { adjustStock, commitReservation, releaseReservation, reservationOf, reserve, stockLevels, type ProductRef } from './stock.ts';

type ReserveBody = { id: string; items: (ProductRef & { quantity: number })[]; ttlSeconds: number };
type AdjustBody = ProductRef & { id: string; delta: number; reason: string };

const tags = ['api: stock'];
const settleResponse = { type: 'object', properties: { applied: { type: 'boolean', description: 'false: already done before (a retry); nothing changed' }, reservation: reservationResponse }, required: ['applied', 'reservation'] } as const;

/**
 * Stock for e-commerce and the ERP (API-04): levels per product of the caller's store, adjustments
 * (a delta with a reason, once per adjustment id) and reservations (reserve → commit or release; a
 * reservation lapses by itself at its expiry). Reading needs read access to products; changing stock
 * is the store admin's (or a key's with `stock:write`). Every write honours Idempotency-Key too.
 */
export function registerStockRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const config = { apiResource: 'stock' } as const;

  app.get<{ Querystring: ProductRef & { limit: number; cursor?: string } }>(
    `${V1}/stock`,
    {
      config,
      schema: {
        tags,
        summary: 'Stock levels of the store (API-04): on hand, reserved and available, per product, by id in pages',
        querystring: stockQuery,
        response: { 200: withXlsx(pageOf(stockLevel, 'levels')), ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, 'products');
      return listOrXlsx(request, reply, { name: 'stock', item: stockLevel, key: 'levels' }, (page) =>
        stockLevels(ctx.db, session.store.id, { ...request.query, ...page }),
      );
    },
  );

  app.post<{ Body: AdjustBody }>(
    `${V1}/stock/adjustments`,
    {
      config,
      schema: {
        tags,
        summary: 'Adjust a product\'s stock by a delta with a reason (API-04); the same adjustment id applies once',
        description: 'Name the product by productId or sku. The delta is in the unit\'s smallest step. 201 when applied, 200 with `replayed: true` when this id was applied before; 409 when the id was used for another change.',
        body: adjustmentBody,
        response: { 200: adjustmentResponse, 201: adjustmentResponse, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanWrite(session, 'products', 'api');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const adjustment = await db.transaction(async (tx) => {
          await lockStoreSequence(tx, session.store.id);
          return adjustStock(tx, session.store.id, session.user.id, request.body);
        });
        return { status: adjustment.replayed ? 200 : 201, body: adjustment };
      });
    },
  );

  app.post<{ Body: ReserveBody }>(
    `${V1}/stock/reservations`,
    {
      config,
      schema: {
        tags,
        summary: 'Reserve stock for an order (API-04): every item or nothing; lapses by itself after ttlSeconds',
        description: '201 when reserved; 200 when this reservation id exists with the same items (a retry); 409 `insufficient_stock` naming the short item (`/items/i/quantity`), nothing reserved.',
        body: reservationBody,
        response: { 200: reservationResponse, 201: reservationResponse, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanWrite(session, 'products', 'api');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const { id, items, ttlSeconds } = request.body;
        const result = await db.transaction(async (tx) => {
          await lockStoreSequence(tx, session.store.id);
          return reserve(tx, session.store.id, { id, orderId: null, items, ttlSeconds, requestHash: digest(stableJson({ items, ttlSeconds })), pointer: '/items' });
        });
        return { status: result.replayed ? 200 : 201, body: result.reservation };
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    `${V1}/stock/reservations/:id`,
    { config, schema: { tags, summary: 'A reservation and its state (active, expired, committed, released)', params: reservationParams, response: { 200: reservationResponse, ...errors } }, preHandler },
    async (request) => {
      const session = sessionOf(request);
      assertCanRead(session, 'products');
      const { requestHash: _hash, ...reservation } = await reservationOf(ctx.db, session.store.id, request.params.id, null);
      return reservation;
    },
  );

  for (const [verb, settle, what] of [
    ['commit', commitReservation, 'Commit a reservation: its units leave the stock (stations receive the new stock); once'],
    ['release', releaseReservation, 'Release a reservation (active or lapsed): its units are available again; once'],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `${V1}/stock/reservations/:id/${verb}`,
      { config, schema: { tags, summary: `${what} (API-04)`, params: reservationParams, response: { 200: settleResponse, ...errors } }, preHandler },
      async (request, reply) => {
        const session = sessionOf(request);
        assertCanWrite(session, 'products', 'api');
        return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
          const result = await db.transaction(async (tx) => {
            await lockStoreSequence(tx, session.store.id);
            return settle(tx, session.store.id, request.params.id, null);
          });
          const { requestHash: _hash, ...reservation } = result.reservation as typeof result.reservation & { requestHash?: string };
          return { status: 200, body: { applied: result.applied, reservation } };
        });
      },
    );
  }
}
