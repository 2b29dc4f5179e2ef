import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { API_KEYS_IDS } from '../../renderer/ui/admin/test-ids.ts';
import { oneStation } from './support/one-station.ts';
import { confirmAction, login, pairStation, screenshot, waitForConnection } from './support/station-ui.ts';

/**
 * Issue 12, API-08: the store administrator makes an integrator's key in the app, sees its secret
 * once, the integrator calls with it, and the administrator revokes it — in Chromium, real server.
 */
describe('API keys screen', () => {
  let ui: WebHost;
  let page: Page;
  const { server } = oneStation({ logBrowserErrors: true, ready: (station) => void ({ ui, page } = station) });
  const byId = (id: string) => page.getByTestId(id);
  const asIntegrator = async (secret: string) => (await fetch(`${server.url}/api/v1/products?since=0&limit=1`, { headers: { authorization: `Bearer ${secret}` } })).status;

  it('API-08 the admin creates a scoped key shown once, the integrator calls with it, and a revoked key is refused', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui.url);
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    await login(page, 'admin', 'admin123');
    await waitForConnection(page, true);

    await byId(API_KEYS_IDS.nav).click();
    await byId(API_KEYS_IDS.page).waitFor();
    await byId(API_KEYS_IDS.create).click();
    // Nothing chosen: the form says what is missing and sends nothing.
    await byId(API_KEYS_IDS.name).fill('ERP da loja');
    await byId(API_KEYS_IDS.save).click();
    await byId(API_KEYS_IDS.formError).waitFor();
    await byId(`${API_KEYS_IDS.scope}-products-read`).check();
    await byId(`${API_KEYS_IDS.scope}-masterdata-write`).check();
    // The expiry is the app's own dd/mm/aaaa picker, never the browser's native (mm/dd/yyyy) date field.
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    await byId(API_KEYS_IDS.expires).click();
    await page.locator('.mantine-Popover-dropdown').first().waitFor();
    await screenshot(page, 'api-keys-form-1280');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'api-keys-form-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await byId(API_KEYS_IDS.expires).click();
    await byId(API_KEYS_IDS.save).click();

    const secret = (await byId(API_KEYS_IDS.secret).textContent())?.trim() ?? '';
    // A production key (bk.) on a server without the sandbox; a sandbox key (bk_test.) once issue 13's rule holds (the admin makes sandbox keys only).
    expect(secret).toMatch(/^bk(_test)?\.[0-9a-f]{16}\./);
    await screenshot(page, 'api-keys-created-1280');
    await byId(API_KEYS_IDS.done).click();
    await byId(API_KEYS_IDS.secret).waitFor({ state: 'detached' });

    const row = page.locator(`[data-testid="${API_KEYS_IDS.row}"]`, { hasText: 'ERP da loja' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Produtos: Leitura');
    expect(await row.textContent()).toContain('Cadastros: Escrita');
    expect(await row.getByTestId(API_KEYS_IDS.status).textContent()).toBe('Ativa');
    // Who made it, by name (not the user id).
    expect(await row.getByTestId(API_KEYS_IDS.createdBy).textContent()).toBe('Criada por Ana Admin');
    // Shown once: the page no longer holds the secret anywhere.
    expect(await page.content()).not.toContain(secret.slice(-30));

    expect(await asIntegrator(secret)).toBe(200);

    await row.getByTestId(API_KEYS_IDS.revoke).click();
    await confirmAction(page);
    await page.locator(`[data-testid="${API_KEYS_IDS.row}"]`, { hasText: 'ERP da loja' }).getByText('Revogada').waitFor();
    expect(await asIntegrator(secret)).toBe(401);
  });
});
