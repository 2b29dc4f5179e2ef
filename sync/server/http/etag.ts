import type { FastifyRequest } from 'fastify';
import { problems } from './problem.ts';

/**
 * ETag / If-Match on single resources (no lost updates between an ERP and a back-office user).
 * A document's tag is its sequence number: every write of a document gives it a new, larger one.
 */
export function etagOf(seq: number): string {
  return `"${seq}"`;
}

/** The entity tags of If-Match as sent (`"12"`, `W/"12"`), `'*'`, or null when absent. */
export type IfMatch = readonly string[] | '*' | null;

export function ifMatchOf(request: FastifyRequest): IfMatch {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') return null;
  if (header.trim() === '*') return '*';
  return header
    .slice(0, 2_000)
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

function isWeak(tag: string): boolean {
  return tag.startsWith('W/');
}

/**
 * The strong comparison of RFC 9110 §8.8.3.2, which If-Match uses (§13.1.1): both tags strong and
 * equal character by character. A weak tag (`W/"12"`) matches nothing, not even `"12"`: it only says
 * the content is equivalent, and a write made on that belief could overwrite a change.
 */
export function strongMatch(tag: string, current: string): boolean {
  return !isWeak(tag) && !isWeak(current) && tag === current;
}

/**
 * Throws 412 `precondition_failed` when If-Match was sent and none of its tags strongly matches the
 * current version (strongMatch; `currentSeq` undefined: the resource does not exist, which only `*`
 * would have required). The one If-Match check of every route: the write path (WriteOptions.ifMatch)
 * and changeOne call it. Call where the current version is read under the store's write lock, so the
 * check and the write are atomic.
 */
export function assertIfMatch(ifMatch: IfMatch, currentSeq: number | undefined, what: string): void {
  if (ifMatch === null) return;
  if (currentSeq === undefined) throw problems.preconditionFailed(what);
  if (ifMatch === '*') return;
  const current = etagOf(currentSeq);
  if (ifMatch.some((tag) => strongMatch(tag, current))) return;
  throw ifMatch.every(isWeak) ? problems.weakIfMatch(what) : problems.preconditionFailed(what);
}

/** The `ETag` response header, documented once for the OpenAPI document. */
export const etagHeader = { ETag: { description: 'Version of the resource; send it back in If-Match to change it only if nobody else did', schema: { type: 'string' } } } as const;
