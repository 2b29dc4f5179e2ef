import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { launchDevice, type Device } from './support/browser.ts';
import { CentralServer } from './support/central-server.ts';
import { reportFailures } from './support/failure-report.ts';
import { RestClient } from './support/rest-client.ts';
import { login, openProducts, pairStation, productsCount, waitForPending } from './support/station-ui.ts';
import { startUi } from './support/web-ui.ts';
import { chooseSeller, openSale, openTill, pay, scan } from './pos-ui.ts';

/**
 * The store's seller setting (issue 15), both ways, in Chromium: "ask" leaves the seller empty on every
 * new sale (commission depends on it, so nothing is filled in silently); "remember" preselects the last
 * seller this station used, also after a reload; back to "ask", the preselection stops.
 */

const ids = TEST_IDS.pos;
const pix = 'loja1-paymentType-pix';

describe('POS-09 the seller setting: ask every sale, or remember the last one', () => {
  const server = new CentralServer();
  const api = new RestClient(() => server.url);
  let ui: WebHost;
  let device: Device;
  let page: Page;
  let barcode = '';

  beforeAll(async () => {
    await server.start();
    ui = await startUi(server);
    device = await launchDevice();
    page = await device.newPage();
    barcode = String((await api.get('products', 'p-00001'))!.barcode);
  });

  reportFailures(() => ({ device, page }));

  afterAll(async () => {
    await device?.close();
    await ui?.close();
    await server.dispose();
  });

  async function setSellerPolicy(sellerPolicy: 'ask' | 'remember'): Promise<void> {
    const token = (await api.login()).token;
    const answer = await fetch(`${server.url}/api/store/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stockPolicy: 'warn', sellerPolicy, maxManualDiscountBp: 1000 }),
    });
    expect(answer.status).toBe(200);
    // The setting reaches the station through master data.
    await page.locator(`[data-testid="${ids.sale}"][data-seller-policy="${sellerPolicy}"]`).waitFor({ timeout: 30_000 });
  }

  /** Sells one item with `sellerId` chosen by hand; returns the seller the next sale starts with. */
  async function sellWith(sellerId: string): Promise<string> {
    await scan(page, barcode);
    await chooseSeller(page, sellerId);
    await pay(page, [{ paymentTypeId: pix }]);
    return page.getByTestId(ids.seller).inputValue();
  }

  it('POS-09 "ask" starts every sale without a seller; "remember" keeps the last one, across a reload; back to "ask" it stops', async () => {
    await page.goto(ui.url);
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    await login(page, 'caixa', 'caixa123');
    await openProducts(page);
    await expect.poll(() => productsCount(page), { timeout: 60_000 }).toBe(2000);
    await openTill(page);
    await openSale(page);
    await page.locator(`[data-testid="${ids.sale}"][data-seller-policy="ask"]`).waitFor();

    expect(await page.getByTestId(ids.seller).inputValue()).toBe('');
    expect(await sellWith('loja1-seller-v02')).toBe('');

    await setSellerPolicy('remember');
    expect(await sellWith('loja1-seller-v03')).toBe('loja1-seller-v03');
    // The next sale keeps it without choosing; another choice becomes the one remembered.
    await scan(page, barcode);
    await pay(page, [{ paymentTypeId: pix }]);
    expect(await page.getByTestId(ids.seller).inputValue()).toBe('loja1-seller-v03');
    expect(await sellWith('loja1-seller-v01')).toBe('loja1-seller-v01');
    await page.reload();
    // The session token lives in the page's memory only: the cashier signs in again.
    await login(page, 'caixa', 'caixa123');
    await openSale(page);
    await page.locator(`[data-testid="${ids.sale}"][data-seller-policy="remember"]`).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId(ids.seller).inputValue()).toBe('loja1-seller-v01');

    await setSellerPolicy('ask');
    expect(await sellWith('loja1-seller-v02')).toBe('');
    // Each sale was recorded with the seller it showed.
    await waitForPending(page, (n) => n === 0, 60_000);
    const sales = (await api.listAll('sales', 100)).sort((a, b) => Number(a.number) - Number(b.number));
    expect(sales.map((sale) => sale.sellerId)).toEqual(['loja1-seller-v02', 'loja1-seller-v03', 'loja1-seller-v03', 'loja1-seller-v01', 'loja1-seller-v02']);
  });
});
