import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import type { Device } from './support/browser.ts';
import { login, pairAndSync, pendingUploads, screenshot, waitForConnection, waitForPending } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';
import { eventually } from './support/eventually.ts';
import { openSale, pay, scan } from './pos-ui.ts';

/**
 * Issue 15: a station running in a browser keeps working with everything on the other side gone —
 * the central server and the web host that served the page. The app shell is cached by a service
 * worker (Workbox, build/vite.renderer.config.ts), so a reload opens the app from the cache, and the
 * cashier sells from the local database; the sale uploads once the server is back.
 */

describe('issue 15: the browser host reloads and sells offline', () => {
  let ui: WebHost;
  let device: Device;
  let page: Page;
  let barcode = '';

  const { server, api } = oneStation({
    logBrowserErrors: true,
    ready: async (station) => {
      ({ ui, device, page } = station);
      barcode = String((await api.get('products', 'p-00042'))!.barcode);
    },
  });

  it('POS-01 POS-09 with the server and the web host stopped, a reload opens the app from the cache and a sale is recorded, then uploaded once the server is back', async () => {
    await pairAndSync(page, { ui: ui.url, server: server.url });

    // The service worker has installed and controls the page: the shell is in its cache.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached).toContain('/index.html');
    expect(cached.some((path) => /^\/assets\/index-.*\.js$/.test(path))).toBe(true);
    // Nothing from the central server is cached: only the app's own files.
    expect(cached.every((path) => path === '/index.html' || path.startsWith('/assets/') || /^\/workbox-.*\.js$/.test(path))).toBe(true);

    const pageUrl = page.url();
    await server.stop();
    await ui.close();
    // Before: a reload here showed the browser's "connection refused" page.
    await page.reload();
    await page.getByTestId(TEST_IDS.shell.connectionBadge).or(page.getByTestId(TEST_IDS.login.form)).waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(pageUrl);
    if (await page.getByTestId(TEST_IDS.login.form).isVisible()) await login(page, 'caixa', 'caixa123');
    await waitForConnection(page, false);
    await screenshot(page, 'web-offline-reloaded');

    await openSale(page);
    await scan(page, barcode, 2);
    const sale = await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);
    expect(sale.number).toBeGreaterThan(0);
    // The header's count follows within its refresh interval (2 s).
    await waitForPending(page, (n) => n > 0);
    expect(await pendingUploads(page)).toBeGreaterThan(0);
    await screenshot(page, 'web-offline-sold');

    // The policy held: the cached app ran under the same CSP, with nothing refused.
    expect(device.log.filter((line) => /Content Security Policy|Refused to/.test(line))).toEqual([]);

    await server.start();
    await waitForConnection(page, true, 60_000);
    await waitForPending(page, (n) => n === 0, 60_000);
    const stored = await eventually(() => api.get('sales', sale.saleId), `sale ${sale.saleId} on the server`, 60_000);
    expect(stored).toMatchObject({ id: sale.saleId, number: sale.number, totalCents: sale.totalCents });
  });
});
