import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DesignEvent } from '../../schema/index.ts';
import { lockStoreSequence } from '../db/documents.ts';
import { accountById, type PortalAccount } from '../design/accounts.ts';
import { applyDesignEvent } from '../design/events.ts';
import { credentialVersionSchema, designItemSchema } from '../design/portal-schemas.ts';
import { ACCOUNT_HEADER, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, verifySignature } from '../design/signature.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    designAccount?: PortalAccount;
  }
}

const eventId = { type: 'string', minLength: 1, maxLength: 100, description: 'Unique per event; a redelivery with the same id gets the first answer again' } as const;

const saveEvent = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['environment.saved', 'environment.negotiate'] },
    eventId,
    designEnvironmentId: { type: 'string', minLength: 1, maxLength: 64 },
    designId: { type: 'string', minLength: 1, maxLength: 64, description: 'Unique id of this save in the design software' },
    designRevision: { type: 'integer', minimum: 1, maximum: 1_000_000_000, description: 'Increases with every save of the environment' },
    optionName: { type: 'string', minLength: 1, maxLength: 200 },
    savedAt: { type: 'string', format: 'date-time' },
    designUserId: { type: 'string', minLength: 1, maxLength: 64 },
    credentialVersion: credentialVersionSchema,
    items: { type: 'array', maxItems: 5000, items: designItemSchema },
  },
  required: ['type', 'eventId', 'designEnvironmentId', 'designId', 'designRevision', 'optionName', 'savedAt', 'designUserId', 'credentialVersion', 'items'],
} as const;

const credentialsEvent = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['user.credentials_changed'] },
    eventId,
    designUserId: { type: 'string', minLength: 1, maxLength: 64 },
    credentialVersion: credentialVersionSchema,
  },
  required: ['type', 'eventId', 'designUserId', 'credentialVersion'],
} as const;

const DESCRIPTION = [
  'Events of the design portal (design software cloud). Not authenticated by a bearer token but signed:',
  `\`${ACCOUNT_HEADER}: <accountId>\` and \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>\``,
  `with the account's signing secret (PUT /api/design/portal-account). Timestamps more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes off, unknown`,
  'accounts and wrong signatures answer 401. Every event carries `eventId`: a redelivery answers the first answer again and changes',
  'nothing. `environment.saved` announces a save (the environment turns outdated until updated); `environment.negotiate` also imports',
  'the first version at once and answers `openUrl`; after the project review finished both answer 409 `design_locked`.',
  '`user.credentials_changed` makes that user\'s links show "link again". The portal must treat `storeProjectId` / `storeEnvironmentId`',
  'of the calls the server makes to it as idempotency keys (the server retries them).',
].join(' ');

async function verify(ctx: ServerContext, request: FastifyRequest): Promise<void> {
  const accountId = request.headers[ACCOUNT_HEADER];
  if (typeof accountId !== 'string' || accountId.length === 0) {
    throw new ApiProblem(401, 'unauthorized', `The ${ACCOUNT_HEADER} header is missing. Send the store's design-portal account id.`);
  }
  const account = await accountById(ctx.db, accountId);
  if (!account) throw new ApiProblem(401, 'unauthorized', `Design-portal account ${accountId} is not registered with this server. The store administrator registers it first.`);
  const header = request.headers[SIGNATURE_HEADER];
  const check = verifySignature(account.signingSecret, typeof header === 'string' ? header : undefined, request.rawBody ?? '');
  if (!check.ok) throw new ApiProblem(401, 'unauthorized', check.message);
  request.designAccount = account;
}

/** `POST /api/design/events` (direction A of the integration), with the raw body kept for the signature. */
export function registerDesignEventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = String(body);
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(new ApiProblem(400, 'validation_failed', 'The body is not valid JSON. Send the event as a JSON object.'), undefined);
      }
    });

    scope.post<{ Body: DesignEvent }>(
      '/api/design/events',
      {
        schema: {
          tags: ['design portal'],
          summary: 'Receive a signed event of the design portal (saves, negotiate, credential changes)',
          description: DESCRIPTION,
          security: [],
          body: { type: 'object', discriminator: { propertyName: 'type' }, oneOf: [saveEvent, credentialsEvent] },
          // The answer depends on the event (what it changed, or why not) and is replayed as first sent.
          response: { 200: { type: 'object', description: 'What the event changed; a redelivered event gets its first answer again (idempotent-replay: true)', additionalProperties: true } },
        },
        // Signed by the portal instead of a session (see authenticate.ts: protected is the default).
        config: { public: true },
        // The signature is checked before the body's shape: an unsigned caller learns nothing about it.
        preValidation: async (request) => verify(ctx, request),
      },
      async (request, reply) => {
        const account = request.designAccount!;
        const event = request.body;
        const answer = await ctx.db.transaction(async (tx) => {
          await lockStoreSequence(tx, account.storeId);
          const seen = await tx.query<{ status: number; answer: string }>('SELECT status, answer FROM design_events WHERE account_id = $1 AND event_id = $2', [account.accountId, event.eventId]);
          if (seen[0]) return { status: Number(seen[0].status), body: seen[0].answer, replay: true };
          const result = await applyDesignEvent(tx, account, event);
          const body = JSON.stringify(result.body);
          // An environment not known yet (its creation may still be on its way) changed nothing: a
          // redelivery is applied once it is known, instead of getting this answer again forever.
          if (result.status !== 404) {
            await tx.query('INSERT INTO design_events (account_id, event_id, store_id, type, status, answer) VALUES ($1, $2, $3, $4, $5, $6)', [account.accountId, event.eventId, account.storeId, event.type, result.status, body]);
          }
          return { status: result.status, body, replay: false };
        });
        if (answer.replay) reply.header('idempotent-replay', 'true');
        return reply.status(answer.status).type('application/json; charset=utf-8').send(answer.body);
      },
    );
  });
}
