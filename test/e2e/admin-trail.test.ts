import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { ADMIN_TRAIL_IDS } from '../../renderer/ui/admin/test-ids.ts';
import { deviceToday, launchDevice, type Device } from './support/browser.ts';
import { CentralServer } from './support/central-server.ts';
import { reportFailures } from './support/failure-report.ts';
import { RestClient } from './support/rest-client.ts';
import { login, openProducts, pairStation, productsCount, screenshot, waitForPending } from './support/station-ui.ts';
import { startUi } from './support/web-ui.ts';
import { cancelSale, openSale, openTill, pay, scan } from './pos-ui.ts';

/**
 * The admin trail screen (issue 15, POS-16, ADM-02): the admin sees, in the app, who did what —
 * a cancellation with the supervisor who authorised it, the till, and the administration changes —
 * in pt-BR with dates as dd/mm/aaaa, and in English after switching the language.
 */

const pix = 'loja1-paymentType-pix';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

describe('POS-16 ADM-02 the admin trail in the app', () => {
  const server = new CentralServer();
  const api = new RestClient(() => server.url);
  let ui: WebHost;
  let device: Device;
  let page: Page;

  beforeAll(async () => {
    await server.start();
    ui = await startUi(server);
    device = await launchDevice();
    page = await device.newPage();
  });

  reportFailures(() => ({ device, page }));

  afterAll(async () => {
    await device?.close();
    await ui?.close();
    await server.dispose();
  });

  const rows = (kind: string, action: string) => page.locator(`[data-testid="${ADMIN_TRAIL_IDS.row}"][data-kind="${kind}"][data-action="${action}"]`);

  it('POS-16 ADM-02 a supervised cancellation, the till and an administration change are listed with who did them, in the user\'s language', async () => {
    await page.goto(ui.url);
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    await login(page, 'admin', 'admin123');
    await openProducts(page);
    await expect.poll(() => productsCount(page), { timeout: 60_000 }).toBe(2000);
    await openTill(page);
    await openSale(page);
    await scan(page, String((await api.get('products', 'p-00001'))!.barcode));
    const sale = await pay(page, [{ paymentTypeId: pix }]);
    await cancelSale(page, sale.number, 'loja1-financialReason-cancelamento');
    await waitForPending(page, (n) => n === 0, 60_000);
    const token = (await api.login()).token;
    const saved = await fetch(`${server.url}/api/store/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stockPolicy: 'warn', sellerPolicy: 'remember', maxManualDiscountBp: 1500 }),
    });
    expect(saved.status).toBe(200);

    await page.getByTestId(ADMIN_TRAIL_IDS.nav).click();
    const cancellation = rows('supervisor', 'cancel');
    await cancellation.waitFor({ timeout: 30_000 });
    expect(await cancellation.getByTestId(ADMIN_TRAIL_IDS.supervisor).textContent()).toContain('Ana Admin');
    await rows('till', 'cashOpen').waitFor();
    const settings = rows('administration', 'store_settings_changed');
    await settings.waitFor();
    expect(await settings.textContent()).toContain('Regras do caixa alteradas');
    await rows('administration', 'station_paired').waitFor();
    // Dates in the user's language: dd/mm/aaaa in pt-BR, whatever the browser's language.
    const day = deviceToday();
    expect(await settings.getByTestId(ADMIN_TRAIL_IDS.at).textContent()).toContain(day.slice(0, 6));
    // The filter shows one kind only.
    await page.getByTestId(ADMIN_TRAIL_IDS.filter).selectOption('supervisor');
    await expect.poll(() => page.locator(`[data-testid="${ADMIN_TRAIL_IDS.row}"]:not([data-kind="supervisor"])`).count()).toBe(0);
    expect(await page.locator(`[data-testid="${ADMIN_TRAIL_IDS.row}"]`).count()).toBeGreaterThan(0);
    await page.getByTestId(ADMIN_TRAIL_IDS.filter).selectOption('');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await screenshot(page, `admin-trail-${size.width}x${size.height}`);
    }
    await page.setViewportSize(SIZES[0]!);

    await page.getByTestId(TEST_IDS.shell.userMenu).click();
    await page.getByTestId(TEST_IDS.shell.languageEn).click();
    await expect.poll(() => settings.textContent()).toContain('Counter rules changed');
    expect(await page.getByTestId(ADMIN_TRAIL_IDS.page).textContent()).toContain('Admin trail');
    await screenshot(page, 'admin-trail-en-1280x800');
  });
});
