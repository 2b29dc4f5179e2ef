import type { FastifyReply, FastifyRequest } from 'fastify';
import { canRead, canWrite, COLLECTIONS, type CollectionName } from '../../schema/index.ts';
import { findSession, isAdmin, type Session } from '../auth/sessions.ts';
import type { ReadScope } from '../db/documents.ts';
import type { ServerContext } from './context.ts';
import { problems } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
  }
}

/** preHandler for every protected route: resolves the bearer token into `request.session`. */
export function authenticate(ctx: ServerContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw problems.unauthorized();
    const found = await findSession(ctx.db, token);
    if ('problem' in found) throw found.problem === 'expired' ? problems.sessionExpired() : problems.unauthorized();
    request.session = found.session;
  };
}

export function sessionOf(request: FastifyRequest): Session {
  if (!request.session) throw problems.unauthorized();
  return request.session;
}

export function assertCanRead(session: Session, collection: CollectionName): void {
  if (!isAdmin(session) && !canRead(collection, session.user.roles)) {
    throw problems.forbidden(`Your role may not read "${collection}".`);
  }
}

export function assertCanWrite(session: Session, collection: CollectionName, via: 'sync' | 'api'): void {
  // Read-only collections (catalogue, master data) are written centrally: by an admin through the API.
  if (via === 'api' && isAdmin(session)) return;
  if (canWrite(collection, session.user.roles)) return;
  if (COLLECTIONS[collection].writeRoles.length === 0 || canRead(collection, session.user.roles)) throw problems.readOnly(collection);
  throw problems.forbidden(`Your role may not change "${collection}".`);
}

// No document has an empty station id (schema minLength 1), so this scope matches nothing.
const NO_STATION = '';

/** Store always; for station-visible collections only the caller's station, unless an admin asks. */
export function readScopeOf(session: Session, collection: CollectionName): ReadScope {
  const stationOnly = COLLECTIONS[collection].visibility === 'station' && !isAdmin(session);
  return { storeId: session.store.id, collection, stationId: stationOnly ? (session.stationId ?? NO_STATION) : null };
}

/** A station may only send its own station-visible records (its sales, its audit trail). */
export function assertOwnStation(session: Session, collection: CollectionName, docs: readonly Record<string, unknown>[]): void {
  if (COLLECTIONS[collection].visibility !== 'station' || isAdmin(session)) return;
  const foreign = docs.find((doc) => doc.stationId !== session.stationId);
  if (foreign) {
    throw problems.forbidden(`Document ${String(foreign.id)} belongs to station ${String(foreign.stationId)}; a device may only send records of its own station.`);
  }
}
