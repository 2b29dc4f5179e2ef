import type { FastifyInstance } from 'fastify';
import { canRead, canWrite, COLLECTION_NAMES, type IntegrationError } from '../../schema/index.ts';
import { isAdmin, type Session } from '../auth/sessions.ts';
import type { Database } from '../db/database.ts';
import { lockStoreSequence } from '../db/documents.ts';
import { findIntegrationError, listIntegrationErrors, recordFailedRetry, resolveEntry } from '../db/quarantine.ts';
import { writeBatchIn } from '../sync/write-documents.ts';
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

/**
 * "Tentar de novo" (POS-07): writes the entry's kept version through the one write path (last writer
 * wins: the user chose it) and settles the entry, or counts the failed attempt with the new reason.
 * One transaction holds the store's lock from the entry's read to its settlement, and the entry is read
 * again locked there: of retries sent at once exactly one writes, and the others answer the entry as it
 * now stands. A second write of the same version could land after another user's later change of the
 * document and undo it (a lost update).
 * @returns the entry as stored afterwards
 * @throws 404 problem when the entry is not the caller's to see (visibleTo), 403 when their role may not
 * write its collection or the ownership rule refuses the document (nothing is written then)
 */
async function retryEntry(db: Database, session: Session, id: string): Promise<IntegrationError> {
  const storeId = session.store.id;
  return db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const entry = await findIntegrationError(tx, storeId, id, { lock: true });
    if (!entry || !visibleTo(session, entry)) throw problems.notFound(`Integration error ${id}`);
    if (entry.resolvedAt) return entry;
    // Catalogue and master data are never a station's to write: an admin writes them through the integration
    // API (auth/ownership.ts). Their refused versions (an integrator's product with a taken sku) are retried
    // by that rule, or no one could ever settle them (POS-07: every refused record can be retried or fixed).
    const via = canWrite(entry.collection, session.user.roles) ? 'sync' : 'api';
    assertCanWrite(session, entry.collection, via);
    const document = { ...entry.document, _deleted: entry.document._deleted === true };
    // Settles this entry only: another device's open refusal of the same document (its own change, kept
    // only there) is not fixed by writing this version, and stays open for its user (POS-07).
    const outcome = await writeBatchIn(tx, { storeId, collection: entry.collection, checkConflicts: false, settlesRefusals: false, sourceStationId: entry.stationId, writer: writerOf(session, via) }, [{ newDocumentState: document }]);
    const refused = outcome.quarantined[0];
    if (refused) await recordFailedRetry(tx, entry.id, refused.refusal.reason, refused.refusal.message);
    else await resolveEntry(tx, entry.id);
    return (await findIntegrationError(tx, storeId, entry.id)) ?? entry;
  });
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
      schema: { tags: ['integration errors'], summary: 'Check a quarantined document again against the current data', description: 'Writes the kept version when it now passes and settles the entry, else counts the attempt with the new reason. Of retries of one entry sent at once exactly one writes; the others answer the entry as it then stands.', params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] }, response: { 200: integrationErrorSchema } },
      preHandler,
      serializerCompiler: serializeAsIs,
    },
    async (request): Promise<IntegrationError> => retryEntry(ctx.db, sessionOf(request), request.params.id),
  );
}
