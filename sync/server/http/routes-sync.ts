import type { FastifyInstance } from 'fastify';
import { COLLECTION_NAMES, PUSH_POSITION_HEADER, SEQ_MAX, type CollectionName, type PushRow, type WireDocument } from '../../schema/index.ts';
import { pageBody, readChangesPage } from '../db/documents.ts';
import { pushBodySchema } from '../validation/schemas.ts';
import { senderOf, writeBatchIn } from '../sync/write-documents.ts';
import { conflictsWithRefusedMasters } from '../sync/refused-masters.ts';
import { splitMalformedRows } from '../sync/malformed-rows.ts';
import { quarantine } from '../db/quarantine.ts';
import { writerOf } from '../auth/ownership.ts';
import { assertCanRead, assertCanWrite, authenticate, readScopeOf, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { changesPageSchema, serializeAsIs } from './response-schemas.ts';
import { wireDocumentSchema } from '../validation/schemas.ts';

export const MAX_PULL = 10_000;
export const MAX_PUSH = 5_000;

/** A checkpoint's epoch: which history of the server issued it (see db/epochs.ts). */
export const epochProperty = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_-]+$',
  description: "The checkpoint's epoch, as the server answered it. A checkpoint from another history of the server (a restored backup) is answered from the beginning with `resync: true`",
} as const;

const positionHeader = {
  type: 'integer',
  minimum: 0,
  maximum: SEQ_MAX,
  description:
    'The store sequence number the batch was stored at: every row written or already equal is stored at or below it, and any later change of them above it. A pull page or stream change whose checkpoint is below it may hold an older state of those rows. Optional for clients (older ones ignore it)',
} as const;

const pullQuery = {
  type: 'object',
  properties: {
    checkpoint: { type: 'integer', minimum: 0, maximum: SEQ_MAX, default: 0, description: 'Server sequence number of the last document the device has' },
    epoch: epochProperty,
    limit: { type: 'integer', minimum: 1, maximum: MAX_PULL, default: 1000 },
  },
} as const;

/** The replication protocol, registered per collection so each has its own schema and API document. */
export function registerSyncRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const collection of COLLECTION_NAMES) registerCollection(app, ctx, collection);
}

function registerCollection(app: FastifyInstance, ctx: ServerContext, collection: CollectionName): void {
  const preHandler = authenticate(ctx);

  app.get<{ Querystring: { checkpoint: number; epoch?: string; limit: number } }>(
    `/api/sync/${collection}/pull`,
    { schema: { tags: ['replication'], summary: `Changes of ${collection} after a checkpoint, in sequence order`, querystring: pullQuery, response: { 200: changesPageSchema(collection) } }, preHandler, serializerCompiler: serializeAsIs },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, collection);
      const { checkpoint, epoch, limit } = request.query;
      const page = await readChangesPage(ctx.db, readScopeOf(session, collection), { seq: checkpoint, epoch }, limit);
      ctx.metrics.pulled.inc({ collection }, page.count);
      // The page arrives from PostgreSQL already as one JSON array; splice it instead of re-serialising.
      return reply.type('application/json; charset=utf-8').send(pageBody(page));
    },
  );

  app.post<{ Body: PushRow[] }>(
    `/api/sync/${collection}/push`,
    {
      schema: {
        tags: ['replication'],
        summary: `Write ${collection} documents; answers the conflicting master states`,
        body: pushBodySchema(collection, MAX_PUSH),
        response: {
          200: {
            type: 'array',
            description: 'Master states of the rows that lost a conflict, and of the refused rows (kept in quarantine, listed in /api/sync/errors) whose document the server holds: the device goes back to them (empty: all written or unchanged, or refused new documents)',
            headers: { [PUSH_POSITION_HEADER]: positionHeader },
            items: wireDocumentSchema(collection),
          },
        },
      },
      preHandler,
      serializerCompiler: serializeAsIs,
      // A row the schema refuses is that row's refusal, not the batch's 400 (sync/malformed-rows.ts).
      attachValidation: true,
    },
    async (request, reply): Promise<WireDocument[]> => {
      const session = sessionOf(request);
      assertCanWrite(session, collection, 'sync');
      const writer = writerOf(session, 'sync');
      const options = { storeId: session.store.id, collection, checkConflicts: true, sourceStationId: session.stationId, sender: senderOf(session), writer, validated: true } as const;
      const split = request.validationError ? splitMalformedRows(collection, request.body, MAX_PUSH, session.stationId) : null;
      if (request.validationError && !split) throw request.validationError;
      const { outcome, answer } = await ctx.db.transaction(async (tx) => {
        let outcome;
        if (split) {
          const written = await writeBatchIn(tx, options, split.rows);
          await quarantine(tx, session.store.id, collection, split.malformed.map((entry) => ({ ...entry, sender: options.sender })));
          outcome = { ...written, quarantined: [...written.quarantined, ...split.malformed.map((entry) => ({ id: entry.documentId, refusal: { reason: entry.reason, message: entry.message } }))] };
        } else {
          outcome = await writeBatchIn(tx, options, request.body);
        }
        // A refused row the server holds goes back to the server's state on the device (sync/refused-masters.ts).
        return { outcome, answer: await conflictsWithRefusedMasters(tx, session.store.id, collection, outcome) };
      });
      ctx.metrics.pushed.inc({ collection }, outcome.written.length);
      ctx.metrics.conflicts.inc({ collection }, outcome.conflicts.length);
      for (const { refusal } of outcome.quarantined) ctx.metrics.quarantined.inc({ collection, reason: refusal.reason });
      if (outcome.quarantined.length > 0) request.log.warn({ collection, quarantined: outcome.quarantined }, 'documents quarantined');
      void reply.header(PUSH_POSITION_HEADER, String(outcome.position));
      return answer;
    },
  );
}
