import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Queryable } from '../db/database.ts';
import { digest } from '../auth/secrets.ts';
import { stableJson } from '../sync/stable-json.ts';
import { ApiProblem } from './problem.ts';
import { runInTransaction, type Answer, type Outcome, type RequestWork } from './request-work.ts';

export type { Answer, RequestWork } from './request-work.ts';

/** Keys are kept at least this long; older ones are purged as new ones are reserved. */
export const IDEMPOTENCY_KEEP_DAYS = 7;
/**
 * A reservation still 'running' after this long is taken over by the next request with its key. Its
 * work cannot have committed — the answer commits with the work, so a committed one is 'done' — and no
 * request runs longer (the server's request timeout is 120 s): its process died, or its transaction
 * rolled back and the reservation could not be dropped. Should the first still commit after all, only
 * one of the two can: each marks only its own 'running' reservation done, in its own transaction.
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

/** The request a key stands for: method, URL and body (an .xlsx upload arrives as bytes: they are hashed as they came). */
function requestHashOf(request: FastifyRequest): string {
  const body = Buffer.isBuffer(request.body) ? `bytes:${createHash('sha256').update(request.body).digest('hex')}` : stableJson(request.body ?? null);
  return digest(`${request.method} ${request.url}\n${body}`);
}

type Stored = { request_hash: string; state: string; status: number | null; body: string | null; abandoned: boolean };

/**
 * One reservation of a key: the key's row, told apart from a later one of the same key by its creation time (a later
 * one exists only once this one was taken over, ABANDONED_AFTER_SECONDS after it was made).
 */
interface Reservation {
  id: [storeId: string, caller: string, key: string];
  reservedAt: string;
}

/** 409 `idempotency_in_progress`: not recorded (Retry-After), the same request may come again. */
const inProgress = (key: string, why: 'running' | 'racing' | 'taken_over' = 'running') => {
  const [message, messagePt] = {
    running: [`A request with Idempotency-Key "${key}" is still running. Wait for its answer, or send this one again in a moment.`, `Uma requisição com a Idempotency-Key "${key}" ainda está em andamento. Aguarde a resposta dela ou envie esta de novo em instantes.`],
    racing: [`Requests with Idempotency-Key "${key}" keep racing. Send it again in a moment.`, `Requisições com a Idempotency-Key "${key}" continuam concorrendo. Envie de novo em instantes.`],
    taken_over: [`Idempotency-Key "${key}" was taken over by a later request, which carries it out. Send this one again in a moment to get its answer.`, `A Idempotency-Key "${key}" foi assumida por uma requisição posterior, que a executa. Envie esta de novo em instantes para receber a resposta.`],
  }[why] as [string, string];
  return new ApiProblem(409, 'idempotency_in_progress', message, 'Idempotency-Key', { 'retry-after': '1' }, { messagePt });
};

/**
 * `Idempotency-Key` on every write (POST/PUT/PATCH/DELETE) of the integration APIs (API-05), after
 * draft-ietf-httpapi-idempotency-key-header and Stripe's idempotent requests:
 * - the same key and the same request (method, URL, body; an .xlsx body by its bytes) replays the first
 *   answer, marked with `Idempotent-Replayed: true`, and changes nothing again;
 * - the same key with another request → 422 `idempotency_conflict`;
 * - the same key while the first request still runs → 409 `idempotency_in_progress` (Retry-After: 1).
 *
 * The key is reserved first, in its own statement (INSERT … ON CONFLICT DO NOTHING): on PostgreSQL
 * only one of several concurrent requests wins the row, the others see it. `work` then runs in one
 * transaction (runInTransaction; it reads and writes through the `db` it is given), and the answer is
 * recorded on the key in that same transaction: the write and its recorded answer commit together, so
 * a retry either replays the answer or finds the work never committed (its reservation is dropped, or
 * taken over after ABANDONED_AFTER_SECONDS) and carries it out then.
 *
 * What is recorded (Stripe: once the endpoint started executing, its result is saved): every answer of
 * the work under 500, refusals included — a 422 of a business rule, whose refused record stays once in
 * integration errors, a 404, a 412 — so a retry gets the same refusal and records nothing again. Not
 * recorded, so the key may be sent again: a 400 (the request itself is invalid: nothing was carried
 * out), an answer that says to try again (Retry-After: 409 in progress, 429, 503), and a failure (5xx),
 * which rolled the work back. Keys are kept IDEMPOTENCY_KEEP_DAYS days. Without the header the work
 * runs the same way (in one transaction), with nothing recorded.
 * @throws ApiProblem 400 for a key longer than 200 characters, 422 `idempotency_conflict`, 409
 * `idempotency_in_progress`; a refusal of the work is thrown (after its commit) as the work threw it
 */
export async function withIdempotency(db: Database, storeId: string, request: FastifyRequest, reply: FastifyReply, work: RequestWork): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) return answer(reply, await runInTransaction(db, work));
  if (key.length > MAX_KEY_LENGTH) {
    throw new ApiProblem(400, 'validation_failed', `The Idempotency-Key header is longer than ${MAX_KEY_LENGTH} characters. Use a shorter key (a UUID is ideal).`, 'Idempotency-Key', undefined, {
      messagePt: `O cabeçalho Idempotency-Key tem mais de ${MAX_KEY_LENGTH} caracteres. Use uma chave mais curta (um UUID é o ideal).`,
    });
  }
  const caller = callerOf(request);
  const requestHash = requestHashOf(request);

  // A reservation that vanishes between our INSERT and SELECT (its request failed) is retried.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const reserved = await db.query<{ reserved_at: string }>(
      "INSERT INTO idempotency_keys (store_id, caller, key, request_hash, state) VALUES ($1, $2, $3, $4, 'running') ON CONFLICT DO NOTHING RETURNING created_at::text AS reserved_at",
      [storeId, caller, key, requestHash],
    );
    if (reserved[0]) return carryOut(db, { id: [storeId, caller, key], reservedAt: reserved[0].reserved_at }, reply, work);
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
    if (previous.state === 'done') return replay(reply, previous.status ?? 200, previous.body);
    if (previous.abandoned) {
      // Never a reservation whose work committed: that one is 'done' (on PostgreSQL this waits for a commit in flight, then finds it done).
      await db.query("DELETE FROM idempotency_keys WHERE store_id = $1 AND caller = $2 AND key = $3 AND state = 'running' AND created_at < now() - make_interval(secs => $4)", [storeId, caller, key, ABANDONED_AFTER_SECONDS]);
      continue;
    }
    throw inProgress(key);
  }
  throw inProgress(key, 'racing');
}

/** Stripe's rule (see withIdempotency): what the work answered is kept, except a 400, a "try again" (Retry-After) and a 5xx. */
function kept(outcome: Outcome): boolean {
  if (outcome.answer.status >= 500) return false;
  const refusal = outcome.refusal;
  return !refusal || (refusal.statusCode !== 400 && refusal.headers?.['retry-after'] === undefined);
}

async function carryOut(db: Database, reservation: Reservation, reply: FastifyReply, work: RequestWork): Promise<FastifyReply> {
  let outcome: Outcome;
  try {
    outcome = await runInTransaction(db, work, async (tx, ended) => {
      if (kept(ended)) await recordAnswer(tx, reservation, ended.answer);
    });
  } catch (error) {
    // Rolled back: the key may be used again.
    await release(db, reservation);
    throw error;
  }
  if (!kept(outcome)) await release(db, reservation);
  await purgeIdempotencyKeys(db);
  return answer(reply, outcome);
}

/**
 * Drops the reservation of a request whose answer is not kept. Only our own, and only while 'running': had the commit
 * failed in a way that hid its success, the key is 'done' and stays. One that cannot be dropped (the database is gone)
 * is taken over after ABANDONED_AFTER_SECONDS, like any reservation without a kept answer.
 */
async function release(db: Database, reservation: Reservation): Promise<void> {
  await db
    .query("DELETE FROM idempotency_keys WHERE store_id = $1 AND caller = $2 AND key = $3 AND state = 'running' AND created_at = $4::timestamptz", [...reservation.id, reservation.reservedAt])
    .catch(() => undefined);
}

/**
 * Marks the reservation done with its answer, in the work's transaction. None left to mark (a later request took the
 * key over, thinking this one dead): this work rolls back, so at most one of the two commits; its caller is told to try again.
 */
async function recordAnswer(tx: Queryable, reservation: Reservation, done: Answer): Promise<void> {
  const marked = await tx.query(
    "UPDATE idempotency_keys SET state = 'done', status = $4, body = $5 WHERE store_id = $1 AND caller = $2 AND key = $3 AND state = 'running' AND created_at = $6::timestamptz RETURNING key",
    [...reservation.id, done.status, JSON.stringify(done.body), reservation.reservedAt],
  );
  if (marked.length === 0) throw inProgress(reservation.id[2], 'taken_over');
}

/** The work's first answer: a refusal is thrown (the error handler answers it, with its headers), anything else sent. */
function answer(reply: FastifyReply, outcome: Outcome): FastifyReply {
  outcome.answer.committed?.();
  if (outcome.refusal) throw outcome.refusal;
  if (outcome.answer.headers) void reply.headers(outcome.answer.headers);
  return reply.status(outcome.answer.status).send(outcome.answer.body);
}

/** A recorded answer again. A refusal is sent as an object, so it is localised (Accept-Language) and typed problem+json as the first was. */
function replay(reply: FastifyReply, status: number, body: string | null): FastifyReply {
  void reply.status(status).headers(REPLAYED_HEADERS);
  if (status >= 400 && body !== null) return reply.send(JSON.parse(body));
  return reply.type('application/json; charset=utf-8').send(body);
}

/** Deletes keys older than `days` (default IDEMPOTENCY_KEEP_DAYS); returns how many. Cheap: indexed by age. */
export async function purgeIdempotencyKeys(db: Database, days = IDEMPOTENCY_KEEP_DAYS): Promise<number> {
  const rows = await db.query("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1) RETURNING key", [days]);
  return rows.length;
}
