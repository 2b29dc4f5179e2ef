import type { ApiKeyInfo } from '../../../sync/schema/index.ts';

/**
 * Whether the key screen offers "Promover para produção" for a key (API-07: production keys only after
 * a passing homologation run), and if not, why. Only live sandbox keys are offered it. The server decides too (409 `homologation_required`);
 * this only keeps the button honest. `now` in epoch milliseconds.
 */
export type Promotion = { offered: false } | { offered: true; allowed: true } | { offered: true; allowed: false; why: 'noRun' | 'failed' };

export function environmentOf(key: Pick<ApiKeyInfo, 'environment'>): 'production' | 'sandbox' {
  // Older servers do not say: their keys are production keys.
  return key.environment ?? 'production';
}

export function promotionOf(key: Pick<ApiKeyInfo, 'environment' | 'revokedAt' | 'expiresAt' | 'lastHomologation'>, now: number): Promotion {
  if (environmentOf(key) !== 'sandbox') return { offered: false };
  // A revoked or expired key is done with: its status says so, no promotion is offered.
  if (key.revokedAt || (key.expiresAt && Date.parse(key.expiresAt) <= now)) return { offered: false };
  if (!key.lastHomologation) return { offered: true, allowed: false, why: 'noRun' };
  if (!key.lastHomologation.passed) return { offered: true, allowed: false, why: 'failed' };
  return { offered: true, allowed: true };
}
