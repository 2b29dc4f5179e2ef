import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { lineAmountCents, scaleLabel } from '../../sync/rules/index.ts';
import { login, openProducts, pairStation, productsCount, screenshot, waitForPending } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';
import { eventually } from './support/eventually.ts';
import { chooseSeller, openSale, pay, scan, startExchange } from './pos-ui.ts';

/**
 * The rest of issue 15 at the counter, in Chromium against a real server: goods sold by weight
 * (POS-22) typed as "0,350*code" or read from a scale label, sold, uploaded and checked by the server,
 * and an exchange whose receipt lists the goods that came back.
 */

const ids = TEST_IDS.pos;
const INVALID = /quantidade inválida/i;
const pix = 'loja1-paymentType-pix';

describe('issue 15: store rules at the counter', () => {
  let ui: WebHost;
  let page: Page;
  /** p-00005 is sold by KG in the demo catalogue; its SKU becomes a scale code. */
  const cheese = { id: 'p-00005', barcode: '', priceCents: 0, stock: 0, scaleCode: '54321' };
  const unitProduct = { id: 'p-00043', barcode: '' };

  const { server, api } = oneStation({
    ready: async (station) => {
      ({ ui, page } = station);
      const doc = (await api.get('products', cheese.id))!;
      expect(doc.unit).toBe('KG');
      await api.put('products', { ...doc, sku: cheese.scaleCode });
      cheese.barcode = String(doc.barcode);
      cheese.priceCents = Number(doc.priceCents);
      cheese.stock = Number(doc.stock);
      unitProduct.barcode = String((await api.get('products', unitProduct.id))!.barcode);
    },
  });

  const scanField = () => page.getByTestId(ids.scan);
  const scanError = () => page.getByTestId(ids.scanError);
  const cheeseRow = () => page.locator(`[data-testid="${ids.cartRow}"][data-product-id="${cheese.id}"]`);
  const typeAndEnter = async (text: string) => {
    await scanField().fill(text);
    await scanField().press('Enter');
  };

  it('POS-22 a KG product takes "0,350*code" and a scale label in grams, never a silent 1 kg; the server agrees to the cent and takes the grams out of stock', async () => {
    await page.goto(ui.url);
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    await login(page, 'caixa', 'caixa123');
    await openProducts(page);
    await expect.poll(() => productsCount(page), { timeout: 60_000 }).toBe(2000);
    await waitForPending(page, (n) => n === 0);
    await openSale(page);

    // A bare code of a weighed product asks for the weight.
    await typeAndEnter(cheese.barcode);
    expect(await scanError().textContent()).toMatch(/vendido por kg/i);
    expect(await cheeseRow().count()).toBe(0);
    // A decimal quantity of a product sold by the unit is an invalid quantity.
    await typeAndEnter(`1,5*${unitProduct.barcode}`);
    expect(await scanError().textContent()).toMatch(INVALID);

    await scan(page, cheese.barcode, '0,350');
    expect(await cheeseRow().getAttribute('data-quantity')).toBe('350');
    expect(Number(await cheeseRow().getAttribute('data-total-cents'))).toBe(lineAmountCents(cheese.priceCents, 350, 'KG'));
    // The scale's label: product code and 250 g; a label with a wrong check digit is not read.
    const label = scaleLabel(cheese.scaleCode, 250);
    await typeAndEnter(`${label.slice(0, 12)}${(Number(label[12]) + 1) % 10}`);
    await scanError().waitFor({ state: 'attached' });
    await scan(page, label);
    expect(await cheeseRow().getAttribute('data-quantity')).toBe('600');
    const field = cheeseRow().getByTestId(ids.lineQuantity);
    expect(await field.inputValue()).toBe('0,600');
    await field.fill('1,25');
    await expect.poll(() => cheeseRow().getAttribute('data-quantity')).toBe('1250');
    await field.fill('1,2345');
    await page.getByText(INVALID).waitFor();
    expect(await cheeseRow().getAttribute('data-quantity')).toBe('1250');
    await field.fill('1,250');
    const expected = lineAmountCents(cheese.priceCents, 1250, 'KG');
    expect(Number(await cheeseRow().getAttribute('data-total-cents'))).toBe(expected);
    await screenshot(page, 'counter-weighed');
    const sale = await pay(page, [{ paymentTypeId: pix }]);
    expect(sale.totalCents).toBe(expected);

    await waitForPending(page, (n) => n === 0, 60_000);
    const stored = await eventually(() => api.get('sales', sale.saleId), `sale ${sale.saleId} on the server`, 60_000);
    expect(stored.items).toEqual([expect.objectContaining({ productId: cheese.id, quantity: 1250, unit: 'KG', totalCents: expected })]);
    await expect.poll(async () => Number((await api.get('products', cheese.id))!.stock), { timeout: 15_000 }).toBe(cheese.stock - 1250);

    // POS-11: 0,250 kg comes back; the credit is what was paid for it, and the receipt lists it.
    await startExchange(page, sale.number, { [cheese.id]: '0,250' });
    await scan(page, unitProduct.barcode);
    const exchange = await payAndKeepReceipt();
    const returned = page.getByTestId(ids.receiptReturnedItem);
    expect(await returned.count()).toBe(1);
    expect(await returned.getAttribute('data-product-id')).toBe(cheese.id);
    expect(await returned.getAttribute('data-quantity')).toBe('250');
    expect(await returned.textContent()).toMatch(/0,250 kg/);
    await screenshot(page, 'counter-exchange-receipt');
    await page.getByTestId(ids.receiptClose).click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await waitForPending(page, (n) => n === 0, 60_000);
    const storedExchange = await eventually(() => api.get('sales', exchange), `exchange ${exchange} on the server`, 60_000);
    expect((storedExchange.exchange as { returnedItems: unknown[] }).returnedItems).toEqual([expect.objectContaining({ productId: cheese.id, quantity: 250, unit: 'KG' })]);
    await expect.poll(async () => Number((await api.get('products', cheese.id))!.stock), { timeout: 15_000 }).toBe(cheese.stock - 1000);
  });

  /** F9, the remaining amount in PIX, finish; leaves the receipt open and returns the sale id. */
  async function payAndKeepReceipt(): Promise<string> {
    await chooseSeller(page);
    await page.keyboard.press('F9');
    const modal = page.locator('.mantine-Modal-content', { has: page.getByTestId(ids.payment.finish) });
    await modal.waitFor();
    await modal.locator(`[data-testid="${ids.payment.type}"][data-payment-type-id="${pix}"]`).click();
    await page.getByTestId(ids.payment.amount).press('Enter');
    await page.getByTestId(ids.payment.finish).click();
    const receipt = page.getByTestId(ids.receipt);
    await receipt.waitFor();
    return (await receipt.getAttribute('data-sale-id'))!;
  }
});
