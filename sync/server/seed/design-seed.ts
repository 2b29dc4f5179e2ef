import type { Database } from '../db/database.ts';
import { registerPortalAccount, saveDesignSettings } from '../design/accounts.ts';

/**
 * The demo store's design-portal account, pointing at the simulator's default address
 * (`npm run design-sim -- serve` uses exactly these values), and its commercial rules.
 */
export const DEMO_DESIGN_PORTAL = {
  storeCode: 'loja1',
  accountId: 'demo-portal-loja1',
  signingSecret: 'demo-design-secret-loja1',
  portalUrl: 'http://localhost:4020',
  markupBp: 3_000,
  discountBp: 0,
} as const;

export async function seedDesign(db: Database, storeCode: string, storeTaxId: string): Promise<void> {
  if (storeCode !== DEMO_DESIGN_PORTAL.storeCode) return;
  const { accountId, signingSecret, portalUrl, markupBp, discountBp } = DEMO_DESIGN_PORTAL;
  await registerPortalAccount(db, storeCode, { accountId, signingSecret, portalUrl, storeTaxId, registeredBy: `${storeCode}-admin` });
  await saveDesignSettings(db, storeCode, { markupBp, discountBp });
}
