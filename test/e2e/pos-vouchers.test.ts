import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { launchDevice, type Device } from './support/browser.ts';
import { CentralServer } from './support/central-server.ts';
import { reportFailures } from './support/failure-report.ts';
import { RestClient } from './support/rest-client.ts';
import { login, openProducts, pairStation, productsCount, screenshot, waitForPending } from './support/station-ui.ts';
import { startUi } from './support/web-ui.ts';
import { openSale, openTill, pay, scan, startExchange, chooseSeller } from './pos-ui.ts';

/**
 * Exchange vouchers across stations (POS-21), in Chromium against a real server: station 1 takes goods
 * back for something cheaper and prints a voucher for the credit left; station 2 takes that voucher as
 * a payment, and the server's balance shows it spent once.
 */

const ids = TEST_IDS.pos;
const cash = 'loja1-paymentType-dinheiro';
const pix = 'loja1-paymentType-pix';
const voucherType = 'loja1-paymentType-vale';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

describe('POS-21 exchange vouchers at two stations', () => {
  const server = new CentralServer();
  const api = new RestClient(() => server.url);
  let ui: WebHost;
  const devices: Device[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    await server.start();
    ui = await startUi(server);
    for (let i = 0; i < 2; i++) {
      const device = await launchDevice();
      devices.push(device);
      pages.push(await device.newPage());
    }
  });

  reportFailures(() => devices.map((device, index) => ({ device, page: pages[index] })));

  afterAll(async () => {
    for (const device of devices) await device.close();
    await ui?.close();
    await server.dispose();
  });

  async function shoot(page: Page, name: string): Promise<void> {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await screenshot(page, `${name}-${size.width}x${size.height}`);
    }
    await page.setViewportSize(SIZES[0]!);
  }

  it('POS-21 a voucher issued by an exchange at station 1 pays a sale at station 2, and its receipt shows it', async () => {
    for (const [index, code] of (['cx01', 'cx02'] as const).entries()) {
      const page = pages[index]!;
      await page.goto(ui.url);
      await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: code, pairingCode: `${code}-pair` });
      await login(page, 'caixa', 'caixa123');
      await openProducts(page);
      await expect.poll(() => productsCount(page), { timeout: 60_000 }).toBe(2000);
      await openTill(page);
      await openSale(page);
    }
    const [one, two] = pages as [Page, Page];
    // Two of the dearer product come back for one of the cheaper: the difference is the voucher.
    const [dear, cheap] = (await Promise.all(['p-00001', 'p-00002'].map(async (id) => (await api.get('products', id))!))).sort((a, b) => Number(b.priceCents) - Number(a.priceCents));
    expect(Number(dear!.priceCents)).toBeGreaterThan(Number(cheap!.priceCents));

    await scan(one, String(dear!.barcode), 2);
    const original = await pay(one, [{ paymentTypeId: cash }]);
    await startExchange(one, original.number, { [String(dear!.id)]: 2 });
    await scan(one, String(cheap!.barcode));
    await chooseSeller(one);
    await one.keyboard.press('F9');
    await one.getByTestId(ids.payment.finish).click();
    const voucher = one.getByTestId(ids.receiptVoucher);
    await voucher.waitFor();
    const number = (await voucher.getAttribute('data-number'))!;
    const value = Number(await voucher.getAttribute('data-cents'));
    expect(number).toBe(`CX01-${original.number + 1}`);
    expect(value).toBe(original.totalCents - Number(cheap!.priceCents));
    // The exchange receipt lists what came back and prints the voucher's number and value.
    await expect.poll(() => one.getByTestId(ids.receiptReturnedItem).count()).toBe(1);
    expect(await voucher.textContent()).toContain(number);
    await shoot(one, 'pos-voucher-exchange-receipt');
    await one.getByTestId(ids.receiptClose).click();
    await waitForPending(one, (n) => n === 0, 60_000);

    // Station 2 learns the voucher from the store's master data, then spends part of it.
    await scan(two, String(cheap!.barcode));
    await chooseSeller(two);
    await two.keyboard.press('F9');
    await two.locator(`[data-testid="${ids.payment.type}"][data-payment-type-id="${voucherType}"]`).click();
    const field = two.getByTestId(ids.payment.voucherNumber);
    await expect
      .poll(
        async () => {
          await field.fill(number.toLowerCase());
          await two.getByTestId(ids.payment.voucherFind).click();
          return field.getAttribute('data-balance-cents');
        },
        { timeout: 30_000 },
      )
      .toBe(String(value));
    const spent = Math.min(value, Number(cheap!.priceCents));
    expect(Number(await two.getByTestId(ids.payment.amount).inputValue().then((text) => text.replace(/\D/g, '')))).toBe(spent);
    await two.getByTestId(ids.payment.amount).press('Enter');
    if (spent < Number(cheap!.priceCents)) {
      await two.locator(`[data-testid="${ids.payment.type}"][data-payment-type-id="${pix}"]`).click();
      await two.getByTestId(ids.payment.amount).press('Enter');
    }
    await shoot(two, 'pos-voucher-payment');
    await two.getByTestId(ids.payment.finish).click();
    const receipt = two.getByTestId(ids.receipt);
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain(number);
    await shoot(two, 'pos-voucher-spent-receipt');
    await two.getByTestId(ids.receiptClose).click();

    // Online, the server confirmed the spend before station 2 kept the sale: its balance is already lower.
    const token = (await api.login()).token;
    const answer = await fetch(`${server.url}/api/pos/vouchers/${number}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await answer.json()).toMatchObject({ number, issuedCents: value, balanceCents: value - spent });
  });
});
