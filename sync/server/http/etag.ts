import type { FastifyRequest } from 'fastify';
import { problems } from './problem.ts';

/**
 * ETag / If-Match on single resources (no lost updates between an ERP and a back-office user).
 * A document's tag is its sequence number: every write of a document gives it a new, larger one.
 */
export function etagOf(seq: number): string {
  return `"${seq}"`;
}

/** The entity tags of If-Match (`"12"`, `W/"12"` compared weakly as `"12"`), `'*'`, or null when absent. */
export type IfMatch = readonly string[] | '*' | null;

export function ifMatchOf(request: FastifyRequest): IfMatch {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') return null;
  if (header.trim() === '*') return '*';
  return header
    .slice(0, 2_000)
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .filter((tag) => tag.length > 0);
}

/**
 * Throws 412 `precondition_failed` when If-Match was sent and does not name the current version
 * (`currentSeq` undefined: the resource does not exist, which only `*` would have required).
 * Call where the current version is read under the store's write lock, so the check and the write are atomic.
 */
export function assertIfMatch(ifMatch: IfMatch, currentSeq: number | undefined, what: string): void {
  if (ifMatch === null) return;
  if (currentSeq === undefined) throw problems.preconditionFailed(what);
  if (ifMatch === '*') return;
  if (!ifMatch.includes(etagOf(currentSeq))) throw problems.preconditionFailed(what);
}

/** The `ETag` response header, documented once for the OpenAPI document. */
export const etagHeader = { ETag: { description: 'Version of the resource; send it back in If-Match to change it only if nobody else did', schema: { type: 'string' } } } as const;
