import type { ApiKeyInfo, HomologationRun } from '../../../sync/schema/index.ts';

/**
 * Whether the key screen offers "Promover para produção" for a key (API-07: production keys only after
 * a passing homologation run), and if not, why. Only live sandbox keys are offered it. The server decides too (409 `homologation_required`);
 * this only keeps the button honest. `now` in epoch milliseconds.
 */
export type Promotion = { offered: false } | { offered: true; allowed: true } | { offered: true; allowed: false; why: PromotionRefusal };
/** Why promotion is not allowed yet: no run, a failed last run, or a production key promoted from it still live. */
export type PromotionRefusal = 'noRun' | 'failed' | 'promoted';

export function environmentOf(key: Pick<ApiKeyInfo, 'environment'>): 'production' | 'sandbox' {
  // Older servers do not say: their keys are production keys.
  return key.environment ?? 'production';
}

export function promotionOf(key: Pick<ApiKeyInfo, 'environment' | 'revokedAt' | 'expiresAt' | 'lastHomologation' | 'promotedTo'>, now: number): Promotion {
  if (environmentOf(key) !== 'sandbox') return { offered: false };
  // A revoked or expired key is done with: its status says so, no promotion is offered.
  if (key.revokedAt || (key.expiresAt && Date.parse(key.expiresAt) <= now)) return { offered: false };
  // The server refuses a second production key while the first lives: say so before the admin tries.
  if (key.promotedTo) return { offered: true, allowed: false, why: 'promoted' };
  if (!key.lastHomologation) return { offered: true, allowed: false, why: 'noRun' };
  if (!key.lastHomologation.passed) return { offered: true, allowed: false, why: 'failed' };
  return { offered: true, allowed: true };
}

/**
 * How many steps of a run did not pass: those reported failed and those the server could not corroborate
 * (a run can be refused for the latter alone), each counted once.
 */
export function failedStepCount(run: Pick<HomologationRun, 'steps' | 'uncorroborated'>): number {
  return new Set([...run.steps.filter((step) => !step.passed).map((step) => step.step), ...run.uncorroborated]).size;
}
