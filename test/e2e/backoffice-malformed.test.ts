import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { byId, integrationCaller, openBackOffice } from './support/backoffice-ui.ts';
import { oneStation } from './support/one-station.ts';
import { screenshot, waitForPending } from './support/station-ui.ts';

/**
 * A record keyed in beyond what the server's schema holds is never dropped silently (issue 11: a
 * breaker's fee of R$ 99,999,999,999.99 left the device as uploaded and never reached the server, with
 * no refusal shown): the server keeps it aside with its reason, and the screen says so.
 */
const ids = TEST_IDS.backoffice;
describe('a record the server\'s schema refuses, keyed in at the back office', () => {
  let ui: WebHost;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const { server, api } = oneStation({ logBrowserErrors: true, ready: (station) => void ({ ui, page } = station) });
  const call = integrationCaller(server, api);

  it('BO-02 a service whose fee is above the largest amount is shown as refused and kept on the server with its reason, never dropped', async () => {
    await openBackOffice(page, { ui, server, navId: ids.nav });
    await byId(page, ids.tab.services).click();
    await byId(page, ids.services.add).click();
    await byId(page, ids.services.code).fill(`HUGE-${stamp}`);
    await byId(page, ids.services.name).fill('Mensalidade enorme');
    await byId(page, ids.services.fee).fill('99999999999,99');
    await byId(page, ids.services.save).click();
    await page.locator(`[data-testid="${ids.refusals}"]`, { hasText: `HUGE-${stamp}` }).waitFor({ timeout: 60_000 });
    await waitForPending(page, (count) => count === 0, 60_000);
    await screenshot(page, 'backoffice-malformed-1280');
    expect((await api.listAll('backoffice')).some((doc) => doc.code === `HUGE-${stamp}`)).toBe(false);
    const errors = (await call('GET', '/api/sync/errors')) as unknown as { reason: string; message: string; document: { code?: string } }[];
    const kept = errors.find((entry) => entry.document.code === `HUGE-${stamp}`);
    expect(kept).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('monthlyFeeCents') });
  });
});
