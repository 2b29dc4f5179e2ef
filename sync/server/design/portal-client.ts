import { compileBodyValidator } from '../validation/validator.ts';
import type { PortalAccount } from './accounts.ts';
import { portalAnswerSchemas } from './portal-schemas.ts';
import { ACCOUNT_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.ts';

/** The portal answered, but not with success: 4xx are the request's fault and are not retried. */
export class PortalError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

const TIMEOUT_MS = 10_000;

/**
 * Signed calls from the store system to the design portal (direction B). A network failure throws
 * the fetch error (retryable); an answer other than 2xx throws PortalError.
 */
export async function callPortal<T>(
  account: Pick<PortalAccount, 'portalUrl' | 'accountId' | 'signingSecret'>,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  answer?: keyof typeof portalAnswerSchemas,
): Promise<T> {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const response = await fetch(account.portalUrl + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      [ACCOUNT_HEADER]: account.accountId,
      [SIGNATURE_HEADER]: signatureHeader(account.signingSecret, raw),
    },
    body: body === undefined ? undefined : raw,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep the text */
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? (typeof parsed === 'string' ? parsed : `HTTP ${response.status}`);
    throw new PortalError(response.status, `The design portal answered ${response.status} to ${method} ${path}: ${message}`, parsed);
  }
  if (answer) {
    const validate = answerValidators[answer];
    // A malformed answer is the portal's to fix; asking again would get the same (not retried: 2xx).
    if (!validate(parsed)) {
      const error = validate.errors![0]!;
      throw new PortalError(response.status, `The design portal answered ${method} ${path} with data the store system cannot keep: ${error.instancePath || 'the answer'} ${error.message ?? 'is invalid'}. Ask the design software's support to check it.`, parsed);
    }
  }
  return parsed as T;
}

const answerValidators = Object.fromEntries(Object.entries(portalAnswerSchemas).map(([name, schema]) => [name, compileBodyValidator(schema)])) as Record<
  keyof typeof portalAnswerSchemas,
  ReturnType<typeof compileBodyValidator>
>;

export function isRetryable(error: unknown): boolean {
  return error instanceof PortalError ? error.retryable : true;
}

/** Portal endpoints (direction B of the integration). */
export const portal = {
  verifyUser: (account: PortalAccount, login: string, password: string) =>
    callPortal<{ designUserId: string; name: string; credentialVersion: number }>(account, 'POST', '/users/verify', { login, password }, 'verifyUser'),
  createProject: (account: PortalAccount, body: { storeProjectId: string; name: string; customer: { id: string; name: string; taxId: string } }) =>
    callPortal<{ designProjectId: string }>(account, 'POST', '/projects', body, 'createProject'),
  putCustomer: (account: PortalAccount, id: string, body: { name: string; taxId: string; email?: string; phone?: string }) =>
    callPortal<unknown>(account, 'PUT', `/customers/${encodeURIComponent(id)}`, body),
  createEnvironment: (account: PortalAccount, designProjectId: string, body: { storeEnvironmentId: string; name: string; copyOf?: string; blank?: true }) =>
    callPortal<{ designEnvironmentId: string }>(account, 'POST', `/projects/${encodeURIComponent(designProjectId)}/environments`, body, 'createEnvironment'),
  getProject: (account: PortalAccount, designProjectId: string) =>
    callPortal<PortalProject>(account, 'GET', `/projects/${encodeURIComponent(designProjectId)}`, undefined, 'getProject'),
};

export interface PortalProject {
  name: string;
  environments: {
    designEnvironmentId: string;
    name: string;
    latestSave?: { designId: string; designRevision: number; optionName: string; savedAt: string; items: { code: string; description: string; quantity: number; listPriceCents: number; supplier?: string }[] };
  }[];
}
