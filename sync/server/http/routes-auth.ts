import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LoginRequest, LoginResponse, PairRequest, PairResponse, Role } from '../../schema/index.ts';
import { DUMMY_HASH_PROMISE, digest, newRandomSecret, verifySecret } from '../auth/secrets.ts';
import { createSession } from '../auth/sessions.ts';
import { authenticate, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem } from './problem.ts';

const code = { type: 'string', minLength: 1, maxLength: 64 } as const;

const pairSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { storeCode: code, stationCode: code, pairingCode: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['storeCode', 'stationCode', 'pairingCode'],
} as const;

const loginSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    storeCode: code,
    userCode: code,
    password: { type: 'string', minLength: 1, maxLength: 200 },
    stationId: code,
    deviceKey: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['storeCode', 'userCode', 'password'],
} as const;

/** Guessing is limited per caller and per account, after the body is parsed so the key can name it. */
function credentialLimit(limit: number | false) {
  if (limit === false) return undefined;
  return {
    rateLimit: {
      max: limit,
      timeWindow: '1 minute',
      hook: 'preHandler' as const,
      keyGenerator: (request: FastifyRequest) => {
        const body = (request.body ?? {}) as Partial<LoginRequest & PairRequest>;
        return `${request.ip}|${body.storeCode ?? ''}|${body.userCode ?? body.stationCode ?? ''}`;
      },
    },
  };
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext, loginLimit: number | false): void {
  app.post<{ Body: PairRequest }>(
    '/api/stations/pair',
    { schema: { tags: ['auth'], summary: 'Pair a station once with its pairing code (POS-04)', body: pairSchema }, config: credentialLimit(loginLimit) },
    async (request): Promise<PairResponse> => {
      const { storeCode, stationCode, pairingCode } = request.body;
      const rows = await ctx.db.query<{ id: string; code: string; name: string; pairing_code_hash: string; store_id: string; store_code: string; store_name: string }>(
        `SELECT st.id, st.code, st.name, st.pairing_code_hash, s.id AS store_id, s.code AS store_code, s.name AS store_name
           FROM stations st JOIN stores s ON s.id = st.store_id WHERE s.code = $1 AND st.code = $2`,
        [storeCode, stationCode],
      );
      const station = rows[0];
      const valid = await verifySecret(pairingCode, station?.pairing_code_hash ?? (await DUMMY_HASH_PROMISE));
      if (!station || !valid) {
        throw new ApiProblem(401, 'invalid_pairing', 'Store, station or pairing code is wrong. Check the codes given by the store administrator and try again.');
      }
      // Pairing again (a reinstalled station) replaces the device key: the old installation is cut off.
      const deviceKey = newRandomSecret();
      await ctx.db.query('UPDATE stations SET device_key_hash = $2, paired_at = now() WHERE id = $1', [station.id, digest(deviceKey)]);
      return { stationId: station.id, stationCode: station.code, stationName: station.name, store: { id: station.store_id, code: station.store_code, name: station.store_name }, deviceKey };
    },
  );

  app.post<{ Body: LoginRequest }>(
    '/api/auth/login',
    { schema: { tags: ['auth'], summary: 'Sign in; the token is scoped to the store, the roles and the station', body: loginSchema }, config: credentialLimit(loginLimit) },
    async (request): Promise<LoginResponse> => {
      const { storeCode, userCode, password, stationId, deviceKey } = request.body;
      const rows = await ctx.db.query<{ id: string; code: string; name: string; roles: Role[]; password_hash: string; store_id: string; store_code: string; store_name: string }>(
        `SELECT u.id, u.code, u.name, u.roles, u.password_hash, s.id AS store_id, s.code AS store_code, s.name AS store_name
           FROM users u JOIN stores s ON s.id = u.store_id WHERE s.code = $1 AND u.code = $2`,
        [storeCode, userCode],
      );
      const user = rows[0];
      const valid = await verifySecret(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !valid) throw new ApiProblem(401, 'invalid_credentials', 'Store, user or password is wrong. Check them and try again.');
      if (stationId !== undefined) {
        const stations = await ctx.db.query<{ device_key_hash: string | null }>('SELECT device_key_hash FROM stations WHERE id = $1 AND store_id = $2', [stationId, user.store_id]);
        const keyHash = stations[0]?.device_key_hash;
        if (!keyHash || !deviceKey || digest(deviceKey) !== keyHash) {
          throw new ApiProblem(401, 'invalid_pairing', 'This device is not paired with that station any more (paired elsewhere?). Pair it again with a new pairing code.');
        }
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

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in session' }, preHandler: authenticate(ctx) }, async (request) => {
    const session = sessionOf(request);
    return { user: session.user, store: session.store, stationId: session.stationId };
  });
}
