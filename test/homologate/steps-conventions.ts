import { at, check, cpf, type Step } from './check.ts';

/**
 * The conventions half of the walk (API-07): Idempotency-Key (replay, other body), ETag/If-Match, a
 * 429 whose Retry-After the connector honours, and a signed webhook received on the local receiver
 * with a redelivered duplicate dropped by webhook-id.
 */
const CUSTOMERS = '/api/v1/billing/customers';

export const idempotency: Step = {
  id: 'idempotency',
  name: 'idempotency: replay, other body, in flight',
  async run(context) {
    const { http, run } = context;
    const key = `hom-${run}-idem`;
    const body = { name: `Cliente repetido ${run}`, taxId: cpf(parseInt(run, 36) + 1) };
    const first = await http.send('POST', CUSTOMERS, { idempotencyKey: key, body });
    check(context, first.status === 201 && first.headers['idempotent-replayed'] === undefined, 'the first POST answers 201, not marked as a replay');
    // As after a lost answer: the connector sends the same request again.
    const again = await http.send('POST', CUSTOMERS, { idempotencyKey: key, body });
    check(context, again.headers['idempotent-replayed'] === 'true', 'the same request re-sent with its Idempotency-Key is answered as a replay (Idempotent-Replayed: true)');
    check(context, again.status === first.status && at(again.body, 'id') === at(first.body, 'id'), 'the replay answers the first answer (same status, same id): nothing was made twice');
    const other = await http.send('POST', CUSTOMERS, { idempotencyKey: key, body: { ...body, name: `Outro cliente ${run}` } });
    check(context, other.status === 422 && at(other.body, 'error.code') === 'idempotency_conflict', 'the same key with another body answers 422 idempotency_conflict');

    // In flight: the same request sent several times at once (a retry racing the first attempt).
    // Exactly one is carried out; each other answer is its replay, or 409 idempotency_in_progress with Retry-After.
    const racing = { name: `Cliente simultâneo ${run}`, taxId: cpf(parseInt(run, 36) + 3) };
    const answers = await Promise.all(Array.from({ length: 4 }, () => http.send('POST', CUSTOMERS, { idempotencyKey: `hom-${run}-idem-race`, body: racing })));
    const carriedOut = answers.filter((answer) => answer.status === 201 && answer.headers['idempotent-replayed'] === undefined);
    check(context, carriedOut.length === 1, 'of 4 identical requests sent at once with one Idempotency-Key, exactly one is carried out (201 not marked as a replay)');
    const id = at(carriedOut[0]!.body, 'id');
    for (const answer of answers) {
      if (answer === carriedOut[0]) continue;
      const replay = answer.headers['idempotent-replayed'] === 'true' && at(answer.body, 'id') === id;
      const inFlight = answer.status === 409 && at(answer.body, 'error.code') === 'idempotency_in_progress' && answer.headers['retry-after'] !== undefined;
      check(context, replay || inFlight, 'every other answer is a replay of that one (same id) or 409 idempotency_in_progress with Retry-After');
    }
  },
};

export const etag: Step = {
  id: 'etag',
  name: 'ETag and If-Match (stale → 412)',
  async run(context) {
    const { http, run } = context;
    const id = context.state.customerId;
    check(context, typeof id === 'string', 'the billing step made a customer');
    const read = await http.send('GET', `${CUSTOMERS}/${id}`);
    const tag = read.headers.etag;
    check(context, read.status === 200 && typeof tag === 'string' && tag.length > 0, 'GET /billing/customers/{id} answers an ETag');
    const changed = await http.send('POST', `${CUSTOMERS}/${id}`, { idempotencyKey: `hom-${run}-etag-1`, headers: { 'if-match': tag }, body: { city: 'Campinas' } });
    check(context, changed.status === 200 && typeof changed.headers.etag === 'string' && changed.headers.etag !== tag, 'a write with the current ETag as If-Match answers 200 with a new ETag');
    const stale = await http.send('POST', `${CUSTOMERS}/${id}`, { idempotencyKey: `hom-${run}-etag-2`, headers: { 'if-match': tag }, body: { city: 'Santos' } });
    check(context, stale.status === 412 && at(stale.body, 'error.code') === 'precondition_failed', 'a write with the stale ETag answers 412 precondition_failed');
    const now = await http.send('GET', `${CUSTOMERS}/${id}`);
    check(context, at(now.body, 'city') === 'Campinas', 'the refused write changed nothing');
  },
};

/** Bursts sent to reach the key's limit before the step gives up. */
const BURSTS = 20;

export const rateLimit: Step = {
  id: 'rate-limit',
  name: 'rate limit: 429 with Retry-After honoured',
  async run(context) {
    const { http } = context;
    const path = `/api/v1/stock?limit=1`;
    let limited;
    // Spend what is left of the key's budget at once (RateLimit-Remaining + a few), so the window
    // cannot reset between the requests: at least one answer is a 429.
    for (let burst = 0; burst < BURSTS && !limited; burst += 1) {
      const probe = await http.send('GET', path, { raw429: true });
      if (probe.status === 429) {
        limited = probe;
        break;
      }
      check(context, probe.status === 200 && probe.headers['ratelimit-remaining'] !== undefined, `GET ${path} answers 200 with RateLimit-Remaining`);
      const remaining = Math.min(Number(probe.headers['ratelimit-remaining']), 10_000);
      const answers = await Promise.all(Array.from({ length: remaining + 3 }, () => http.send('GET', path, { raw429: true })));
      limited = answers.find((answer) => answer.status === 429);
    }
    check(context, limited, "a 429 once the key's budget (RateLimit-Limit) is spent");
    const retryAfter = Number(limited.headers['retry-after']);
    check(context, Number.isInteger(retryAfter) && retryAfter >= 0, 'the 429 carries Retry-After in whole seconds');
    check(context, at(limited.body, 'error.code') === 'rate_limited', 'the 429 is a rate_limited problem');
    // The connector decides how long to wait; a conforming one waits Retry-After, then is served.
    await http.wait(http.behaviour.waitAfter429(retryAfter) * 1000);
    const after = await http.send('GET', path, { raw429: true });
    check(context, after.status === 200, `after waiting Retry-After (${retryAfter} s) the request is served (200, not 429)`);
  },
};

export const webhook: Step = {
  id: 'webhook',
  name: 'webhook: signed delivery received, duplicate ignored',
  async run(context) {
    const { http, receiver, run } = context;
    const subscriptions = '/api/v1/webhooks/subscriptions';
    const made = await http.send('POST', subscriptions, { idempotencyKey: `hom-${run}-hook`, body: { url: receiver.url, eventTypes: ['order.status_changed'], description: `homologação ${run}` } });
    check(context, made.status === 201 && typeof at(made.body, 'secret') === 'string', 'POST /webhooks/subscriptions answers 201 with the signing secret');
    receiver.secret = at(made.body, 'secret') as string;
    const id = at(made.body, 'subscription.id') as string;
    try {
      const pinged = await http.send('POST', `${subscriptions}/${id}/ping`, { idempotencyKey: `hom-${run}-ping` });
      check(context, pinged.status === 202 && typeof at(pinged.body, 'id') === 'string', 'POST …/ping answers 202 with the message id');
      const messageId = at(pinged.body, 'id') as string;
      const arrived = await receiver.until(() => receiver.deliveries.some((d) => d.webhookId === messageId), context.webhookWaitMs);
      check(context, arrived, `the ping (webhook-id ${messageId}) reaches the local receiver at ${receiver.url} within ${context.webhookWaitMs} ms`);
      check(context, receiver.deliveries.find((d) => d.webhookId === messageId)?.verified, 'its webhook-signature verifies with the subscription secret (standardwebhooks Webhook.verify)');

      // The server records the delivery after the receiver's answer: wait for it before redelivering.
      let delivered = false;
      const started = Date.now();
      while (!delivered && Date.now() - started < context.webhookWaitMs) {
        const messages = await http.send('GET', `${subscriptions}/${id}/messages`);
        delivered = (at(messages.body, 'messages') as { id: string; state: string }[] | undefined)?.some((m) => m.id === messageId && m.state === 'delivered') ?? false;
        if (!delivered) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      check(context, delivered, 'GET …/messages shows the ping delivered');
      const redelivered = await http.send('POST', `${subscriptions}/${id}/messages/${messageId}/redeliver`, { idempotencyKey: `hom-${run}-redeliver` });
      check(context, redelivered.status === 202, 'POST …/messages/{id}/redeliver answers 202');
      const copies = () => receiver.deliveries.filter((d) => d.webhookId === messageId);
      const again = await receiver.until(() => copies().length >= 2, context.webhookWaitMs);
      check(context, again, 'the redelivered copy arrives with the same webhook-id');
      check(context, copies()[1]!.verified && copies()[1]!.duplicate, 'the copy verifies and is recognised as a duplicate by webhook-id (not processed twice)');
    } finally {
      await http.send('DELETE', `${subscriptions}/${id}`, { idempotencyKey: `hom-${run}-hook-delete` });
    }
  },
};

export const CONVENTION_STEPS = [idempotency, etag, rateLimit, webhook];
