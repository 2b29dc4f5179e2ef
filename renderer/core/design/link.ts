/**
 * The designer's link to their design-software user (DES-02) and the store's portal account (DES-01),
 * through the server's REST routes. The link state is cached per user so the green mark (or "link
 * again") still shows offline.
 */
import { normalizeTaxId } from '../../../sync/rules/index.ts';
import { CoreError } from '../errors.ts';
import type { KeyValueStorage } from '../offline-login.ts';
import { DesignError, statusOf } from './errors.ts';

export type Request = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => Promise<T>;

export interface LinkState {
  status: 'unlinked' | 'linked' | 'relink';
  designUserName?: string;
  /** Device time of the server's answer this state comes from. */
  checkedAt: string;
  /** True when the server could not be asked and this is the last known state. */
  cached: boolean;
}

export interface PortalAccount {
  accountId: string;
  storeTaxId: string;
  portalUrl: string;
  registeredAt: string;
}

export interface PortalRegistration {
  accountId: string;
  signingSecret: string;
}

const linkKey = (userId: string) => `balcao.design.link.${userId}`;

function cachedLink(storage: KeyValueStorage, userId: string): LinkState | null {
  try {
    const raw = storage.getItem(linkKey(userId));
    return raw ? { ...(JSON.parse(raw) as LinkState), cached: true } : null;
  } catch {
    return null;
  }
}

function remember(storage: KeyValueStorage, userId: string, state: LinkState): LinkState {
  storage.setItem(linkKey(userId), JSON.stringify({ ...state, cached: false }));
  return state;
}

/** GET /api/design/link; offline (or on a server error) the last known state, else unlinked. */
export async function readLink(request: Request, storage: KeyValueStorage, userId: string, now = () => new Date()): Promise<LinkState> {
  try {
    const answer = await request<{ status: LinkState['status']; designUserName?: string }>('GET', '/api/design/link');
    return remember(storage, userId, { status: answer.status, ...(answer.designUserName ? { designUserName: answer.designUserName } : {}), checkedAt: now().toISOString(), cached: false });
  } catch (error) {
    if (error instanceof CoreError && (error.code === 'server_unreachable' || error.code === 'server_error')) {
      return cachedLink(storage, userId) ?? { status: 'unlinked', checkedAt: now().toISOString(), cached: true };
    }
    throw error;
  }
}

export function lastKnownLink(storage: KeyValueStorage, userId: string): LinkState | null {
  return cachedLink(storage, userId);
}

/** POST /api/design/link: the design software checks login and password; a wrong pair is the user's to fix. */
export async function linkDesignUser(request: Request, storage: KeyValueStorage, userId: string, login: string, password: string, now = () => new Date()): Promise<LinkState> {
  if (!login.trim() || !password) throw new DesignError('wrong_design_credentials');
  try {
    const answer = await request<{ status: 'linked'; designUserName: string }>('POST', '/api/design/link', { login: login.trim(), password });
    return remember(storage, userId, { status: 'linked', designUserName: answer.designUserName, checkedAt: now().toISOString(), cached: false });
  } catch (error) {
    const status = statusOf(error);
    if (status === 400 || status === 401 || status === 422) throw new DesignError('wrong_design_credentials');
    throw error;
  }
}

/** GET /api/design/portal-account: null when the store has none yet. */
export async function readPortalAccount(request: Request): Promise<PortalAccount | null> {
  try {
    return await request<PortalAccount>('GET', '/api/design/portal-account');
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

export async function registerPortalAccount(request: Request, input: { storeTaxId: string; accountId: string; portalUrl: string }): Promise<PortalRegistration> {
  return request<PortalRegistration>('PUT', '/api/design/portal-account', {
    // Letters stay: the alphanumeric CNPJ (July 2026).
    storeTaxId: normalizeTaxId(input.storeTaxId) ?? input.storeTaxId.trim(),
    accountId: input.accountId.trim(),
    portalUrl: input.portalUrl.trim().replace(/\/+$/, ''),
  });
}

/** GET /api/design/environments/:id/open-url: the deep link that opens the design software (DES-10). */
export async function openUrl(request: Request, environmentId: string, versionNumber?: number): Promise<string> {
  const query = versionNumber === undefined ? '' : `?version=${versionNumber}`;
  const answer = await request<{ url: string }>('GET', `/api/design/environments/${encodeURIComponent(environmentId)}/open-url${query}`);
  return answer.url;
}
