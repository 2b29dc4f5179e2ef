import type { FastifyInstance } from 'fastify';
import { COLLECTION_NAMES, SEQ_MAX, type ApiResource, type CollectionName, type WireDocument } from '../../schema/index.ts';
import { loadDocuments, lockStoreSequence, pageBody, readChangesPage } from '../db/documents.ts';
import { documentSchema, wireDocumentSchema } from '../validation/schemas.ts';
import { toWire, writeBatch, writeBatchIn, type WriteOutcome } from '../sync/write-documents.ts';
import { writerOf } from '../auth/ownership.ts';
import { assertCanRead, assertCanWrite, authenticate, readScopeOf, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { withIdempotency } from './idempotency.ts';
import { etagOf, ifMatchOf } from './etag.ts';
import { changesPageSchema, serializeAsIs } from './response-schemas.ts';
import { ApiProblem, problems } from './problem.ts';
import { epochProperty, MAX_PULL } from './routes-sync.ts';
import { columnsOf, formatQuery, sendXlsx, wantsXlsx, withXlsx, type XlsxSheet } from './xlsx.ts';
import { documentLookups } from '../integration/document-lookups.ts';

/** A change-feed page with its documents parsed, as a worksheet (API-03): next page from the checkpoint while pages are full. */
type ParsedPage = { docs: Record<string, unknown>[]; seq: number; full: boolean };
const changesSheet = (collection: CollectionName): XlsxSheet<ParsedPage, number> => ({
  name: collection,
  columns: [...columnsOf(documentSchema(collection)), '_deleted'],
  rows: (page) => page.docs,
  next: (page) => (page.full ? page.seq : null),
});

const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const listQuery = {
  type: 'object',
  properties: {
    since: { type: 'integer', minimum: 0, maximum: SEQ_MAX, default: 0, description: 'Sequence number (checkpoint.seq of the previous page); returns what changed after it' },
    epoch: epochProperty,
    limit: { type: 'integer', minimum: 1, maximum: MAX_PULL, default: 500 },
    ...formatQuery,
  },
} as const;

/**
 * The scope an API key needs for each collection's routes (P/Q contract, issue 12). Collections
 * without one (design, audit trail, purchase orders) are not open to keys at all (403).
 */
export const COLLECTION_API_RESOURCE: Partial<Record<CollectionName, ApiResource>> = {
  products: 'products',
  masterdata: 'masterdata',
  sales: 'sales',
  cashMovements: 'sales',
  customers: 'billing',
  backoffice: 'billing',
  consumption: 'billing',
  backofficeActions: 'billing',
};

/** The integration REST API for outside systems (API-01…): generic over the collection registry. */
export function registerIntegrationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const collection of COLLECTION_NAMES) registerCollection(app, ctx, collection);
}

function answerOf(outcome: WriteOutcome, collection: CollectionName, doc: WireDocument) {
  const refused = outcome.quarantined[0];
  if (refused) {
    const problem = new ApiProblem(422, 'quarantined', `${refused.refusal.message} (reason: ${refused.refusal.reason}; kept in GET /api/sync/errors)`);
    return { status: 422, body: problem.toBody() };
  }
  // The new version's tag; a write that changed nothing keeps the stored one (the route adds it).
  return { status: 200, body: { collection, document: doc, written: outcome.written.length > 0 }, headers: outcome.seq !== null ? { etag: etagOf(outcome.seq) } : undefined };
}

/** Response schemas of a collection's routes. */
function responsesOf(collection: CollectionName) {
  const wire = wireDocumentSchema(collection);
  return {
    list: { 200: withXlsx(changesPageSchema(collection)) },
    one: { 200: wire },
    write: {
      200: {
        type: 'object',
        properties: { collection: { type: 'string', enum: [collection] }, document: wire, written: { type: 'boolean', description: 'false when the document was already so (a retry)' } },
        required: ['collection', 'document', 'written'],
      },
    },
  };
}

const asIs = serializeAsIs;

function registerCollection(app: FastifyInstance, ctx: ServerContext, collection: CollectionName): void {
  const preHandler = authenticate(ctx);
  const tags = [`api: ${collection}`];
  const resource = COLLECTION_API_RESOURCE[collection];
  const config = resource ? { apiResource: resource } : {};
  const responses = responsesOf(collection);
  // GETs by id arriving together share one query (integration/batched-lookups.ts; issue 12's GET p95).
  const byId = documentLookups(ctx.db, collection);

  app.get<{ Querystring: { since: number; epoch?: string; limit: number } }>(
    `/api/v1/${collection}`,
    { schema: { tags, summary: `List ${collection} changed after a sequence number (incl. deletions)`, querystring: listQuery, response: responses.list }, preHandler, config, serializerCompiler: asIs },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, collection);
      const { since, epoch, limit } = request.query;
      if (wantsXlsx(request)) return sendXlsx(reply, changesSheet(collection), async (next) => readChangesPage(ctx.db, readScopeOf(session, collection), { seq: next ?? since, epoch }, MAX_PULL).then((p) => ({ docs: JSON.parse(p.json) as Record<string, unknown>[], seq: p.checkpoint.seq, full: p.count === MAX_PULL })));
      const page = await readChangesPage(ctx.db, readScopeOf(session, collection), { seq: since, epoch }, limit);
      return reply.type('application/json; charset=utf-8').send(pageBody(page));
    },
  );

  app.get<{ Params: { id: string } }>(`/api/v1/${collection}/:id`, { schema: { tags, summary: `One ${collection} document (ETag: its version, for If-Match)`, params: idParams, response: responses.one }, preHandler, config, serializerCompiler: asIs }, async (request, reply) => {
    const session = sessionOf(request);
    assertCanRead(session, collection);
    const scope = readScopeOf(session, collection);
    const found = await byId(session.store.id, request.params.id);
    if (!found || (scope.stationId !== null && found.stationId !== scope.stationId)) throw problems.notFound(`${collection}/${request.params.id}`);
    void reply.header('etag', etagOf(found.seq));
    return toWire(found);
  });

  app.put<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `/api/v1/${collection}/:id`,
    { schema: { tags, summary: `Create or replace a ${collection} document (Idempotency-Key honoured; If-Match: 412 when stale)`, params: idParams, body: documentSchema(collection), response: responses.write }, preHandler, config, serializerCompiler: asIs },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanWrite(session, collection, 'api');
      if (request.body.id !== request.params.id) {
        throw new ApiProblem(400, 'validation_failed', `The body's id "${String(request.body.id)}" differs from the id in the path "${request.params.id}". Send the same id in both.`, '/id');
      }
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const doc: WireDocument = { ...request.body, _deleted: false };
        const outcome = await writeBatch(db, { storeId: session.store.id, collection, checkConflicts: false, writer: writerOf(session, 'api'), validated: true, ifMatch: ifMatchOf(request) }, [{ newDocumentState: doc }]);
        return { ...answerOf(outcome, collection, doc), committed: () => ctx.metrics.pushed.inc({ collection }, outcome.written.length) };
      });
    },
  );

  app.delete<{ Params: { id: string } }>(
    `/api/v1/${collection}/:id`,
    { schema: { tags, summary: `Delete a ${collection} document (kept as a deletion devices replicate; If-Match: 412 when stale)`, params: idParams, response: responses.write }, preHandler, config, serializerCompiler: asIs },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanWrite(session, collection, 'api');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        // Read under the store's lock, in the deletion's transaction: the deletion keeps the version stored
        // then, not an older read that a concurrent PUT has replaced since (that PUT's change would be lost).
        const deletion = await db.transaction(async (tx) => {
          await lockStoreSequence(tx, session.store.id);
          const found = (await loadDocuments(tx, session.store.id, collection, [request.params.id])).get(request.params.id);
          if (!found) return null;
          const doc: WireDocument = { ...found.data, _deleted: true };
          // Another station's record is refused by the ownership rule in writeBatchIn (403), like a PUT.
          const outcome = await writeBatchIn(tx, { storeId: session.store.id, collection, checkConflicts: false, writer: writerOf(session, 'api'), ifMatch: ifMatchOf(request), known: new Map([[found.id, found]]) }, [{ newDocumentState: doc }]);
          return { doc, outcome };
        });
        if (!deletion) return { status: 404, body: problems.notFound(`${collection}/${request.params.id}`).toBody() };
        return { ...answerOf(deletion.outcome, collection, deletion.doc), committed: () => ctx.metrics.pushed.inc({ collection }, deletion.outcome.written.length) };
      });
    },
  );
}
