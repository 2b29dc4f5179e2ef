import type { FastifyInstance } from 'fastify';
import { ROLES, SELLER_POLICIES, STOCK_POLICIES, type MasterRecord, type Role, type WireDocument } from '../../schema/index.ts';
import { hashSecret } from '../auth/secrets.ts';
import { hashSupervisorCode, STORE_SETTINGS_ID, storeSettingsOf, storeSettingsRecord, supervisorRecordId, type StoreSettings } from '../../rules/index.ts';
import { recordAdminEvent, type AdminEventInput } from '../auth/admin-events.ts';
import { forgetLookups } from '../auth/auth-cache.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments, lockStoreSequence } from '../db/documents.ts';
import { writeBatchIn } from '../sync/write-documents.ts';
import { assertAdmin, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, errorResponses, problems } from './problem.ts';

const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stockPolicy: { type: 'string', enum: STOCK_POLICIES, description: 'warn: the cashier sees it and may go on; block: the station refuses the sale' },
    sellerPolicy: { type: 'string', enum: SELLER_POLICIES, description: 'ask: the seller is chosen every sale; remember: the last seller of the station is preselected' },
    maxManualDiscountBp: { type: 'integer', minimum: 0, maximum: 10_000, description: 'Largest manual discount a supervisor may authorise, in basis points of a line (1000 = 10 %)' },
  },
  required: ['stockPolicy', 'sellerPolicy', 'maxManualDiscountBp'],
} as const;

const userParams = { type: 'object', additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;
const codeBody = {
  type: 'object',
  additionalProperties: false,
  properties: { code: { type: 'string', pattern: '^[0-9]{6,12}$', minLength: 6, maxLength: 12, description: '6 to 12 digits; stored only as a salted PBKDF2 hash' } },
  required: ['code'],
} as const;
const supervisorAnswer = {
  type: 'object',
  properties: { userId: { type: 'string' }, active: { type: 'boolean' } },
  required: ['userId', 'active'],
} as const;

const userRow = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string', enum: ROLES } },
    supervisor: { type: 'boolean', description: 'Has an active supervisor code (POS-20)' },
  },
  required: ['id', 'code', 'name', 'roles', 'supervisor'],
} as const;
const rolesSchema = { type: 'array', items: { type: 'string', enum: ROLES }, minItems: 1, maxItems: ROLES.length, uniqueItems: true } as const;
const newUserBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    code: { type: 'string', minLength: 2, maxLength: 32, pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Login code, unique in the store' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 8, maxLength: 200 },
    roles: rolesSchema,
  },
  required: ['code', 'name', 'password', 'roles'],
} as const;
const rolesBody = { type: 'object', additionalProperties: false, properties: { roles: rolesSchema }, required: ['roles'] } as const;

export interface StoreUser {
  id: string;
  code: string;
  name: string;
  roles: Role[];
  supervisor: boolean;
}

/** What changeMaster writes: the record and its entry in the administration trail. */
interface MasterChange {
  record: MasterRecord;
  event: AdminEventInput;
}

/**
 * Writes one master record through the write path, so every station of the store receives it, with its
 * entry in the administration trail, in one transaction that holds the store's lock from the read to the
 * write, as every write path does (changeOne, the integration DELETE): `build` gets the record `id` as
 * stored then (undefined: none, or deleted) and the transaction, to read what else it needs, and returns
 * what to write, or throws (a 404 problem: nothing is written). Concurrent changes of one record are so
 * serialised: each builds on the latest committed version, never writes back an older read over a change.
 * @throws 422 `validation_failed` when the write path refuses the record
 */
async function changeMaster(ctx: ServerContext, storeId: string, id: string, build: (current: MasterRecord | undefined, tx: Queryable) => Promise<MasterChange> | MasterChange): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const stored = (await loadDocuments(tx, storeId, 'masterdata', [id])).get(id);
    const { record, event } = await build(stored && !stored.deleted ? (stored.data as unknown as MasterRecord) : undefined, tx);
    const outcome = await writeBatchIn(tx, { storeId, collection: 'masterdata', checkConflicts: false, writer: 'server' }, [{ newDocumentState: { ...record, _deleted: false } as WireDocument }]);
    const refused = outcome.quarantined[0];
    if (refused) throw new ApiProblem(422, 'validation_failed', `The record ${record.id} could not be stored: ${refused.refusal.message}`);
    await recordAdminEvent(tx, event);
  });
}

/**
 * Store settings and supervisor codes (issue 15, POS-19/20), edited by the store's admin in the app.
 * Both are master records (kind storeSettings, kind supervisor) that stations replicate and follow
 * offline; every change is written to the administration trail (GET /api/admin/events).
 */
export function registerStoreSettingsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/store/settings',
    {
      schema: {
        tags: ['store'],
        summary: 'The counter rules of the store: stock policy, seller policy, manual-discount bound',
        description: 'The defaults (warn, ask, 10 %) until an admin saves them.',
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request): Promise<StoreSettings> => {
      const session = sessionOf(request);
      const records = await loadDocuments(ctx.db, session.store.id, 'masterdata', [STORE_SETTINGS_ID]);
      const stored = records.get(STORE_SETTINGS_ID);
      return storeSettingsOf(stored && !stored.deleted ? (stored.data as unknown as MasterRecord) : undefined);
    },
  );

  app.put<{ Body: StoreSettings }>(
    '/api/store/settings',
    {
      schema: {
        tags: ['store'],
        summary: 'Save the counter rules of the store (admin)',
        description: 'Stations receive them with the master data and follow them offline. Recorded in the administration trail.',
        body: settingsSchema,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    async (request): Promise<StoreSettings> => {
      const session = sessionOf(request);
      assertAdmin(session, 'changes the store settings');
      const settings: StoreSettings = { stockPolicy: request.body.stockPolicy, sellerPolicy: request.body.sellerPolicy, maxManualDiscountBp: request.body.maxManualDiscountBp };
      // The settings replace the record whole: nothing of the stored one is kept.
      await changeMaster(ctx, session.store.id, STORE_SETTINGS_ID, () => ({
        record: storeSettingsRecord(settings),
        event: { storeId: session.store.id, userId: session.user.id, action: 'store_settings_changed', detail: JSON.stringify(settings) },
      }));
      return settings;
    },
  );

  app.put<{ Params: { id: string }; Body: { code: string } }>(
    '/api/users/:id/supervisor-code',
    {
      schema: {
        tags: ['store'],
        summary: "Give a user of the store a supervisor code, or replace it (admin)",
        description:
          'The code is hashed (PBKDF2-SHA256, random salt) and only the hash is stored and replicated to stations, which verify ' +
          'the code offline (POS-20). Recorded in the administration trail.',
        params: userParams,
        body: codeBody,
        response: { 200: supervisorAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, 'gives supervisor codes');
      // Hashed before the store's lock is taken: PBKDF2 is slow on purpose, and nothing it needs is stored.
      const codeHash = await hashSupervisorCode(request.body.code);
      await changeMaster(ctx, session.store.id, supervisorRecordId(request.params.id), async (_current, tx) => {
        const [user] = await tx.query<{ id: string; code: string; name: string }>('SELECT id, code, name FROM users WHERE store_id = $1 AND id = $2', [session.store.id, request.params.id]);
        if (!user) throw problems.notFound(`User ${request.params.id}`);
        return {
          record: { id: supervisorRecordId(user.id), kind: 'supervisor', code: user.code.slice(0, 40), name: user.name.slice(0, 200) || user.code, active: true, userId: user.id, codeHash },
          event: { storeId: session.store.id, userId: session.user.id, action: 'supervisor_code_set', detail: JSON.stringify({ userId: user.id }) },
        };
      });
      return { userId: request.params.id, active: true };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/users/:id/supervisor-code',
    {
      schema: {
        tags: ['store'],
        summary: "Revoke a user's supervisor code (admin)",
        description: 'Stations stop accepting the code once they receive the change. Recorded in the administration trail.',
        params: userParams,
        response: { 200: supervisorAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, 'revokes supervisor codes');
      // Built on the record as stored under the lock: a change committed meanwhile (a new code, a new name) is kept, not an older read.
      await changeMaster(ctx, session.store.id, supervisorRecordId(request.params.id), (current) => {
        if (!current) throw problems.notFound(`Supervisor code of user ${request.params.id}`);
        // Kept (inactive, hash removed) so sales that name this supervisor still resolve a name.
        const { codeHash: _gone, ...rest } = current;
        return {
          record: { ...rest, active: false },
          event: { storeId: session.store.id, userId: session.user.id, action: 'supervisor_code_revoked', detail: JSON.stringify({ userId: request.params.id }) },
        };
      });
      return { userId: request.params.id, active: false };
    },
  );

  app.get(
    '/api/users',
    {
      schema: { tags: ['store'], summary: "The store's users with their roles and whether they have a supervisor code (admin)", response: { 200: { type: 'array', items: userRow }, ...errorResponses } },
    },
    async (request): Promise<StoreUser[]> => {
      const session = sessionOf(request);
      assertAdmin(session, 'lists users');
      const rows = await ctx.db.query<{ id: string; code: string; name: string; roles: Role[] }>('SELECT id, code, name, roles FROM users WHERE store_id = $1 ORDER BY code', [session.store.id]);
      const supervisors = await loadDocuments(ctx.db, session.store.id, 'masterdata', rows.map((row) => supervisorRecordId(row.id)));
      return rows.map((row) => {
        const record = supervisors.get(supervisorRecordId(row.id));
        return { ...row, supervisor: !!record && !record.deleted && record.data.active === true };
      });
    },
  );

  app.post<{ Body: { code: string; name: string; password: string; roles: Role[] } }>(
    '/api/users',
    {
      schema: {
        tags: ['store'],
        summary: 'Add a user to the store (admin)',
        description: 'The password is stored as a scrypt hash. Recorded in the administration trail.',
        body: newUserBody,
        response: { 201: userRow, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertAdmin(session, 'adds users');
      const { code, name, password, roles } = request.body;
      const passwordHash = await hashSecret(password, ctx.passwordHashing);
      const id = `${session.store.id}-${code}`;
      await ctx.db.transaction(async (tx) => {
        // One statement checks and inserts: a check read before the insert let two requests with one code both pass, and the second failed on the unique index (500).
        const added = await tx.query('INSERT INTO users (id, store_id, code, name, roles, password_hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id', [id, session.store.id, code, name, roles, passwordHash]);
        if (added.length === 0) throw new ApiProblem(409, 'business_rule', `A user with code ${code} already exists in this store. Choose another code.`, '/code');
        await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'user_created', detail: JSON.stringify({ userId: id, roles }) });
      });
      return reply.status(201).send({ id, code, name, roles, supervisor: false });
    },
  );

  app.put<{ Params: { id: string }; Body: { roles: Role[] } }>(
    '/api/users/:id/roles',
    {
      schema: {
        tags: ['store'],
        summary: "Change a user's roles (admin)",
        description: 'Takes effect at once: the user\'s sessions act with the new roles from their next request, and their open live streams (`/api/sync/stream`, pull streams) are closed, so the devices reconnect with the new roles. An admin cannot remove their own admin role. Recorded in the administration trail.',
        params: userParams,
        body: rolesBody,
        response: { 200: userRow, ...errorResponses },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      assertAdmin(session, "changes users' roles");
      const { roles } = request.body;
      if (request.params.id === session.user.id && !roles.includes('admin')) {
        throw new ApiProblem(409, 'business_rule', 'You cannot remove your own admin role: another admin must do it, so the store always keeps one.', '/roles');
      }
      return ctx.db.transaction(async (tx) => {
        const [user] = await tx.query<{ id: string; code: string; name: string }>('UPDATE users SET roles = $3 WHERE store_id = $1 AND id = $2 RETURNING id, code, name', [session.store.id, request.params.id, roles]);
        if (!user) throw problems.notFound(`User ${request.params.id}`);
        // The user's sessions act with the new roles from the next request (no cached old roles), and
        // every server process closes their open streams at commit (LiveSessions: `user:<id>`).
        await forgetLookups(tx, [`user:${user.id}`]);
        await recordAdminEvent(tx, { storeId: session.store.id, userId: session.user.id, action: 'user_roles_changed', detail: JSON.stringify({ userId: user.id, roles }) });
        const record = (await loadDocuments(tx, session.store.id, 'masterdata', [supervisorRecordId(user.id)])).get(supervisorRecordId(user.id));
        return { ...user, roles, supervisor: !!record && !record.deleted && record.data.active === true };
      });
    },
  );
}
