import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { COLLECTION_NAMES, SEQ_MAX, type CollectionName } from '../../schema/index.ts';
import { countChangesAfter, pageBody, readChangesPage } from '../db/documents.ts';
import { assertCanRead, authenticate, readScopeOf, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { epochProperty, MAX_PULL } from './routes-sync.ts';

/** Header of a streamed pull: how many documents lay after the starting checkpoint when it began (asked with `progress=true`). */
export const PULL_REMAINING_HEADER = 'balcao-remaining';
const DEFAULT_PAGE = 5_000;

const streamQuery = {
  type: 'object',
  properties: {
    checkpoint: { type: 'integer', minimum: 0, maximum: SEQ_MAX, default: 0, description: 'Server sequence number of the last document the device has' },
    epoch: epochProperty,
    limit: { type: 'integer', minimum: 1, maximum: MAX_PULL, default: DEFAULT_PAGE, description: 'Documents per page (per line)' },
    progress: { type: 'boolean', default: false, description: `Also count the documents after the checkpoint (the \`${PULL_REMAINING_HEADER}\` header), for a progress bar` },
  },
} as const;

/**
 * The pull as one request (issue 16: a fresh station's first sync in fewer round trips). Answers
 * `application/x-ndjson`: one line per page, each exactly a `GET pull` answer
 * (`{documents, checkpoint, resync?}`), in sequence order, until the first page shorter than `limit`
 * (the end of what was there). The next page is read while the previous one is on the wire, at
 * most one ahead (the socket's backpressure holds the rest), so a stream holds about two pages of
 * memory however large the catalogue. A device stores each line and its checkpoint as it arrives:
 * a stream cut midway (crash, network) resumes from the last stored page, not from the start. A
 * stream that ends after a full page did not reach the end (cut at a line boundary): ask again
 * from its last checkpoint. Errors before the first line are problem bodies, as for `GET pull`;
 * after it, the stream is cut. A revoked or expired session's stream, or one whose user's roles
 * changed (its scope was fixed when it began), stops at once.
 */
export function registerPullStreamRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const collection of COLLECTION_NAMES) registerCollection(app, ctx, collection);
}

function registerCollection(app: FastifyInstance, ctx: ServerContext, collection: CollectionName): void {
  app.get<{ Querystring: { checkpoint: number; epoch?: string; limit: number; progress: boolean } }>(
    `/api/sync/${collection}/pull-stream`,
    {
      schema: {
        tags: ['replication'],
        summary: `Every change of ${collection} after a checkpoint as one stream of pages (NDJSON)`,
        description: `One line per page, each the shape of GET /api/sync/${collection}/pull; ends after the first page shorter than \`limit\`. Header \`${PULL_REMAINING_HEADER}\`: documents after the checkpoint at the start (with \`progress=true\`).`,
        querystring: streamQuery,
        response: {
          200: {
            description: `Pages of ${collection} changes, one JSON object per line`,
            headers: { [PULL_REMAINING_HEADER]: { type: 'integer', minimum: 0, description: 'Documents after the checkpoint when the stream began (with progress=true)' } },
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
        },
      },
      preHandler: authenticate(ctx),
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertCanRead(session, collection);
      const { checkpoint, epoch, limit, progress } = request.query;
      const scope = readScopeOf(session, collection);
      // A revoked or expired session, or a change of the user's roles, cuts the stream (its scope is fixed
      // above); the device pulls again with the rights it has now. Tracked before anything is awaited, so
      // no notice after this point is missed.
      let stopped = false;
      const untrack = ctx.liveSessions?.track(session, () => {
        stopped = true;
        request.raw.destroy();
      });
      let first: Awaited<ReturnType<typeof readChangesPage>>;
      try {
        // The first page before the head: an error there is still a problem answer, and it tells where the stream really starts (a checkpoint of another history starts at 0).
        first = await readChangesPage(ctx.db, scope, { seq: checkpoint, epoch }, limit);
        if (progress) {
          const from = first.resync ? 0 : checkpoint;
          void reply.header(PULL_REMAINING_HEADER, String(await countChangesAfter(ctx.db, scope, from)));
        }
        // A change of rights committed between the session's lookup and `track` above sent its notice unheard.
        if (!stopped && ctx.liveSessions && !(await ctx.liveSessions.isCurrent(ctx.db, session))) {
          stopped = true;
          request.raw.destroy();
        }
      } catch (error) {
        untrack?.();
        throw error;
      }
      if (stopped) {
        untrack?.();
        return reply.hijack();
      }
      async function* lines(): AsyncGenerator<string> {
        try {
          let page = first;
          for (;;) {
            ctx.metrics.pulled.inc({ collection }, page.count);
            yield `${pageBody(page)}\n`;
            if (page.count < limit || stopped) return;
            page = await readChangesPage(ctx.db, scope, { seq: page.checkpoint.seq, epoch: page.checkpoint.epoch }, limit);
          }
        } finally {
          untrack?.();
        }
      }
      return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines(), { objectMode: true, highWaterMark: 1 }));
    },
  );
}
