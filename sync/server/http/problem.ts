import type { ErrorBody, ErrorCode } from '../../schema/index.ts';

/** One refused item of a batch, or one bad field: where (a JSON pointer into the request) and why. */
export interface ItemError {
  /** RFC 6901 pointer into the request body, e.g. `/items/3/priceCents`. */
  pointer: string;
  code?: string;
  /** English. */
  detail: string;
  /** pt-BR, when the server has one. */
  detailPt?: string;
}

/**
 * An error a caller can act on: thrown anywhere in a route, answered as an RFC 9457 problem
 * (`application/problem+json`) that also keeps the project's `error: { code, message, field }`
 * object, so existing clients keep working. `message` is English; `messagePt` the pt-BR detail.
 */
export class ApiProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Extra response headers (e.g. retry-after on 429). */
    readonly headers?: Record<string, string>,
    readonly extra: { messagePt?: string; errors?: readonly ItemError[] } = {},
  ) {
    super(message);
  }

  /** The body in English; http/problem-details.ts localises it per request (Accept-Language). */
  toBody(): ErrorBody {
    const errors = this.extra.errors ?? (this.field ? [{ pointer: this.field, detail: this.message }] : undefined);
    return {
      type: problemType(this.code),
      title: problemTitle(this.code).en,
      status: this.statusCode,
      detail: this.message,
      ...(this.extra.messagePt ? { detailPt: this.extra.messagePt } : {}),
      ...(errors ? { errors: errors.map((item) => ({ ...item })) } : {}),
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

/** Stable, dereferenceable type of each problem: a section of the conventions page served at /docs/conventions. */
export function problemType(code: ErrorCode): string {
  return `/docs/conventions#problem-${code}`;
}

/** The title of a problem type in both languages (a code added later without a title gets a generic one). */
export function problemTitle(code: ErrorCode): { en: string; pt: string } {
  return PROBLEM_TITLES[code] ?? { en: 'Error', pt: 'Erro' };
}

/** Title per problem type (RFC 9457: the same for every occurrence of the type), in both languages. */
export const PROBLEM_TITLES: Partial<Record<ErrorCode, { en: string; pt: string }>> = {
  validation_failed: { en: 'Invalid request', pt: 'Requisição inválida' },
  unauthorized: { en: 'Not signed in', pt: 'Sem autenticação' },
  session_expired: { en: 'Session expired', pt: 'Sessão expirada' },
  forbidden: { en: 'Not allowed', pt: 'Sem permissão' },
  not_found: { en: 'Not found', pt: 'Não encontrado' },
  unknown_collection: { en: 'Unknown collection', pt: 'Coleção desconhecida' },
  invalid_credentials: { en: 'Invalid credentials', pt: 'Credenciais inválidas' },
  invalid_pairing: { en: 'Invalid pairing', pt: 'Pareamento inválido' },
  read_only_collection: { en: 'Read-only collection', pt: 'Coleção somente leitura' },
  rate_limited: { en: 'Too many requests', pt: 'Requisições demais' },
  payload_too_large: { en: 'Request too large', pt: 'Requisição grande demais' },
  quarantined: { en: 'Refused by a business rule', pt: 'Recusado por uma regra de negócio' },
  idempotency_conflict: { en: 'Idempotency-Key reused for another request', pt: 'Idempotency-Key reutilizada em outra requisição' },
  idempotency_in_progress: { en: 'Request with this Idempotency-Key still running', pt: 'Requisição com esta Idempotency-Key ainda em andamento' },
  precondition_failed: { en: 'The resource changed (stale If-Match)', pt: 'O recurso mudou (If-Match desatualizado)' },
  design_locked: { en: 'Design locked', pt: 'Projeto bloqueado' },
  portal_unavailable: { en: 'Design portal unavailable', pt: 'Portal de projetos indisponível' },
  business_rule: { en: 'Refused by a business rule', pt: 'Recusado por uma regra de negócio' },
  internal: { en: 'Server error', pt: 'Erro no servidor' },
  homologation_required: { en: 'A passing homologation run is required', pt: 'É preciso uma homologação aprovada' },
};

const keyReason = {
  unknown: { en: 'The API key is not valid. Check that it was copied whole, or ask the store administrator for a new one.', pt: 'A chave de API não é válida. Confira se foi copiada inteira ou peça uma nova ao administrador da loja.' },
  revoked: { en: 'This API key was revoked by the store administrator. Ask for a new key.', pt: 'Esta chave de API foi revogada pelo administrador da loja. Peça uma nova chave.' },
  expired: { en: 'This API key has expired. Ask the store administrator for a new key.', pt: 'Esta chave de API expirou. Peça uma nova chave ao administrador da loja.' },
} as const;

const pt = (messagePt: string) => ({ messagePt });

export const problems = {
  unauthorized: () =>
    new ApiProblem(401, 'unauthorized', 'Sign in first: send the token from POST /api/auth/login (or an API key) as "Authorization: Bearer <token>".', undefined, undefined,
      pt('Autentique-se primeiro: envie o token de POST /api/auth/login (ou uma chave de API) como "Authorization: Bearer <token>".')),
  sessionExpired: () => new ApiProblem(401, 'session_expired', 'Your session has expired. Sign in again.', undefined, undefined, pt('Sua sessão expirou. Entre novamente.')),
  apiKeyRefused: (why: keyof typeof keyReason) => new ApiProblem(401, 'unauthorized', keyReason[why].en, undefined, undefined, pt(keyReason[why].pt)),
  keyNotAllowedHere: (route: string) =>
    new ApiProblem(403, 'forbidden', `API keys may only call the integration API (/api/v1); ${route.slice(0, 200)} is for the Balcão app and its users.`, undefined, undefined,
      pt(`Chaves de API só podem chamar a API de integração (/api/v1); ${route.slice(0, 200)} é para o aplicativo Balcão e seus usuários.`)),
  missingScope: (scope: string) =>
    new ApiProblem(403, 'forbidden', `This API key lacks the scope "${scope}". Ask the store administrator for a key with it.`, undefined, undefined,
      pt(`Esta chave de API não tem o escopo "${scope}". Peça ao administrador da loja uma chave com ele.`)),
  forbidden: (what: string) => new ApiProblem(403, 'forbidden', `${what} Ask a store administrator for access if you need it.`),
  notFound: (what: string) => new ApiProblem(404, 'not_found', `${what} was not found. Check the id and try again.`, undefined, undefined, pt(`${what} não foi encontrado. Confira o identificador e tente de novo.`)),
  unknownCollection: (name: string) =>
    new ApiProblem(404, 'unknown_collection', `There is no collection "${name}". See /docs for the list.`, undefined, undefined, pt(`Não existe a coleção "${name}". Veja a lista em /docs.`)),
  readOnly: (name: string) =>
    new ApiProblem(403, 'read_only_collection', `Collection "${name}" is read-only for your role; changes come from the central office.`, undefined, undefined,
      pt(`A coleção "${name}" é somente leitura para o seu perfil; as alterações vêm da retaguarda.`)),
  rateLimited: (seconds: number, what: string) =>
    new ApiProblem(429, 'rate_limited', `Too many failed attempts (${what}). Wait ${seconds} s and try again.`, undefined, { 'retry-after': String(seconds) },
      pt(`Tentativas falhas demais (${what}). Aguarde ${seconds} s e tente de novo.`)),
  preconditionFailed: (what: string) =>
    new ApiProblem(412, 'precondition_failed', `${what} changed since you read it (If-Match does not match its ETag). Read it again, apply your change and send it with the new ETag.`, undefined, undefined,
      pt(`${what} mudou desde a sua leitura (If-Match não confere com o ETag). Leia de novo, aplique a alteração e envie com o novo ETag.`)),
  /** If-Match with weak tags only: never a match (RFC 9110 §13.1.1), whatever the version. */
  weakIfMatch: (what: string) =>
    new ApiProblem(412, 'precondition_failed', `${what}: If-Match names only weak entity tags (W/"…"), which never match (RFC 9110 §13.1.1 compares If-Match strongly). Send the ETag exactly as the resource answered it, without W/.`, undefined, undefined,
      pt(`${what}: o If-Match traz apenas ETags fracos (W/"…"), que nunca conferem (RFC 9110 §13.1.1 compara o If-Match de forma forte). Envie o ETag exatamente como o recurso o respondeu, sem W/.`)),
};

const itemErrorSchema = {
  type: 'object',
  properties: { pointer: { type: 'string' }, code: { type: 'string' }, detail: { type: 'string' } },
  required: ['pointer', 'detail'],
} as const;

/**
 * The problem body for route schemas, so the API document shows what a refusal looks like: RFC 9457
 * members plus the project's `error` object (code, English message, field).
 */
export const errorBodySchema = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json); `detail` in pt-BR or English per Accept-Language; `error` keeps the code and English message',
  properties: {
    type: { type: 'string', description: 'Stable URI of the problem type (a section of /docs/conventions)' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', description: 'Per field or per batch item: a JSON pointer into the request and what is wrong', items: itemErrorSchema },
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['type', 'title', 'status', 'detail', 'error'],
} as const;

/** `response` entries for the 4xx and 5xx answers of a route. */
export const errorResponses = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const;
