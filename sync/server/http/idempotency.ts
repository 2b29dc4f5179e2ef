import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { digest } from '../auth/secrets.ts';
import { stableJson } from '../sync/stable-json.ts';
import { ApiProblem } from './problem.ts';

interface Answer {
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key` on integration writes: the same key with the same request replays the stored
 * answer of a write that was carried out, so an integrator whose connection dropped can simply send again.
 */
export async function withIdempotency(db: Database, storeId: string, request: FastifyRequest, reply: FastifyReply, work: () => Promise<Answer>): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) {
    const answer = await work();
    return reply.status(answer.status).send(answer.body);
  }
  if (key.length > 200) throw new ApiProblem(400, 'validation_failed', 'The Idempotency-Key header is longer than 200 characters. Use a shorter key (a UUID is ideal).', 'Idempotency-Key');
  // The caller is part of the request: another user's key never replays an answer written for someone else.
  const caller = request.session?.user.id ?? '';
  const requestHash = digest(`${caller} ${request.method} ${request.url}\n${stableJson(request.body ?? null)}`);
  const stored = await db.query<{ request_hash: string; status: number; body: string }>('SELECT request_hash, status, body FROM idempotency_keys WHERE store_id = $1 AND key = $2', [storeId, key]);
  const previous = stored[0];
  if (previous) {
    if (previous.request_hash !== requestHash) {
      throw new ApiProblem(409, 'idempotency_conflict', `Idempotency-Key "${key}" was already used for a different request. Use a new key for a new request.`);
    }
    return reply.status(previous.status).header('idempotent-replay', 'true').type('application/json; charset=utf-8').send(previous.body);
  }
  const answer = await work();
  // Only what was carried out is remembered: a refusal (or a failure of the server) changed nothing,
  // so the same request can simply run again, and once fixed it may use the same key.
  if (answer.status < 300) {
    await db.query('INSERT INTO idempotency_keys (store_id, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [storeId, key, requestHash, answer.status, JSON.stringify(answer.body)]);
  }
  return reply.status(answer.status).send(answer.body);
}
