import { withXlsx } from '../http/xlsx.ts';
import { listOrXlsx } from './xlsx-pages.ts';
import type { FastifyInstance } from 'fastify';
import { writerOf } from '../auth/ownership.ts';
import { assertCanRead, assertCanWrite, authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { problems } from '../http/problem.ts';
import { V1 } from './api-resource.ts';
import { batchReply, batchUpsert, MASTER_UPSERT, PRODUCT_UPSERT } from './batch-upsert.ts';
import { productFeedBody, searchProducts } from './products.ts';
import { productLookups } from './product-lookups.ts';
import { batchBody, batchRefusedResponse, batchResponse, batchValidatorCompiler, errors, feedQuery, feedResponse, masterItemSchema, pageOf, pageQuery, productItemSchema, productResponse, skuParams } from './schemas.ts';

/**
 * Master data in and products out (POS-03, API-01, API-04). The ERP is the master of registrations
 * (seed 004): it upserts products and the other master records in batches, and reads the catalogue
 * back by search, by sku and through the change feed. Writes are the store admin's (or, later, an
 * API key's with `<resource>:write`); every write honours Idempotency-Key.
 *
 * Paths under /api/v1/products and /api/v1/masterdata that are words (`batch`, `search`, `changes`,
 * `sku`) are static routes, which take precedence over the generic `/api/v1/:collection/:id`.
 */
export function registerCatalogRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  // GETs by sku arriving together share one query (product-lookups.ts; issue 12's GET p95).
  const productBySku = productLookups(ctx.db);

  app.post<{ Body: { items: unknown[] } }>(
    `${V1}/products/batch`,
    {
      config: { apiResource: 'products' },
      schema: {
        tags: ['api: products'],
        summary: 'Upsert up to 1,000 products (POS-03): per-item result, one bad item never fails the others',
        description:
          'Each item is identified by `sku` (`id` optional). A new product needs name, unit, priceCents (cents) and groupId; an existing one changes only the fields sent. ' +
          "`stock` sets the level in the unit's smallest step; absent, the stock stays. Answers 200 with one result per item in request order; an item's errors carry JSON pointers into the body " +
          '(e.g. `/items/3/priceCents`). 422 when no item was accepted (nothing written), with the same results. Stations receive the changes by replication.',
        body: batchBody(productItemSchema),
        response: { 200: batchResponse, 422: batchRefusedResponse, ...errors },
      },
      validatorCompiler: batchValidatorCompiler,
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanWrite(session, 'products', 'api');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const answer = await batchUpsert(db, PRODUCT_UPSERT, writerOf(session, 'api'), request.body.items);
        return { ...batchReply(answer), committed: () => ctx.metrics.pushed.inc({ collection: 'products' }, answer.summary.created + answer.summary.updated) };
      });
    },
  );

  app.post<{ Body: { items: unknown[] } }>(
    `${V1}/masterdata/batch`,
    {
      config: { apiResource: 'masterdata' },
      schema: {
        tags: ['api: masterdata'],
        summary: 'Upsert up to 1,000 master records (POS-03..06, POS-08, POS-17): sellers, payment types and conditions, financial reasons, promotions, product groups, station groups with price tables',
        description:
          'Each item is identified by `kind` + `code` (`id` optional). Kinds: seller, paymentType, paymentCondition, financialReason, promotion, productGroup, stationGroup ' +
          '(its `priceTable` is the station price table, prices in cents). Per-item results with JSON pointers, as for products.',
        body: batchBody(masterItemSchema),
        response: { 200: batchResponse, 422: batchRefusedResponse, ...errors },
      },
      validatorCompiler: batchValidatorCompiler,
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanWrite(session, 'masterdata', 'api');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const answer = await batchUpsert(db, MASTER_UPSERT, writerOf(session, 'api'), request.body.items);
        return { ...batchReply(answer), committed: () => ctx.metrics.pushed.inc({ collection: 'masterdata' }, answer.summary.created + answer.summary.updated) };
      });
    },
  );

  app.get<{ Querystring: { sku?: string; barcode?: string; q?: string; limit: number; cursor?: string } }>(
    `${V1}/products/search`,
    {
      config: { apiResource: 'products' },
      schema: {
        tags: ['api: products'],
        summary: 'Search live products by sku, barcode or name (API-04), by id in pages',
        querystring: {
          type: 'object',
          properties: {
            sku: { type: 'string', minLength: 1, maxLength: 40, description: 'Exact sku' },
            barcode: { type: 'string', minLength: 1, maxLength: 32, description: 'Exact barcode' },
            q: { type: 'string', minLength: 1, maxLength: 100, description: 'Part of the name or sku, any case' },
            ...pageQuery,
          },
        },
        response: { 200: withXlsx(pageOf(productResponse, 'products')), ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, 'products');
      return listOrXlsx(request, reply, { name: 'products', item: productResponse, key: 'products' }, (page) =>
        searchProducts(ctx.db, session.store.id, { ...request.query, ...page }),
      );
    },
  );

  app.get<{ Params: { sku: string } }>(
    `${V1}/products/sku/:sku`,
    {
      config: { apiResource: 'products' },
      schema: { tags: ['api: products'], summary: 'Get a live product by sku (API-04); prices in cents', params: skuParams, response: { 200: productResponse, ...errors } },
      preHandler,
    },
    async (request) => {
      const session = sessionOf(request);
      assertCanRead(session, 'products');
      const product = await productBySku(session.store.id, request.params.sku);
      if (!product) throw problems.notFound(`Product with sku ${request.params.sku}`);
      return product;
    },
  );

  app.get<{ Querystring: { cursor?: string; limit: number } }>(
    `${V1}/products/changes`,
    {
      config: { apiResource: 'products' },
      schema: {
        tags: ['api: products'],
        summary: 'Change feed of products since a checkpoint (API-04): deletions included, never skips a row',
        description: 'Start without a cursor; keep nextCursor and ask with it again (also when hasMore is false) to get only what changed since. Prices in cents, stock in the unit\'s smallest step.',
        querystring: feedQuery,
        response: { 200: feedResponse, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, 'products');
      const body = await productFeedBody(ctx.db, session.store.id, request.query.cursor, request.query.limit);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
