import type { FastifyInstance } from 'fastify';
import type { HomologationRun, SandboxClock } from '../../schema/index.ts';
import { assertAdmin, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import type { Queryable } from '../db/database.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { ApiProblem, errorResponses, problems } from '../http/problem.ts';
import { advanceClock, MAX_ADVANCE_SECONDS } from './clock.ts';
import { recordRun, REQUIRED_STEPS, type PostedReport } from './runs.ts';
import { createSandbox, getSandbox, resetSandbox } from './sandboxes.ts';
import { homologationRunSchema, postedReportSchema, sandboxClockSchema, sandboxInfoSchema } from './schemas.ts';

const tags = ['sandbox'];

/**
 * The sandbox (API-06) and the conformance report (API-07); shapes in sync/schema/sandbox.ts.
 * - GET  /api/sandbox (admin) → 200 SandboxInfo | 404 when the store has none;
 * - POST /api/sandbox (admin) → 201 created and seeded | 200 it already existed;
 * - POST /api/sandbox/reset (admin) → 200: its data wiped and reseeded, clock at zero | 404 none;
 *   both changes are in the store's administration trail (sandbox_created, sandbox_reset: ADM-02);
 * - POST /api/v1/sandbox/clock `{ advanceSeconds }` (a sandbox key, or the admin) → 200 SandboxClock;
 *   a production key 403; 404 when the admin's store has no sandbox; 422 past 10 years ahead;
 * - POST /api/v1/homologation-runs (a sandbox key) the script's JSON report → 201 HomologationRun.
 * Both writes honour an Idempotency-Key (a retried clock move moves once; a retried post records once).
 */
export function registerSandboxRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/sandbox', { schema: { tags, summary: "The store's sandbox (admin): its store id, clock and fixture counts", response: { 200: sandboxInfoSchema, ...errorResponses } } }, async (request) => {
    const session = sessionOf(request);
    assertAdmin(session, 'manages the sandbox.');
    const info = await getSandbox(ctx.db, session.store.id);
    if (!info) throw problems.notFound('The sandbox of this store (create it with POST /api/sandbox)');
    return info;
  });

  app.post('/api/sandbox', { schema: { tags, summary: 'Create and seed the store\'s sandbox (admin); 200 when it already exists', response: { 200: sandboxInfoSchema, 201: sandboxInfoSchema, ...errorResponses } } }, async (request, reply) => {
    const session = sessionOf(request);
    assertAdmin(session, 'manages the sandbox.');
    assertProductionStore(session.store.id);
    const { info, created } = await createSandbox(ctx.db, session.store.id, { userId: session.user.id, via: 'sandbox' });
    return reply.status(created ? 201 : 200).send(info);
  });

  app.post('/api/sandbox/reset', { schema: { tags, summary: "Reset the sandbox (admin): wipe its data, reseed the fixtures, clock back to zero; keys and runs stay", response: { 200: sandboxInfoSchema, ...errorResponses } } }, async (request) => {
    const session = sessionOf(request);
    assertAdmin(session, 'manages the sandbox.');
    const info = await resetSandbox(ctx.db, session.store.id, { userId: session.user.id });
    if (!info) throw problems.notFound('The sandbox of this store (create it with POST /api/sandbox)');
    return info;
  });

  app.post<{ Body: { advanceSeconds: number } }>(
    '/api/v1/sandbox/clock',
    {
      config: { sandboxKey: true },
      schema: {
        tags,
        summary: "Move the sandbox's clock forward (a sandbox key, or the admin): billing, overdue receivables and reservation expiry follow it",
        body: { type: 'object', additionalProperties: false, properties: { advanceSeconds: { type: 'integer', minimum: 1, maximum: MAX_ADVANCE_SECONDS, description: 'seconds to move forward (never back; a reset puts it at zero)' } }, required: ['advanceSeconds'] },
        response: { 200: sandboxClockSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!session.apiKey) assertAdmin(session, 'moves the sandbox clock.');
      // A sandbox key's store is the sandbox; an admin moves the clock of the sandbox of their store.
      const sandboxStoreId = session.apiKey ? session.store.id : (await getSandbox(ctx.db, session.store.id))?.storeId;
      if (sandboxStoreId === undefined) throw problems.notFound('The sandbox of this store (create it with POST /api/sandbox)');
      // A retried move (the answer was lost) sent with its Idempotency-Key moves the clock once (API-05).
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => ({ status: 200, body: await moveClock(db, sandboxStoreId, request.body.advanceSeconds) }));
    },
  );

  async function moveClock(db: Queryable, sandboxStoreId: string, advanceSeconds: number): Promise<SandboxClock> {
    let offset: number | null;
    try {
      offset = await advanceClock(db, sandboxStoreId, advanceSeconds);
    } catch (error) {
      if (error instanceof RangeError) throw new ApiProblem(422, 'business_rule', error.message, '/advanceSeconds');
      throw error;
    }
    if (offset === null) throw problems.notFound('The sandbox');
    const [row] = await db.query<{ now: Date | string }>('SELECT store_now($1) AS now', [sandboxStoreId]);
    return { now: new Date(row!.now).toISOString(), offsetSeconds: offset };
  }

  app.post<{ Body: PostedReport }>(
    '/api/v1/homologation-runs',
    {
      config: { sandboxKey: true },
      schema: {
        tags,
        summary: 'Post a conformance report (a sandbox key): kept against the key, each step corroborated from what the key did in the sandbox',
        description: `A run passes when every step of the walk (${REQUIRED_STEPS.join(', ')}) is reported passed and the server finds, in the key's own requests since its previous run, the evidence of each.`,
        body: postedReportSchema,
        response: { 201: homologationRunSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      const key = session.apiKey;
      if (!key) throw problems.forbidden('Only the sandbox key that ran the conformance script posts its report.');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const run: HomologationRun = await recordRun(db, { keyId: key.id, storeId: session.store.id, report: request.body });
        return { status: 201, body: run };
      });
    },
  );
}

/** A sandbox has no sandbox of its own (nobody signs in to one; kept as a guard). */
function assertProductionStore(storeId: string): void {
  if (storeId.endsWith('.sandbox')) throw problems.forbidden('A sandbox has no sandbox of its own.');
}
