import type { FastifyInstance } from 'fastify';
import { COLLECTION_NAMES, collectionsFor, STREAM_EVENTS, type Checkpoint, type CollectionName, type StreamResync } from '../../schema/index.ts';
import { isAdmin, type Session } from '../auth/sessions.ts';
import type { ChangeNotice } from '../db/documents.ts';
import { SharedPageReads } from '../sync/shared-pages.ts';
import { streamPositions } from '../sync/stream-positions.ts';
import { authenticate, readScopeOf, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';

const HEARTBEAT_MS = 15_000;
const BATCH = 1_000;

/**
 * One server-sent-events stream per device. It stays gap-free by remembering, per collection, the last
 * sequence number sent and reading everything after it on each notice; anything that may have broken
 * that chain (connect, a failed read) makes it send RESYNC so the device pulls from its checkpoint. On
 * connect the RESYNC says where each collection stood (`StreamResync`), so a device already there skips the pull.
 */
export function registerStreamRoute(app: FastifyInstance, ctx: ServerContext): void {
  // One read per page for all the streams a notice wakes (sync/shared-pages.ts).
  const pages = new SharedPageReads(ctx.db);
  app.get('/api/sync/stream', { schema: { tags: ['replication'], summary: 'Live change batches and RESYNC (server-sent events)', response: { 200: { description: 'An event stream: `change` events with a collection, its documents and checkpoint; `resync` on connect (data: `{positions}`, where each collection stood: a device already at exactly that checkpoint need not pull) and after a gap (data: `"RESYNC"`); keep-alive comments', content: { 'text/event-stream': { schema: { type: 'string' } } } } } }, preHandler: authenticate(ctx) }, async (request, reply) => {
    const session = sessionOf(request);
    const collections = isAdmin(session) ? COLLECTION_NAMES : collectionsFor(session.user.roles);
    const lastSent = new Map<CollectionName, number>();
    const raw = reply.raw;
    // Listening starts before the positions are read: a write committed after the read is noticed (and
    // sent once the stream is ready), so a device that skips its pull on the positions misses nothing.
    const pump = createPump(ctx, pages, session, new Set(collections), lastSent, (event, data) => {
      if (!raw.destroyed && !raw.writableEnded) raw.write(`event: ${event}\ndata: ${data}\n\n`);
    });
    const unsubscribe = ctx.hub.subscribe(session.store.id, pump.notice);
    // Set once the stream runs; the device may leave before (while the positions are read).
    const open: { heartbeat?: ReturnType<typeof setInterval>; untrack?: () => void; closed?: boolean; outdated?: boolean } = {};
    // The collections and read scope above are fixed for the stream's life: a revoked (logout, re-pairing)
    // or expired session, or a change of the user's roles, closes it at once, and the device reconnects
    // with the rights it has now. Tracked before anything is awaited, so no notice after this point is missed.
    open.untrack = ctx.liveSessions?.track(session, () => {
      open.outdated = true;
      if (open.heartbeat) raw.end();
    });
    request.raw.on('close', () => {
      open.closed = true;
      open.untrack?.();
      clearInterval(open.heartbeat);
      unsubscribe();
      if (open.heartbeat) trackStream(ctx, session.stationId, -1);
    });
    let positions: Map<CollectionName, Required<Checkpoint>>;
    try {
      positions = await streamPositions(ctx.db, session.store.id, collections);
      // A change of rights committed between the session's lookup and `track` above sent its notice unheard.
      if (ctx.liveSessions && !(await ctx.liveSessions.isCurrent(ctx.db, session))) open.outdated = true;
    } catch (error) {
      open.untrack?.();
      unsubscribe();
      throw error;
    }
    reply.hijack();
    // The device left while the positions were read: nothing to stream.
    if (open.closed) return;
    for (const collection of collections) lastSent.set(collection, positions.get(collection)?.seq ?? 0);

    // Long-lived on purpose: the idle timeout that cuts off slow clients does not apply; the heartbeat
    // below finds a dead peer instead.
    request.raw.socket.setTimeout(0);
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Outdated before it ran: it ends at once, having sent nothing, and the device reconnects.
    if (open.outdated) return void raw.end();
    const opening: StreamResync = { positions: Object.fromEntries(positions) };
    raw.write(`event: ${STREAM_EVENTS.resync}\ndata: ${JSON.stringify(opening)}\n\n`);
    pump.start();

    open.heartbeat = setInterval(() => raw.destroyed || raw.writableEnded || raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    trackStream(ctx, session.stationId, +1);
  });
}

function trackStream(ctx: ServerContext, stationId: string | null, delta: 1 | -1): void {
  ctx.metrics.streams.inc(delta);
  if (!stationId) return;
  const count = (ctx.openStreams.get(stationId) ?? 0) + delta;
  if (count > 0) ctx.openStreams.set(stationId, count);
  else ctx.openStreams.delete(stationId);
}

/**
 * Coalesces notices and reads them one at a time, in order, per connection. Notices that arrive before
 * `start()` (while the stream's positions are read) wait for it.
 */
function createPump(ctx: ServerContext, pages: SharedPageReads, session: Session, carried: ReadonlySet<CollectionName>, lastSent: Map<CollectionName, number>, send: (event: string, data: string) => void) {
  const noticed = new Map<CollectionName, number>();
  let running = false;
  let started = false;

  const drain = async () => {
    running = true;
    try {
      while (noticed.size > 0) {
        const [collection, upTo] = noticed.entries().next().value as [CollectionName, number];
        noticed.delete(collection);
        try {
          await sendAfter(collection, upTo);
        } catch {
          send(STREAM_EVENTS.resync, '"RESYNC"');
        }
      }
    } finally {
      running = false;
    }
  };

  const sendAfter = async (collection: CollectionName, upTo: number) => {
    let since = lastSent.get(collection) ?? 0;
    for (;;) {
      const page = await pages.read(readScopeOf(session, collection), since, BATCH, upTo);
      if (page.lastSeq === null) break;
      since = page.lastSeq;
      ctx.metrics.pulled.inc({ collection }, page.count);
      send(STREAM_EVENTS.change, `{"collection":"${collection}","documents":${page.json},"checkpoint":${JSON.stringify(page.checkpoint)}}`);
      // A full page that reached the notice ends the read: rows after it come with notices of their own
      // (a batch of exactly BATCH rows cost a second, empty read per notice).
      if (page.count < BATCH || since >= upTo) break;
    }
    // Every row up to the notice had committed before it was delivered; rows this device may not see
    // need not be read again.
    lastSent.set(collection, Math.max(since, upTo));
  };

  return {
    notice(notice: ChangeNotice): void {
      if (!carried.has(notice.collection)) return;
      noticed.set(notice.collection, Math.max(noticed.get(notice.collection) ?? 0, notice.seq));
      if (started && !running) void drain();
    },
    start(): void {
      started = true;
      if (!running && noticed.size > 0) void drain();
    },
  };
}
