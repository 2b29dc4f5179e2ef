import type { FastifyInstance } from 'fastify';
import { API_SCOPES, ERROR_CODES } from '../../schema/index.ts';
import { ABANDONED_AFTER_SECONDS, IDEMPOTENCY_KEEP_DAYS } from './idempotency.ts';
import { problemTitle } from './problem.ts';

/**
 * The conventions of the integration API (issue 12), written once and served at /docs/conventions
 * (public, like the OpenAPI document). Each problem `type` URI points at a section of this page.
 */
export function conventionsMarkdown(): string {
  const problemSections = ERROR_CODES.map((code) => `<a id="problem-${code}"></a>\n### \`${code}\` — ${problemTitle(code).en} / ${problemTitle(code).pt}\n`).join('\n');
  return `# Balcão integration API — conventions

The machine-readable contract is the OpenAPI 3.1 document at \`/docs/json\` (browse it at \`/docs\`).

## Credentials (API-08)

- An integrator calls with its own API key: \`Authorization: Bearer bk.<id>.<secret>\`. The store's
  administrator creates keys (app: Administration → API keys, or \`POST /api/api-keys\`); the secret is
  shown once and stored only as its SHA-256. A key has a name, scopes, an optional expiry and a
  requests-per-minute limit; the list shows its last use. A revoked or expired key answers 401.
- Scopes are read / write per resource: ${API_SCOPES.map((scope) => `\`${scope}\``).join(', ')}.
  \`GET\`/\`HEAD\` need \`<resource>:read\`, every other method \`<resource>:write\` (write does not imply read).
  A route outside the integration API (replication, pairing, administration) refuses keys with 403.
- A key sees only its own store. People (the app, the back office) keep using their session token.
- Whatever its scopes, a key never writes what the stations record — sales and exchanges, till (cash)
  movements, the audit trail: \`sales:write\` grants nothing, sales are read-only for integrators —
  nor design records, the master records the server keeps (kinds \`station\`, \`storeSettings\`,
  \`supervisor\`, \`voucher\`: written through their own routes only, by keys and people alike), or a
  contract request in a person's name: 403. Creating and revoking keys is in the store's administration trail.

## Problem details (RFC 9457)

Every 4xx/5xx answer is \`application/problem+json\`:

\`\`\`json
{ "type": "/docs/conventions#problem-not_found", "title": "Não encontrado", "status": 404,
  "detail": "customers/c-1 não foi encontrado. Confira o identificador e tente de novo.",
  "errors": [{ "pointer": "/items/3/priceCents", "detail": "…" }],
  "error": { "code": "not_found", "message": "customers/c-1 was not found. Check the id and try again." } }
\`\`\`

- \`type\` is stable per kind of problem (a section below); \`title\` and \`detail\` follow \`Accept-Language\`
  (\`pt-BR\` or English; English when neither is asked for).
- \`errors\` lists a JSON pointer (RFC 6901) into the request for each bad field, or for each refused
  item of a batch (\`/items/<index>/…\`), so one bad item never hides the others.
- \`error.code\` / \`error.message\` (English) are kept for existing clients.

## Idempotency-Key (API-05)

Send \`Idempotency-Key: <uuid>\` on every POST, PUT, PATCH and DELETE:

- the same key with the same request (method, path, body) answers the first answer again, with
  \`Idempotent-Replayed: true\`, and changes nothing a second time;
- the same key with another request → **422** \`idempotency_conflict\`;
- the same key while the first request still runs → **409** \`idempotency_in_progress\` with \`Retry-After\`;
- the answer is recorded in the same transaction as the write: a retry gets either that answer or, when
  the request failed (5xx, a lost connection, a crash), a request that changed nothing, carried out now.
  A reservation left by a crashed server is taken over after ${ABANDONED_AFTER_SECONDS} s; it never stands for
  a write that was made, so taking it over never writes twice;
- refusals are remembered too once the request was carried out (as Stripe does): a 422 of a business
  rule, a 404, a 409 of a state, a 412 are answered again, and a refused record is kept once in the
  integration errors however often it is retried. A fixed request is a new request: send it with a new key.
  Not remembered, so the same key may be sent again: a 400 (the request itself is invalid), an answer
  with \`Retry-After\` (409 \`idempotency_in_progress\`, 429) and a 5xx;
- an \`.xlsx\` upload is the same request when its bytes are the same;
- keys belong to the caller (two integrators may both use \`order-1\`) and are kept ${IDEMPOTENCY_KEEP_DAYS} days.

## ETag and If-Match

Every single resource (\`GET /api/v1/<collection>/{id}\`, \`GET /api/v1/billing/…/{id}\`) answers an \`ETag\`.
Send it back as \`If-Match\` on a PUT/POST/DELETE of that resource: if someone changed it meanwhile
(an ERP and a back-office user), the write is refused with **412** \`precondition_failed\` and nothing is lost.
Writes answer the new \`ETag\`. Send the tag exactly as answered: If-Match compares strongly (RFC 9110
§13.1.1), so a weak tag (\`W/"12"\`) never matches and is refused with the same 412.

## Warnings

A write that is accepted but deserves a second look answers its usual status with a
\`Warning: 299 - "<text>"\` header (RFC 7234 §5.5; the text in English, folded to ASCII). Today: a
consumption record whose quantity is most likely a typo (more than 1,000,000 units, or a charge of
its own above R$ 100,000.00) is written and warned about; \`consumption/batch\` lists such items in
\`warnings\` instead. A replayed answer (\`Idempotent-Replayed\`) carries no warning.

## Rate limits

Each key has its own budget per minute (set when the key is made); people and devices are counted
per address. Answers carry \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\` (seconds);
a **429** \`rate_limited\` carries \`Retry-After\` (seconds).

## Webhooks (API-02)

Opt-in: the server calls out only for subscriptions made with \`POST /api/v1/webhooks/subscriptions\`
(scopes \`webhooks:*\`, plus the read scope of each event's data). Each message is a \`POST\` of
\`{"id","type","timestamp","storeId","resourceId","data"}\` signed with the Standard Webhooks scheme:
\`webhook-id\`, \`webhook-timestamp\` and \`webhook-signature\` (\`v1,<base64 HMAC-SHA256>\`, two during a
secret rotation). Verify with the \`standardwebhooks\` package and answer 2xx within 10 s.
**Delivery is at least once: drop duplicates by \`webhook-id\`** (the same on every retry and redelivery).
Failed attempts are retried with exponential backoff and jitter (30 s doubling up to 6 h) for 3 days; then
the subscription is paused with the reason, and can be resumed; \`…/messages/{id}/redeliver\` sends one
again. Only https URLs of public addresses are called.

## Problem types

${problemSections}`;
}

/** GET /docs/conventions: the page above, as Markdown (public). */
export function registerConventionsRoute(app: FastifyInstance): void {
  const page = conventionsMarkdown();
  app.get(
    '/docs/conventions',
    {
      config: { public: true },
      schema: { tags: ['docs'], summary: 'Conventions of the integration API: keys and scopes, problem types, Idempotency-Key, ETag/If-Match, rate limits', security: [], response: { 200: { type: 'string', description: 'Markdown' } } },
    },
    async (_request, reply) => reply.type('text/markdown; charset=utf-8').send(page),
  );
}
