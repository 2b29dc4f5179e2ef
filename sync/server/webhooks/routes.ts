import type { FastifyInstance } from 'fastify';
import { assertAdmin, authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { errors } from '../integration/schemas.ts';
import { V1 } from '../integration/api-resource.ts';
import { EVENT_DESCRIPTIONS, EVENT_SCOPES, WEBHOOK_EVENT_TYPES } from './event-types.ts';
import { listAttempts, listMessages, ping, redeliver, type MessageView } from './log.ts';
import {
  attemptsPage, attemptsQuery, createBody, createdSubscription, eventTypesAnswer, listQuery, messageParams, messagesPage, messagesQuery, messageView,
  rotateBody, rotatedSecret, subscriptionParams, subscriptionView, updateBody,
} from './schemas.ts';
import { checkInput, createSubscription, deleteSubscription, getSubscription, listSubscriptions, rotateSecret, updateSubscription, type SubscriptionInput } from './subscriptions.ts';

const tags = ['api: webhooks'];
const BASE = `${V1}/webhooks`;

/**
 * Webhook subscriptions (API-02: the server calls out only when asked), for an integrator's key with
 * `webhooks:read` / `webhooks:write` (its own subscriptions; subscribing to an event also needs the
 * event's read scope) and for the store admin's session (every subscription of the store, e.g. to see
 * why one was paused). Secrets are shown once, when made or rotated. See the README's webhook contract.
 */
export function registerWebhookRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const config = { apiResource: 'webhooks' } as const;
  const now = () => ctx.webhooks?.now() ?? new Date();
  const allowPrivate = () => ctx.webhooks?.allowPrivateNetworks ?? false;
  const caller = (request: Parameters<typeof sessionOf>[0]) => {
    const session = sessionOf(request);
    assertAdmin(session, 'or an integrator key manages webhooks.');
    return session;
  };

  app.get(
    `${BASE}/event-types`,
    { config, schema: { tags, summary: 'The event types one may subscribe to, what each carries, and the key scope each needs', response: { 200: eventTypesAnswer, ...errors } }, preHandler },
    async (request) => {
      caller(request);
      return WEBHOOK_EVENT_TYPES.map((type) => ({ type, description: EVENT_DESCRIPTIONS[type], scope: EVENT_SCOPES[type] }));
    },
  );

  app.post<{ Body: SubscriptionInput }>(
    `${BASE}/subscriptions`,
    {
      config,
      schema: {
        tags,
        summary: 'Subscribe a URL to event types; the answer carries the signing secret, shown only this once',
        description: '422 `/url` for a URL the server will not call (not https, or a loopback/private address); 403 `/eventTypes/n` when the key lacks the read scope of that event; 422 `/stockLevel` when stock.below_level has no level.',
        body: createBody,
        response: { 201: createdSubscription, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = caller(request);
      checkInput(session, request.body, allowPrivate());
      reply.header('cache-control', 'no-store');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => ({ status: 201, body: await createSubscription(db, session, request.body, now()) }));
    },
  );

  app.get<{ Querystring: { status?: 'active' | 'paused' } }>(
    `${BASE}/subscriptions`,
    { config, schema: { tags, summary: "Subscriptions: a key's own, or (admin session) the store's; `status=paused` lists the paused ones with their reason", querystring: listQuery, response: { 200: { type: 'array', items: subscriptionView }, ...errors } }, preHandler },
    async (request) => listSubscriptions(ctx.db, caller(request), now(), request.query.status),
  );

  app.get<{ Params: { id: string } }>(
    `${BASE}/subscriptions/:id`,
    { config, schema: { tags, summary: 'One subscription (never its secret)', params: subscriptionParams, response: { 200: subscriptionView, ...errors } }, preHandler },
    async (request) => getSubscription(ctx.db, caller(request), request.params.id, now()),
  );

  app.patch<{ Params: { id: string }; Body: Partial<SubscriptionInput> & { status?: 'active' | 'paused' } }>(
    `${BASE}/subscriptions/:id`,
    {
      config,
      schema: { tags, summary: 'Change URL, event types, level or description; pause, or resume (what waited is sent at once)', params: subscriptionParams, body: updateBody, response: { 200: subscriptionView, ...errors } },
      preHandler,
    },
    async (request, reply) => {
      const session = caller(request);
      const sent = await withIdempotency(ctx.db, session.store.id, request, reply, async (db) => ({
        status: 200,
        // Checked against the subscription as it stands when the change is written, not an older read.
        body: await updateSubscription(db, session, request.params.id, request.body, now(), (current) => checkInput(session, request.body, allowPrivate(), current)),
      }));
      // Once committed (the worker reads on its own connection).
      if (request.body.status === 'active') ctx.webhooks?.wake();
      return sent;
    },
  );

  app.delete<{ Params: { id: string } }>(
    `${BASE}/subscriptions/:id`,
    { config, schema: { tags, summary: 'Delete a subscription with its queued messages and its log', params: subscriptionParams, response: { 204: { type: 'null', description: 'Deleted' }, ...errors } }, preHandler },
    async (request, reply) => {
      const session = caller(request);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        await deleteSubscription(db, session, request.params.id);
        return { status: 204, body: null };
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { graceSeconds?: number } | undefined }>(
    `${BASE}/subscriptions/:id/rotate-secret`,
    {
      config,
      schema: {
        tags,
        summary: 'A new signing secret (shown once); the previous one keeps signing beside it for graceSeconds (two signatures in webhook-signature)',
        params: subscriptionParams,
        body: rotateBody,
        response: { 200: rotatedSecret, ...errors },
      },
      preHandler,
    },
    async (request, reply) => {
      const session = caller(request);
      await getSubscription(ctx.db, session, request.params.id, now());
      reply.header('cache-control', 'no-store');
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => ({ status: 200, body: await rotateSecret(db, session, request.params.id, request.body?.graceSeconds ?? 86_400, now()) }));
    },
  );

  app.post<{ Params: { id: string } }>(
    `${BASE}/subscriptions/:id/ping`,
    { config, schema: { tags, summary: 'Queue a webhook.ping for this subscription only (checks the receiver and its signature check)', params: subscriptionParams, response: { 202: messageView, ...errors } }, preHandler },
    async (request, reply) => {
      const session = caller(request);
      await getSubscription(ctx.db, session, request.params.id, now());
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => ({ status: 202, body: await ping(db, session.store.id, request.params.id) }));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { state?: MessageView['state']; limit: number; cursor?: string } }>(
    `${BASE}/subscriptions/:id/messages`,
    { config, schema: { tags, summary: "The subscription's messages (events), newest first, with their delivery state", params: subscriptionParams, querystring: messagesQuery, response: { 200: messagesPage, ...errors } }, preHandler },
    async (request) => {
      const session = caller(request);
      await getSubscription(ctx.db, session, request.params.id, now());
      return listMessages(ctx.db, request.params.id, request.query);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { messageId?: string; limit: number; cursor?: string } }>(
    `${BASE}/subscriptions/:id/attempts`,
    { config, schema: { tags, summary: 'The delivery log: every attempt (status code, duration, error), newest first', params: subscriptionParams, querystring: attemptsQuery, response: { 200: attemptsPage, ...errors } }, preHandler },
    async (request) => {
      const session = caller(request);
      await getSubscription(ctx.db, session, request.params.id, now());
      return listAttempts(ctx.db, request.params.id, request.query);
    },
  );

  app.post<{ Params: { id: string; messageId: string } }>(
    `${BASE}/subscriptions/:id/messages/:messageId/redeliver`,
    { config, schema: { tags, summary: 'Send one message again (same webhook-id and body), at once, with a fresh 3-day window', params: messageParams, response: { 202: messageView, ...errors } }, preHandler },
    async (request, reply) => {
      const session = caller(request);
      await getSubscription(ctx.db, session, request.params.id, now());
      const sent = await withIdempotency(ctx.db, session.store.id, request, reply, async (db) => ({ status: 202, body: await redeliver(db, request.params.id, request.params.messageId, now()) }));
      // Once committed (the worker reads on its own connection).
      ctx.webhooks?.wake();
      return sent;
    },
  );
}
