import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { login, logout, pairAndSync, screenshot, waitForPending } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';
import { openPos, openSale, pay, scan } from './pos-ui.ts';

/**
 * POS screens in Chromium against a real server: the station shows its local database size and the
 * browser's quota, and the size follows the sales (POS-18); the F-keys reach the frequent actions and
 * a cart left open survives switching screens and a reload; an admin registers a station group on
 * the monitor and moves a station into it.
 */

const ids = TEST_IDS.pos;
const pix = 'loja1-paymentType-pix';

interface StorageReading {
  usage: number;
  quota: number;
  sales: number;
}

/** Opens the storage page afresh (it reads the estimate when it mounts) and reads what it shows. */
async function readStorage(page: Page): Promise<StorageReading> {
  await openPos(page, 'sale');
  await openPos(page, 'storage');
  const usage = page.getByTestId(ids.storage.usage);
  await usage.waitFor();
  const salesRow = page.locator(`[data-testid="${ids.storage.collection}"][data-collection="sales"]`);
  await salesRow.waitFor();
  return {
    usage: Number(await usage.getAttribute('data-bytes')),
    quota: Number(await page.getByTestId(ids.storage.quota).getAttribute('data-bytes')),
    sales: Number(await salesRow.getAttribute('data-count')),
  };
}

describe('issue 3: POS screens', () => {
  let ui: WebHost;
  let page: Page;
  const barcodes = new Map<string, string>();

  const { server, api } = oneStation({
    ready: async (station) => {
      ({ ui, page } = station);
      for (const product of await api.listAll('products', 1000)) barcodes.set(String(product.id), String(product.barcode));
    },
  });

  it('POS-18 the storage page shows the local database size and the quota, and the size grows as sales are recorded', async () => {
    await pairAndSync(page, { ui: ui.url, server: server.url });

    const before = await readStorage(page);
    // The catalogue alone takes room; the quota is what the browser grants the origin, far above it.
    expect(before.usage).toBeGreaterThan(0);
    expect(before.quota).toBeGreaterThan(before.usage);
    expect(before.sales).toBe(0);

    await openSale(page);
    for (let i = 1; i <= 8; i++) {
      for (let line = 0; line < 5; line++) await scan(page, barcodes.get(`p-${String(i * 10 + line).padStart(5, '0')}`)!, 1 + line);
      await pay(page, [{ paymentTypeId: pix }]);
    }

    // Chromium accounts IndexedDB writes to the origin's usage shortly after they commit.
    await expect.poll(async () => (await readStorage(page)).usage, { timeout: 30_000 }).toBeGreaterThan(before.usage);
    const after = await readStorage(page);
    expect(after.sales).toBe(8);
    expect(after.usage).toBeGreaterThan(before.usage);
    expect(after.quota).toBeGreaterThan(after.usage);
    await screenshot(page, 'pos-storage');
  });

  it('POS-09 POS-14 F-keys open cancel, exchange and send now, and a cart left open survives other screens and a reload', async () => {
    const active = (nav: keyof typeof ids.nav) => page.locator(`[data-testid="${ids.nav[nav]}"][data-active]`);
    const cartRows = () => page.locator(`[data-testid="${ids.cartRow}"]`).evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-product-id')}×${row.getAttribute('data-quantity')}`));
    await openSale(page);
    await scan(page, barcodes.get('p-00100')!, 2);
    await scan(page, barcodes.get('p-00101')!);
    expect(await cartRows()).toEqual(['p-00100×2', 'p-00101×1']);

    await page.keyboard.press('F3');
    await active('cancelSale').waitFor();
    await page.keyboard.press('F7');
    await active('exchange').waitFor();
    await page.keyboard.press('F1');
    await page.locator(`[data-testid="${ids.sale}"][data-ready="true"]`).waitFor();
    expect(await cartRows()).toEqual(['p-00100×2', 'p-00101×1']);

    // A reload (crash, power blip) keeps the cart too, for the cashier who signs in again (the
    // session token lived in the page's memory only); once sold, it is gone for good.
    await page.reload();
    await login(page, 'caixa', 'caixa123');
    await openSale(page);
    expect(await cartRows()).toEqual(['p-00100×2', 'p-00101×1']);

    // The sale waits while uploads fail; F10 ("Send now") sends it as soon as they can go.
    const uploads = `${server.url}/api/sync/**`;
    await page.route(uploads, (route) => route.abort('internetdisconnected'));
    const sale = await pay(page, [{ paymentTypeId: pix }]);
    expect(await cartRows()).toEqual([]);
    await waitForPending(page, (n) => n >= 1);
    await page.unroute(uploads);
    await page.keyboard.press('F10');
    await page.getByText('Tudo o que estava pendente foi enviado ao servidor.').first().waitFor({ timeout: 30_000 });
    expect(await waitForPending(page, (n) => n === 0)).toBe(0);
    expect(await api.get('sales', sale.saleId)).not.toBeNull();
    await page.reload();
    await login(page, 'caixa', 'caixa123');
    await openSale(page);
    expect(await cartRows()).toEqual([]);
  });

  it('POS-04 POS-08 an admin registers a station group on the monitor and moves a station into it', async () => {
    await logout(page);
    await login(page, 'admin', 'admin123');
    await openPos(page, 'monitor');
    const groupSelect = page.locator(`[data-testid="${ids.monitor.row}"][data-station-code="cx01"] [data-testid="${ids.monitor.group}"]`);
    await groupSelect.waitFor();

    await page.getByTestId(ids.monitor.newGroupName).fill('Grupo Sul');
    await page.getByTestId(ids.monitor.newGroupSave).click();
    const sul = 'loja1-stationGroup-grupo-sul';
    // The group is master data: it reaches this device by replication, then the select offers it.
    await groupSelect.locator(`option[value="${sul}"]`).waitFor({ state: 'attached', timeout: 30_000 });
    expect((await api.get('masterdata', sul))?.kind).toBe('stationGroup');

    // The same name again is refused with what to do, not registered twice.
    await page.getByTestId(ids.monitor.newGroupName).fill('Grupo  SUL');
    await page.getByTestId(ids.monitor.newGroupSave).click();
    await page.getByText('Já existe um grupo chamado «Grupo Sul»').first().waitFor();

    await groupSelect.selectOption(sul);
    const token = (await api.login()).token;
    await expect
      .poll(async () => {
        const stations = (await (await fetch(`${server.url}/api/stations`, { headers: { authorization: `Bearer ${token}` } })).json()) as { code: string; groupId: string | null }[];
        return stations.find((station) => station.code === 'cx01')?.groupId;
      }, { timeout: 30_000 })
      .toBe(sul);
    await expect.poll(async () => groupSelect.inputValue(), { timeout: 30_000 }).toBe(sul);
    await screenshot(page, 'pos-monitor-new-group');
  });
});
