import { API_RESOURCES, API_SCOPES, type ApiResource, type ApiScope } from '../../../sync/schema/index.ts';

/**
 * Scopes the server accepts but that grant nothing, so the key screen never offers them (issue 12:
 * sales from the stations are read-only for integrators — sync/server/auth/key-writes.ts refuses every
 * write to `sales` and `cashMovements`, the only collections behind the `sales` resource). A unit test
 * (test/unit/admin-scopes.test.ts) holds this list to the server's rule.
 */
export const UNGRANTABLE_SCOPES: readonly ApiScope[] = ['sales:write'];

/** What the create-key form offers: every scope but the ungrantable ones. */
export const GRANTABLE_SCOPES: readonly ApiScope[] = API_SCOPES.filter((scope) => !UNGRANTABLE_SCOPES.includes(scope));

/** The accesses the form offers for one resource, in the order read, write. */
export function grantableAccess(resource: ApiResource): ('read' | 'write')[] {
  return (['read', 'write'] as const).filter((access) => GRANTABLE_SCOPES.includes(`${resource}:${access}`));
}

export { API_RESOURCES };
