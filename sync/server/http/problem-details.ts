import type { FastifyInstance } from 'fastify';
import type { ErrorBody, ErrorCode } from '../../schema/index.ts';
import { problemTitle, problemType } from './problem.ts';

export type ProblemLanguage = 'pt-BR' | 'en';

/**
 * The language of a problem's `title` and `detail` from Accept-Language: the first range by
 * q-value that is Portuguese or English. English when none is (integrators, logs).
 */
export function problemLanguage(acceptLanguage: string | undefined): ProblemLanguage {
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(/^\s*q=([0-9.]+)\s*$/.exec(params.find((param) => /^\s*q=/.test(param)) ?? '')?.[1] ?? '1');
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === 'pt' || tag.startsWith('pt-')) return 'pt-BR';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

function isErrorBody(payload: unknown): payload is ErrorBody {
  if (typeof payload !== 'object' || payload === null) return false;
  const error = (payload as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * The problem body in one language. Bodies built before this convention (only `error`) get their
 * RFC 9457 members here too. Where no pt-BR detail was written for a message, the pt-BR answer
 * says the title in Portuguese followed by the English message, rather than nothing.
 */
export function localiseProblem(body: ErrorBody, status: number, language: ProblemLanguage): ErrorBody {
  const code = body.error.code as ErrorCode;
  const titles = problemTitle(code);
  const english = body.detail ?? body.error.message;
  const detail = language === 'en' ? english : (body.detailPt ?? `${titles.pt}: ${english}`);
  const errors = body.errors ?? (body.error.field ? [{ pointer: body.error.field, detail: body.error.message }] : undefined);
  const { detailPt: _pt, ...rest } = body;
  return {
    ...rest,
    type: body.type ?? problemType(code),
    title: language === 'en' ? titles.en : titles.pt,
    status: body.status ?? status,
    detail,
    ...(errors ? { errors: errors.map(({ detailPt, ...item }) => ({ ...item, detail: language === 'en' ? item.detail : (detailPt ?? item.detail) })) } : {}),
  };
}

/**
 * Every 4xx/5xx answer carrying the project's error body leaves as `application/problem+json`,
 * localised by Accept-Language — whichever path built it (thrown ApiProblem, a route's own answer,
 * the not-found handler) — so the convention holds in one place.
 */
export function installProblemDetails(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (reply.statusCode < 400 || !isErrorBody(payload)) return payload;
    void reply.type('application/problem+json; charset=utf-8');
    return localiseProblem(payload, reply.statusCode, problemLanguage(request.headers['accept-language']));
  });
}
