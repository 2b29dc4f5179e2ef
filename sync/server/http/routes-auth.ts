import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminEvent, LoginRequest, LoginResponse, PairRequest, PairResponse, Role, SetupRequest, SetupStatus } from '../../schema/index.ts';
import { ADMIN_EVENT_ACTIONS } from '../../schema/index.ts';
import { listAdminEvents } from '../auth/admin-events.ts';
import type { Attempt } from '../auth/attempts.ts';
import { checkSecret, digestMatches, dummyHashFor, hashSecret } from '../auth/secrets.ts';
import { createSession, revokeSessions } from '../auth/sessions.ts';
import { pairWithCode } from '../auth/stations.ts';
import { assertAdmin, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, errorResponses, problems } from './problem.ts';

const code = { type: 'string', minLength: 1, maxLength: 64 } as const;
const secret = { type: 'string', minLength: 1, maxLength: 200 } as const;
const storeRef = { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'code', 'name'] } as const;
const sessionUser = {
  type: 'object',
  properties: { id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } },
  required: ['id', 'code', 'name', 'roles'],
} as const;

const pairSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { storeCode: code, stationCode: code, pairingCode: secret },
  required: ['storeCode', 'stationCode', 'pairingCode'],
} as const;

const pairAnswer = {
  type: 'object',
  properties: { stationId: { type: 'string' }, stationCode: { type: 'string' }, stationName: { type: 'string' }, store: storeRef, deviceKey: { type: 'string' } },
  required: ['stationId', 'stationCode', 'stationName', 'store', 'deviceKey'],
} as const;

const loginSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { storeCode: code, userCode: code, password: secret, stationId: code, deviceKey: secret },
  required: ['storeCode', 'userCode', 'password'],
} as const;

const loginAnswer = {
  type: 'object',
  properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, user: sessionUser, store: storeRef, stationId: { type: ['string', 'null'] } },
  required: ['token', 'expiresAt', 'user', 'store', 'stationId'],
} as const;

const setupSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    setupCode: { type: 'string', minLength: 1, maxLength: 100, description: 'The one-time code the server printed on its console at start' },
    storeCode: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Lower-case letters, digits and dashes' },
    storeName: { type: 'string', minLength: 1, maxLength: 100 },
    adminCode: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[a-z0-9][a-z0-9._-]*$' },
    adminName: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 10, maxLength: 200, description: 'At least 10 characters; not containing the user code' },
  },
  required: ['setupCode', 'storeCode', 'storeName', 'adminCode', 'adminName', 'password'],
} as const;

const adminEventRow = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: { type: 'string' },
    userId: { type: ['string', 'null'] },
    userName: { type: ['string', 'null'] },
    stationId: { type: ['string', 'null'] },
    action: { type: 'string', enum: ADMIN_EVENT_ACTIONS },
    detail: { type: ['string', 'null'] },
  },
  required: ['id', 'at', 'userId', 'userName', 'stationId', 'action', 'detail'],
} as const;

/** Public routes are documented without the bearer requirement. */
const PUBLIC = { security: [] } as const;

/** Refuses an attempt while its account, station, address or password is over its failure count. */
function guard(ctx: ServerContext, attempt: Attempt, what: string): void {
  const wait = ctx.credentials?.refusal(attempt) ?? null;
  if (wait !== null) throw problems.rateLimited(wait, what);
}

function failed(ctx: ServerContext, attempt: Attempt): void {
  ctx.credentials?.failed(attempt);
}

function addressOf(request: FastifyRequest): string {
  return request.ip;
}

/** Pairing, sign-in, sign-out, the first setup, and the administration trail. */
export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: PairRequest }>(
    '/api/stations/pair',
    {
      schema: {
        ...PUBLIC,
        tags: ['auth'],
        summary: 'Pair a device with a station using a one-time pairing code (POS-04)',
        description:
          'The code is issued by an administrator (POST /api/stations/{id}/pairing-code), works once and expires. Pairing again ' +
          "replaces the station's device key and ends every session of the previous installation. Failed attempts are limited " +
          'per station and per address (429 with retry-after).',
        body: pairSchema,
        response: { 200: pairAnswer, ...errorResponses },
      },
      config: { public: true },
    },
    async (request): Promise<PairResponse> => {
      const { storeCode, stationCode, pairingCode } = request.body;
      const attempt: Attempt = { subjects: [`pairing:${storeCode}|${stationCode}`], address: addressOf(request) };
      guard(ctx, attempt, `pairing station ${stationCode}`);
      const paired = await pairWithCode(ctx.db, storeCode, stationCode, pairingCode);
      if (!paired) {
        failed(ctx, attempt);
        throw new ApiProblem(
          401,
          'invalid_pairing',
          'Store, station or pairing code is wrong, or the code was already used or has expired. Check the codes given by the store administrator, or ask for a new pairing code, and try again.',
        );
      }
      return paired;
    },
  );

  app.post<{ Body: LoginRequest }>(
    '/api/auth/login',
    {
      schema: {
        ...PUBLIC,
        tags: ['auth'],
        summary: 'Sign in; the token is scoped to the store, the roles and the station',
        description:
          'With `stationId` and `deviceKey` the session belongs to that paired station. Failed attempts are limited per account, ' +
          'per station and per address, and a password that fails on many accounts is refused for a while (429 with retry-after).',
        body: loginSchema,
        response: { 200: loginAnswer, ...errorResponses },
      },
      config: { public: true },
    },
    async (request): Promise<LoginResponse> => {
      const { storeCode, userCode, password, stationId, deviceKey } = request.body;
      const attempt: Attempt = {
        subjects: [`account:${storeCode}|${userCode}`, ...(stationId !== undefined ? [`station:${storeCode}|${stationId}`] : [])],
        address: addressOf(request),
        secret: password,
        account: `${storeCode}|${userCode}`,
      };
      guard(ctx, attempt, `signing in as ${userCode}`);
      const rows = await ctx.db.query<{ id: string; code: string; name: string; roles: Role[]; password_hash: string; store_id: string; store_code: string; store_name: string }>(
        `SELECT u.id, u.code, u.name, u.roles, u.password_hash, s.id AS store_id, s.code AS store_code, s.name AS store_name
           FROM users u JOIN stores s ON s.id = u.store_id WHERE s.code = $1 AND u.code = $2`,
        [storeCode, userCode],
      );
      const user = rows[0];
      const check = await checkSecret(password, user?.password_hash ?? (await dummyHashFor(ctx.passwordHashing)), ctx.passwordHashing);
      if (!user || !check.valid) {
        failed(ctx, attempt);
        throw new ApiProblem(401, 'invalid_credentials', 'Store, user or password is wrong. Check them and try again.');
      }
      if (stationId !== undefined) {
        const stations = await ctx.db.query<{ device_key_hash: string | null }>('SELECT device_key_hash FROM stations WHERE id = $1 AND store_id = $2', [stationId, user.store_id]);
        if (!deviceKey || !digestMatches(deviceKey, stations[0]?.device_key_hash)) {
          failed(ctx, { subjects: [`station:${storeCode}|${stationId}`], address: attempt.address });
          throw new ApiProblem(401, 'invalid_pairing', 'This device is not paired with that station any more (paired elsewhere?). Pair it again with a new pairing code.');
        }
      }
      if (check.needsRehash) {
        // Stored below today's parameters: replace it while the password is at hand (only if unchanged meanwhile).
        await ctx.db.query('UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [user.id, await hashSecret(password, ctx.passwordHashing), user.password_hash]);
      }
      const { token, expiresAt } = await createSession(ctx.db, user.id, user.store_id, stationId ?? null);
      return {
        token,
        expiresAt,
        user: { id: user.id, code: user.code, name: user.name, roles: user.roles },
        store: { id: user.store_id, code: user.store_code, name: user.store_name },
        stationId: stationId ?? null,
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the token stops working at once and its open event streams close',
        response: { 204: { type: 'null', description: 'Signed out' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      await ctx.db.transaction((tx) => revokeSessions(tx, { tokenHash: session.tokenHash }));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in session',
        response: { 200: { type: 'object', properties: { user: sessionUser, store: storeRef, stationId: { type: ['string', 'null'] } }, required: ['user', 'store', 'stationId'] }, ...errorResponses },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      return { user: session.user, store: session.store, stationId: session.stationId };
    },
  );

  app.get(
    '/api/setup',
    {
      schema: {
        ...PUBLIC,
        tags: ['auth'],
        summary: 'Whether the server still waits for its first administrator (POST /api/setup)',
        response: { 200: { type: 'object', properties: { needed: { type: 'boolean' } }, required: ['needed'] }, ...errorResponses },
      },
      config: { public: true },
    },
    async (): Promise<SetupStatus> => ({ needed: (await ctx.setup?.needed(ctx.db)) ?? false }),
  );

  app.post<{ Body: SetupRequest }>(
    '/api/setup',
    {
      schema: {
        ...PUBLIC,
        tags: ['auth'],
        summary: 'First start: create the store and its administrator with a password of their choice',
        description:
          'Only while no administrator exists, and only with the one-time setup code the server printed on its console when it ' +
          'started. Answers a session of the new administrator, as login does. 409 once the server is set up.',
        body: setupSchema,
        response: { 200: loginAnswer, ...errorResponses },
      },
      config: { public: true },
    },
    async (request): Promise<LoginResponse> => {
      if (!ctx.setup) throw new ApiProblem(409, 'forbidden', 'This server is already set up: an administrator exists. Sign in with POST /api/auth/login instead.');
      const attempt: Attempt = { subjects: ['setup'], address: addressOf(request) };
      guard(ctx, attempt, 'setting up the server');
      try {
        return await ctx.setup.complete(ctx.db, request.body, ctx.passwordHashing);
      } catch (error) {
        if (error instanceof ApiProblem && error.code === 'invalid_credentials') failed(ctx, attempt);
        throw error;
      }
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/admin/events',
    {
      schema: {
        tags: ['administration'],
        summary: "The store's administration trail, newest first: setup, stations registered, pairing codes issued and revoked, pairings (admin)",
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } } },
        response: { 200: { type: 'array', items: adminEventRow }, ...errorResponses },
      },
    },
    async (request): Promise<AdminEvent[]> => {
      const session = sessionOf(request);
      assertAdmin(session, 'reads the administration trail');
      return listAdminEvents(ctx.db, session.store.id, request.query.limit);
    },
  );
}
