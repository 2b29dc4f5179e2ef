import type { FastifyInstance } from 'fastify';
import { canRead, COLLECTION_NAMES, type IntegrationError } from '../../schema/index.ts';
import { isAdmin, type Session } from '../auth/sessions.ts';
import { findIntegrationError, listIntegrationErrors, recordFailedRetry, resolveEntry } from '../db/quarantine.ts';
import { writeBatch } from '../sync/write-documents.ts';
import { writerOf } from '../auth/ownership.ts';
import { assertCanWrite, authenticate, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { problems } from './problem.ts';
import { integrationErrorSchema, serializeAsIs } from './response-schemas.ts';

const listQuery = {
  type: 'object',
  properties: { includeResolved: { type: 'boolean', default: false }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
} as const;

/**
 * An admin sees the store's entries; anyone else those of the station they signed in on (or, without
 * one, the station-less callers'), and only of collections their roles may read: a cashier does not
 * read the back office's refused charges.
 */
function visibleTo(session: Session, entry: IntegrationError): boolean {
  return isAdmin(session) || (entry.stationId === session.stationId && canRead(entry.collection, session.user.roles));
}

function readableBy(session: Session) {
  return isAdmin(session) ? undefined : COLLECTION_NAMES.filter((collection) => canRead(collection, session.user.roles));
}

/** Integration errors (POS-07): what the server kept in quarantine, and a way to try again. */
export function registerErrorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);

  app.get<{ Querystring: { includeResolved: boolean; limit: number } }>(
    '/api/sync/errors',
    { schema: { tags: ['integration errors'], summary: 'Documents kept in quarantine, with the reason', querystring: listQuery, response: { 200: { type: 'array', items: integrationErrorSchema } } }, preHandler, serializerCompiler: serializeAsIs },
    async (request): Promise<IntegrationError[]> => {
      const session = sessionOf(request);
      return listIntegrationErrors(ctx.db, {
        storeId: session.store.id,
        scope: isAdmin(session) ? 'store' : { station: session.stationId },
        collections: readableBy(session),
        includeResolved: request.query.includeResolved,
        limit: request.query.limit,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/sync/errors/:id/retry',
    {
      schema: { tags: ['integration errors'], summary: 'Check a quarantined document again against the current data', params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] }, response: { 200: integrationErrorSchema } },
      preHandler,
      serializerCompiler: serializeAsIs,
    },
    async (request): Promise<IntegrationError> => {
      const session = sessionOf(request);
      const entry = await findIntegrationError(ctx.db, session.store.id, request.params.id);
      if (!entry || !visibleTo(session, entry)) throw problems.notFound(`Integration error ${request.params.id}`);
      if (entry.resolvedAt) return entry;
      assertCanWrite(session, entry.collection, 'sync');
      const document = { ...entry.document, _deleted: entry.document._deleted === true };
      // Settles this entry only: another device's open refusal of the same document (its own change, kept
      // only there) is not fixed by writing this version, and stays open for its user (POS-07).
      const outcome = await writeBatch(ctx.db, { storeId: session.store.id, collection: entry.collection, checkConflicts: false, settlesRefusals: false, sourceStationId: entry.stationId, writer: writerOf(session, 'sync') }, [{ newDocumentState: document }]);
      const refused = outcome.quarantined[0];
      if (refused) await recordFailedRetry(ctx.db, entry.id, refused.refusal.reason, refused.refusal.message);
      else await resolveEntry(ctx.db, entry.id);
      return (await findIntegrationError(ctx.db, session.store.id, entry.id)) ?? entry;
    },
  );
}
