import type { FastifyInstance } from 'fastify';
import { COLLECTION_NAMES, type CollectionName, type PushRow, type WireDocument } from '../../schema/index.ts';
import { readChangesPage } from '../db/documents.ts';
import { pushBodySchema } from '../validation/schemas.ts';
import { writeBatch } from '../sync/write-documents.ts';
import { assertCanRead, assertCanWrite, assertOwnStation, authenticate, readScopeOf, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';

export const MAX_PULL = 10_000;
export const MAX_PUSH = 5_000;

const pullQuery = {
  type: 'object',
  properties: {
    checkpoint: { type: 'integer', minimum: 0, default: 0, description: 'Server sequence number of the last document the device has' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PULL, default: 1000 },
  },
} as const;

/** The replication protocol, registered per collection so each has its own schema and API document. */
export function registerSyncRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const collection of COLLECTION_NAMES) registerCollection(app, ctx, collection);
}

function registerCollection(app: FastifyInstance, ctx: ServerContext, collection: CollectionName): void {
  const preHandler = authenticate(ctx);

  app.get<{ Querystring: { checkpoint: number; limit: number } }>(
    `/api/sync/${collection}/pull`,
    { schema: { tags: ['replication'], summary: `Changes of ${collection} after a checkpoint, in sequence order`, querystring: pullQuery }, preHandler },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, collection);
      const { checkpoint, limit } = request.query;
      const { json, count, lastSeq } = await readChangesPage(ctx.db, readScopeOf(session, collection), checkpoint, limit);
      ctx.metrics.pulled.inc({ collection }, count);
      // The page arrives from PostgreSQL already as one JSON array; splice it instead of re-serialising.
      const body = `{"documents":${json},"checkpoint":{"seq":${lastSeq ?? checkpoint}}}`;
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.post<{ Body: PushRow[] }>(
    `/api/sync/${collection}/push`,
    {
      schema: { tags: ['replication'], summary: `Write ${collection} documents; answers the conflicting master states`, body: pushBodySchema(collection, MAX_PUSH) },
      preHandler,
    },
    async (request): Promise<WireDocument[]> => {
      const session = sessionOf(request);
      assertCanWrite(session, collection, 'sync');
      assertOwnStation(session, collection, request.body.map((row) => row.newDocumentState));
      const outcome = await writeBatch(ctx.db, { storeId: session.store.id, collection, checkConflicts: true, sourceStationId: session.stationId }, request.body);
      ctx.metrics.pushed.inc({ collection }, outcome.written.length);
      ctx.metrics.conflicts.inc({ collection }, outcome.conflicts.length);
      for (const { refusal } of outcome.quarantined) ctx.metrics.quarantined.inc({ collection, reason: refusal.reason });
      if (outcome.quarantined.length > 0) request.log.warn({ collection, quarantined: outcome.quarantined }, 'documents quarantined');
      return outcome.conflicts;
    },
  );
}
