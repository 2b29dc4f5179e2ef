import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { digest } from '../auth/secrets.ts';
import { stableJson } from '../sync/stable-json.ts';
import { ApiProblem } from './problem.ts';

export interface Answer {
  status: number;
  body: unknown;
  /** Extra headers of the first answer (e.g. the new ETag); not replayed. */
  headers?: Record<string, string>;
}

/** Keys are kept at least this long; older ones are purged as new ones are reserved. */
export const IDEMPOTENCY_KEEP_DAYS = 7;
/**
 * A reservation still 'running' after this long belongs to a process that died mid-request (no
 * request may run longer: the server's request timeout is 120 s); the next request takes it over.
 */
export const ABANDONED_AFTER_SECONDS = 300;
const MAX_KEY_LENGTH = 200;

/** Header on a replayed answer (draft-ietf-httpapi-idempotency-key-header); the older name is kept for existing clients. */
export const REPLAYED_HEADERS = { 'idempotent-replayed': 'true', 'idempotent-replay': 'true' } as const;

/** Who the key belongs to: keys of two callers (two integrators, two users) never meet. */
function callerOf(request: FastifyRequest): string {
  const session = request.session;
  if (!session) return 'anonymous';
  return session.apiKey ? `key:${session.apiKey.id}` : `user:${session.user.id}`;
}

type Stored = { request_hash: string; state: string; status: number | null; body: string | null; abandoned: boolean };

/**
 * `Idempotency-Key` on every write (POST/PUT/PATCH/DELETE) of the integration APIs (API-05):
 * - the same key and the same request (method, URL, body) replays the first answer, marked with
 *   `Idempotent-Replayed: true`, and changes nothing again;
 * - the same key with another request → 422 `idempotency_conflict`;
 * - the same key while the first request still runs → 409 `idempotency_in_progress` (Retry-After: 1).
 * The key is reserved first, in its own statement (INSERT … ON CONFLICT DO NOTHING): on PostgreSQL
 * only one of several concurrent requests wins the row, the others see it. Only carried-out writes
 * (status < 300) are remembered: a refusal changed nothing, so the reservation is dropped and the
 * same key may be sent again once the request is fixed. Keys are kept IDEMPOTENCY_KEEP_DAYS days.
 * Without the header the work simply runs.
 */
export async function withIdempotency(db: Database, storeId: string, request: FastifyRequest, reply: FastifyReply, work: () => Promise<Answer>): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) return send(reply, await work());
  if (key.length > MAX_KEY_LENGTH) {
    throw new ApiProblem(400, 'validation_failed', `The Idempotency-Key header is longer than ${MAX_KEY_LENGTH} characters. Use a shorter key (a UUID is ideal).`, 'Idempotency-Key', undefined, {
      messagePt: `O cabeçalho Idempotency-Key tem mais de ${MAX_KEY_LENGTH} caracteres. Use uma chave mais curta (um UUID é o ideal).`,
    });
  }
  const caller = callerOf(request);
  const requestHash = digest(`${request.method} ${request.url}\n${stableJson(request.body ?? null)}`);

  // A reservation that vanishes between our INSERT and SELECT (its request failed) is retried.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const reserved = await db.query(
      "INSERT INTO idempotency_keys (store_id, caller, key, request_hash, state) VALUES ($1, $2, $3, $4, 'running') ON CONFLICT DO NOTHING RETURNING key",
      [storeId, caller, key, requestHash],
    );
    if (reserved.length > 0) return carryOut(db, [storeId, caller, key], reply, work);
    const rows = await db.query<Stored>(
      `SELECT request_hash, state, status, body, created_at < now() - make_interval(secs => $4) AS abandoned
         FROM idempotency_keys WHERE store_id = $1 AND caller = $2 AND key = $3`,
      [storeId, caller, key, ABANDONED_AFTER_SECONDS],
    );
    const previous = rows[0];
    if (!previous) continue;
    if (previous.request_hash !== requestHash) {
      throw new ApiProblem(422, 'idempotency_conflict', `Idempotency-Key "${key}" was already used for a different request. Use a new key for a new request.`, 'Idempotency-Key', undefined, {
        messagePt: `A Idempotency-Key "${key}" já foi usada em outra requisição. Use uma chave nova para uma requisição nova.`,
      });
    }
    if (previous.state === 'done') {
      return reply.status(previous.status ?? 200).headers(REPLAYED_HEADERS).type('application/json; charset=utf-8').send(previous.body);
    }
    if (previous.abandoned) {
      await db.query("DELETE FROM idempotency_keys WHERE store_id = $1 AND caller = $2 AND key = $3 AND state = 'running' AND created_at < now() - make_interval(secs => $4)", [storeId, caller, key, ABANDONED_AFTER_SECONDS]);
      continue;
    }
    throw new ApiProblem(409, 'idempotency_in_progress', `A request with Idempotency-Key "${key}" is still running. Wait for its answer, or send this one again in a moment.`, 'Idempotency-Key', { 'retry-after': '1' }, {
      messagePt: `Uma requisição com a Idempotency-Key "${key}" ainda está em andamento. Aguarde a resposta dela ou envie esta de novo em instantes.`,
    });
  }
  throw new ApiProblem(409, 'idempotency_in_progress', `Requests with Idempotency-Key "${key}" keep racing. Send it again in a moment.`, 'Idempotency-Key', { 'retry-after': '1' });
}

async function carryOut(db: Database, id: [string, string, string], reply: FastifyReply, work: () => Promise<Answer>): Promise<FastifyReply> {
  let answer: Answer;
  try {
    answer = await work();
  } catch (error) {
    await db.query('DELETE FROM idempotency_keys WHERE store_id = $1 AND caller = $2 AND key = $3', id);
    throw error;
  }
  if (answer.status < 300) {
    await db.query("UPDATE idempotency_keys SET state = 'done', status = $4, body = $5 WHERE store_id = $1 AND caller = $2 AND key = $3", [...id, answer.status, JSON.stringify(answer.body)]);
  } else {
    await db.query('DELETE FROM idempotency_keys WHERE store_id = $1 AND caller = $2 AND key = $3', id);
  }
  await purgeIdempotencyKeys(db);
  return send(reply, answer);
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  if (answer.headers) void reply.headers(answer.headers);
  return reply.status(answer.status).send(answer.body);
}

/** Deletes keys older than `days` (default IDEMPOTENCY_KEEP_DAYS); returns how many. Cheap: indexed by age. */
export async function purgeIdempotencyKeys(db: Database, days = IDEMPOTENCY_KEEP_DAYS): Promise<number> {
  const rows = await db.query("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1) RETURNING key", [days]);
  return rows.length;
}
