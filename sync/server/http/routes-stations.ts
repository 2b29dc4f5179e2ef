import type { FastifyInstance } from 'fastify';
import type { Heartbeat, PairingCodeIssued, PairingCodeRequest, StationRegistration, StationStatus } from '../../schema/index.ts';
import { issuePairingCode, PAIRING_CODE_DEFAULT_MINUTES, PAIRING_CODE_MAX_MINUTES, registerStation, revokePairingCode, unpairStation } from '../auth/stations.ts';
import { assertAdmin, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, errorResponses, problems } from './problem.ts';

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

const stationParams = { type: 'object', additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;

const registrationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Lower-case letters, digits and dashes, unique in the store (e.g. cx03)' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    groupId: { type: 'string', minLength: 1, maxLength: 64, description: 'A station group of the master data' },
  },
  required: ['code', 'name'],
} as const;

const pairingCodeBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    expiresInMinutes: { type: 'integer', minimum: 5, maximum: PAIRING_CODE_MAX_MINUTES, description: `Default ${PAIRING_CODE_DEFAULT_MINUTES} (a day)` },
  },
} as const;

const pairingCodeAnswer = {
  type: 'object',
  properties: { stationId: { type: 'string' }, stationCode: { type: 'string' }, pairingCode: { type: 'string' }, expiresAt: { type: 'string' } },
  required: ['stationId', 'stationCode', 'pairingCode', 'expiresAt'],
} as const;

const nullableText = { type: ['string', 'null'] } as const;
const stationStatus = {
  type: 'object',
  properties: {
    id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, groupId: nullableText, paired: { type: 'boolean' }, online: { type: 'boolean' },
    lastContact: nullableText, pendingUploads: { type: 'integer' }, appVersion: nullableText, lastError: nullableText, pairingCodeExpiresAt: nullableText,
  },
  required: ['id', 'code', 'name', 'groupId', 'paired', 'online', 'lastContact', 'pendingUploads', 'appVersion', 'lastError'],
} as const;

/** Stations report in (POS-13), the admin monitor reads them back, and the admin registers and pairs them. */
export function registerStationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: Heartbeat }>(
    '/api/stations/heartbeat',
    { schema: { tags: ['stations'], summary: 'A paired station reports its state', body: heartbeatSchema, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!session.stationId) throw new ApiProblem(400, 'validation_failed', 'Only a paired station sends heartbeats: sign in with the station id and device key.');
      const { pendingUploads, appVersion, lastError } = request.body;
      await ctx.db.query('UPDATE stations SET last_contact = now(), pending_uploads = $2, app_version = $3, last_error = $4 WHERE id = $1', [session.stationId, pendingUploads, appVersion, lastError ?? null]);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/stations',
    { schema: { tags: ['stations'], summary: "The store's stations with last contact, waiting uploads, errors and a waiting pairing code (admin)", response: { 200: { type: 'array', items: stationStatus }, ...errorResponses } } },
    async (request): Promise<StationStatus[]> => {
      const session = sessionOf(request);
      assertAdmin(session, 'sees the station monitor');
      const rows = await ctx.db.query<{
        id: string; code: string; name: string; group_id: string | null; paired: boolean; last_contact: Date | string | null;
        recent: boolean; pending_uploads: number; app_version: string | null; last_error: string | null; code_expires_at: Date | string | null;
      }>(
        `SELECT id, code, name, group_id, device_key_hash IS NOT NULL AS paired, last_contact,
                coalesce(last_contact > now() - make_interval(secs => $2), false) AS recent, pending_uploads, app_version, last_error,
                CASE WHEN pairing_code_hash IS NOT NULL AND pairing_code_expires_at > now() THEN pairing_code_expires_at END AS code_expires_at
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
        pairingCodeExpiresAt: row.code_expires_at ? new Date(row.code_expires_at).toISOString() : null,
      }));
    },
  );

  app.post<{ Body: StationRegistration }>(
    '/api/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Register a station of the store (admin); pair it with a pairing code issued afterwards',
        description: 'Creates the station and its master record (kind station) that devices replicate. Recorded in the administration trail.',
        body: registrationSchema,
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, groupId: nullableText }, required: ['id', 'code', 'name', 'groupId'] }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertAdmin(session, 'registers stations');
      const station = await registerStation(ctx.db, session.store.id, request.body, session.user.id);
      return reply.status(201).send(station);
    },
  );

  app.post<{ Params: { id: string }; Body: PairingCodeRequest | null }>(
    '/api/stations/:id/pairing-code',
    {
      schema: {
        tags: ['stations'],
        summary: 'Issue a one-time pairing code for a station (admin); replaces any code still waiting',
        description:
          'The code is answered once and stored hashed. It pairs one device, once, until it expires. Pairing cuts off the ' +
          "station's previous installation (its device key and sessions). Recorded in the administration trail.",
        params: stationParams,
        body: pairingCodeBody,
        response: { 200: pairingCodeAnswer, ...errorResponses },
      },
    },
    async (request): Promise<PairingCodeIssued> => {
      const session = sessionOf(request);
      assertAdmin(session, 'issues pairing codes');
      const minutes = request.body?.expiresInMinutes ?? PAIRING_CODE_DEFAULT_MINUTES;
      return issuePairingCode(ctx.db, session.store.id, request.params.id, minutes, session.user.id);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/stations/:id/pairing-code',
    {
      schema: {
        tags: ['stations'],
        summary: "Revoke the station's waiting pairing code (admin); 404 when none is waiting",
        params: stationParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertAdmin(session, 'revokes pairing codes');
      if (!(await revokePairingCode(ctx.db, session.store.id, request.params.id, session.user.id))) throw problems.notFound(`A waiting pairing code of station ${request.params.id}`);
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/stations/:id/pairing',
    {
      schema: {
        tags: ['stations'],
        summary: "Unpair a station (admin): its device key stops working and its sessions end at once (a lost or replaced till)",
        params: stationParams,
        response: { 200: { type: 'object', properties: { sessionsEnded: { type: 'integer' } }, required: ['sessionsEnded'] }, ...errorResponses },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, 'unpairs stations');
      return unpairStation(ctx.db, session.store.id, request.params.id, session.user.id);
    },
  );
}
