import type { FastifyInstance } from 'fastify';
import type { Heartbeat, StationStatus } from '../../schema/index.ts';
import { isAdmin } from '../auth/sessions.ts';
import { authenticate, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, problems } from './problem.ts';

/** Two missed heartbeats (the station beats every 30 s) before the monitor calls it offline. */
export const ONLINE_WINDOW_SECONDS = 60;

const heartbeatSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pendingUploads: { type: 'integer', minimum: 0, maximum: 100_000_000 },
    appVersion: { type: 'string', minLength: 1, maxLength: 40 },
    lastError: { type: ['string', 'null'], maxLength: 1000 },
  },
  required: ['pendingUploads', 'appVersion'],
} as const;

/** Stations report in (POS-13) and the admin monitor reads them back. */
export function registerStationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);

  app.post<{ Body: Heartbeat }>('/api/stations/heartbeat', { schema: { tags: ['stations'], summary: 'A paired station reports its state', body: heartbeatSchema }, preHandler }, async (request, reply) => {
    const session = sessionOf(request);
    if (!session.stationId) throw new ApiProblem(400, 'validation_failed', 'Only a paired station sends heartbeats: sign in with the station id and device key.');
    const { pendingUploads, appVersion, lastError } = request.body;
    await ctx.db.query('UPDATE stations SET last_contact = now(), pending_uploads = $2, app_version = $3, last_error = $4 WHERE id = $1', [session.stationId, pendingUploads, appVersion, lastError ?? null]);
    return reply.status(204).send();
  });

  app.get('/api/stations', { schema: { tags: ['stations'], summary: "The store's stations with last contact, waiting uploads and errors (admin)" }, preHandler }, async (request): Promise<StationStatus[]> => {
    const session = sessionOf(request);
    if (!isAdmin(session)) throw problems.forbidden('Only a store administrator sees the station monitor.');
    const rows = await ctx.db.query<{
      id: string; code: string; name: string; group_id: string | null; paired: boolean; last_contact: Date | string | null;
      recent: boolean; pending_uploads: number; app_version: string | null; last_error: string | null;
    }>(
      `SELECT id, code, name, group_id, device_key_hash IS NOT NULL AS paired, last_contact,
              coalesce(last_contact > now() - make_interval(secs => $2), false) AS recent, pending_uploads, app_version, last_error
         FROM stations WHERE store_id = $1 ORDER BY code`,
      [session.store.id, ctx.stationOnlineSeconds ?? ONLINE_WINDOW_SECONDS],
    );
    return rows.map((row) => ({
      id: row.id,
      code: row.code,
      name: row.name,
      groupId: row.group_id,
      paired: row.paired,
      online: row.recent || ctx.openStreams.has(row.id),
      lastContact: row.last_contact ? new Date(row.last_contact).toISOString() : null,
      pendingUploads: Number(row.pending_uploads),
      appVersion: row.app_version,
      lastError: row.last_error,
    }));
  });
}
