import type { FastifyInstance } from 'fastify';
import type { StationGroupMove, WireDocument } from '../../schema/index.ts';
import { isAdmin } from '../auth/sessions.ts';
import { loadDocuments, lockStoreSequence } from '../db/documents.ts';
import { writeStationRecord } from '../auth/stations.ts';
import { authenticate, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, problems } from './problem.ts';

const params = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const body = { type: 'object', additionalProperties: false, properties: { groupId: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['groupId'] } as const;

export interface StationGroupMoved {
  stationId: string;
  groupId: string;
  /** The station's master record as devices now receive it. */
  station: WireDocument;
}

/**
 * An admin moves a station to another group (POS-08). The stations table (monitor, pairing) and the
 * station's master record (what devices replicate, and from which they pick the group's price table
 * and promotions) change in one transaction, the record through the write path.
 */
export function registerStationGroupRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.put<{ Params: { id: string }; Body: StationGroupMove }>(
    '/api/stations/:id/group',
    {
      schema: {
        tags: ['stations'],
        summary: 'Move a station to another station group (admin)',
        params,
        body,
        response: { 200: { type: 'object', properties: { stationId: { type: 'string' }, groupId: { type: 'string' }, station: { type: 'object', description: "The station's master record (masterdata, kind station) as devices now receive it", additionalProperties: true } }, required: ['stationId', 'groupId', 'station'] } },
      },
      preHandler: authenticate(ctx),
    },
    async (request): Promise<StationGroupMoved> => {
      const session = sessionOf(request);
      if (!isAdmin(session)) throw problems.forbidden('Only a store administrator moves stations between groups.');
      const storeId = session.store.id;
      const { id } = request.params;
      const { groupId } = request.body;
      return ctx.db.transaction(async (tx) => {
        // Taken first, as every writer does, so the group cannot vanish between the check and the write.
        await lockStoreSequence(tx, storeId);
        const [station] = await tx.query<{ id: string; code: string; name: string }>('SELECT id, code, name FROM stations WHERE store_id = $1 AND id = $2', [storeId, id]);
        if (!station) throw problems.notFound(`Station ${id}`);
        const records = await loadDocuments(tx, storeId, 'masterdata', [groupId, station.id]);
        const group = records.get(groupId);
        if (!group || group.deleted || group.data.kind !== 'stationGroup') {
          throw new ApiProblem(404, 'not_found', `Station group ${groupId} was not found in this store. Pick a group listed in the master data (kind stationGroup) or register it first.`, '/groupId');
        }
        const current = records.get(station.id);
        const base = current && !current.deleted ? current.data : { id: station.id, kind: 'station', code: station.code, name: station.name, active: true };
        const record: WireDocument = { ...base, groupId, _deleted: false };
        // A station without a live record whose code another record took: say so rather than move half of it.
        await writeStationRecord(tx, storeId, record, `Station ${station.code} cannot be moved`);
        await tx.query('UPDATE stations SET group_id = $3 WHERE store_id = $1 AND id = $2', [storeId, station.id, groupId]);
        return { stationId: station.id, groupId, station: record };
      });
    },
  );
}
