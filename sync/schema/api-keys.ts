/**
 * Integrator API keys (API-08): the resources a key may be scoped to, and the wire shapes of the
 * admin routes (`/api/api-keys`). Shared by the server and the admin screen.
 */
import type { ApiKeyEnvironment, HomologationRun } from './sandbox.ts';
export const API_RESOURCES = ['products', 'stock', 'orders', 'sales', 'masterdata', 'billing', 'webhooks'] as const;
export type ApiResource = (typeof API_RESOURCES)[number];
export type ApiAccess = 'read' | 'write';
/** `products:read`, `stock:write`, … — write does not imply read: grant both when both are needed. */
export type ApiScope = `${ApiResource}:${ApiAccess}`;
export const API_SCOPES: readonly ApiScope[] = API_RESOURCES.flatMap((resource) => [`${resource}:read`, `${resource}:write`] as const);

/** Requests per minute a key may make unless its creator sets another limit. */
export const DEFAULT_KEY_RATE_LIMIT = 600;

/** A key as listed: never its secret (only the first characters, to recognise it). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The key's first characters (`bk.abcd1234.xY…`), enough to tell keys apart, useless to call with. */
  prefix: string;
  scopes: ApiScope[];
  /** Requests per minute. */
  rateLimitPerMinute: number;
  createdAt: string;
  /** The user id of the admin who made it. */
  createdBy: string;
  /** That admin's name, for the screen (the list sends it; null when unknown; absent before stop 21). */
  createdByName?: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Absent on older servers: read as 'production'. Sandbox keys reach only the sandbox store (API-06). */
  environment?: ApiKeyEnvironment;
  /** The key's last conformance run (API-07), or null if it never ran one. */
  lastHomologation?: HomologationRun | null;
  /**
   * A sandbox key's live production key (API-07): the id of the unrevoked key promoted from it, or null.
   * While it lives, the sandbox key is not promoted again (409 homologation_required). Absent on older servers.
   */
  promotedTo?: string | null;
}

/** `POST /api/api-keys` */
export interface CreateApiKeyRequest {
  name: string;
  scopes: ApiScope[];
  /** ISO-8601; absent = never expires (revoke it when the integrator leaves). */
  expiresAt?: string;
  rateLimitPerMinute?: number;
  /**
   * API-06/07: the admin makes sandbox keys only (the default; the store's sandbox is created on the
   * first). `production` is answered 409 `homologation_required`: a production key is made by promoting
   * a sandbox key whose last homologation run passed (`POST /api/api-keys/:id/promote`).
   */
  environment?: ApiKeyEnvironment;
}

/** The answer of `POST /api/api-keys`: the only time the secret is shown. */
export interface CreatedApiKey extends ApiKeyInfo {
  secret: string;
}
