import type { FastifyInstance } from 'fastify';
import { SELLER_POLICIES, STOCK_POLICIES, type MasterRecord, type WireDocument } from '../../schema/index.ts';
import { hashSupervisorCode, STORE_SETTINGS_ID, storeSettingsOf, storeSettingsRecord, supervisorRecordId, type StoreSettings } from '../../rules/index.ts';
import { recordAdminEvent } from '../auth/admin-events.ts';
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

/** Writes one master record through the write path, so every station of the store receives it. */
async function writeMaster(ctx: ServerContext, storeId: string, record: MasterRecord, event: Parameters<typeof recordAdminEvent>[1]): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
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
      await writeMaster(ctx, session.store.id, storeSettingsRecord(settings), {
        storeId: session.store.id,
        userId: session.user.id,
        action: 'store_settings_changed',
        detail: JSON.stringify(settings),
      });
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
      const [user] = await ctx.db.query<{ id: string; code: string; name: string }>('SELECT id, code, name FROM users WHERE store_id = $1 AND id = $2', [session.store.id, request.params.id]);
      if (!user) throw problems.notFound(`User ${request.params.id}`);
      const codeHash = await hashSupervisorCode(request.body.code);
      const record: MasterRecord = { id: supervisorRecordId(user.id), kind: 'supervisor', code: user.code.slice(0, 40), name: user.name.slice(0, 200) || user.code, active: true, userId: user.id, codeHash };
      await writeMaster(ctx, session.store.id, record, { storeId: session.store.id, userId: session.user.id, action: 'supervisor_code_set', detail: JSON.stringify({ userId: user.id }) });
      return { userId: user.id, active: true };
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
      const id = supervisorRecordId(request.params.id);
      const stored = (await loadDocuments(ctx.db, session.store.id, 'masterdata', [id])).get(id);
      if (!stored || stored.deleted) throw problems.notFound(`Supervisor code of user ${request.params.id}`);
      // Kept (inactive, hash removed) so sales that name this supervisor still resolve a name.
      const { codeHash: _gone, ...rest } = stored.data as unknown as MasterRecord;
      await writeMaster(ctx, session.store.id, { ...rest, active: false }, { storeId: session.store.id, userId: session.user.id, action: 'supervisor_code_revoked', detail: JSON.stringify({ userId: request.params.id }) });
      return { userId: request.params.id, active: false };
    },
  );
}
