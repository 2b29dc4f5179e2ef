import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { pairAndSync, screenshot, waitForGone } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';
import { eventually } from './support/eventually.ts';
import { chooseSeller, openPos, openSale, openTill, pay, scan } from './pos-ui.ts';

/**
 * A day at the counter without rough edges (issue 15), in Chromium against a real server: wrong
 * quantities say so wherever they are typed, the seller is asked for, selling past the known stock is
 * said, the payment keys work after F9, interest shows as "total com juros" with parts that add up,
 * cancelling asks first, a receipt can be printed again, and a sale an integrator writes with this
 * station's id does not move the station's running number.
 */

const ids = TEST_IDS.pos;
const INVALID = /quantidade inválida/i;
const credit = 'loja1-paymentType-credito';
const sixWithInterest = 'loja1-paymentCondition-6x';

describe('issue 15: the counter', () => {
  let ui: WebHost;
  let page: Page;
  const product = { id: 'p-00042', barcode: '', stock: 0 };
  const other = { id: 'p-00043', barcode: '' };

  const { server, api } = oneStation({
    ready: async (station) => {
      ({ ui, page } = station);
      const doc = (await api.get('products', product.id))!;
      product.barcode = String(doc.barcode);
      product.stock = Number(doc.stock);
      other.barcode = String((await api.get('products', other.id))!.barcode);
    },
  });

  const scanField = () => page.getByTestId(ids.scan);
  const scanError = () => page.getByTestId(ids.scanError);
  const rows = () => page.getByTestId(ids.cartRow);
  const typeAndEnter = async (text: string) => {
    await scanField().fill(text);
    await scanField().press('Enter');
  };

  it('POS-09 "0*", "-2*" and "99999999*" before a code say "quantidade inválida" and add nothing; the message goes with the next good scan', async () => {
    await pairAndSync(page, { ui: ui.url, server: server.url });
    // The F-key tests below go straight to the payment step: the till is open (POS-19).
    await openTill(page);
    await openSale(page);

    for (const prefix of ['0*', '-2*', '99999999*']) {
      await typeAndEnter(`${prefix}${product.barcode}`);
      expect(await scanError().textContent(), prefix).toMatch(INVALID);
      expect(await rows().count(), prefix).toBe(0);
    }
    await screenshot(page, 'counter-invalid-quantity');
    await scan(page, product.barcode, 2);
    await expect.poll(() => scanError().count()).toBe(0);
    expect(await rows().first().getAttribute('data-quantity')).toBe('2');

    // The quantity field of a line: the same rule, the same words, and the message goes once fixed.
    const quantity = page.getByTestId(ids.lineQuantity).first();
    await quantity.fill('0');
    await page.getByText(INVALID).waitFor();
    expect(await rows().first().getAttribute('data-quantity')).toBe('2');
    await quantity.fill('-3');
    await page.getByText(INVALID).waitFor();
    await quantity.fill('3');
    await expect.poll(() => page.getByText(INVALID).count()).toBe(0);
    expect(await rows().first().getAttribute('data-quantity')).toBe('3');

    // A "not found" from a typo goes once the cart changes (a later successful edit).
    await typeAndEnter('no-such-code-42');
    await scanError().waitFor({ state: 'attached' });
    await quantity.fill('1');
    await expect.poll(() => scanError().count()).toBe(0);
  });

  it('POS-09 POS-03 the seller is asked for, not preselected; selling past the known stock is shown', async () => {
    expect(await page.getByTestId(ids.seller).inputValue()).toBe('');
    await page.keyboard.press('F9');
    await page.getByText(/escolha o vendedor antes de pagar/i).waitFor();
    expect(await page.getByTestId(ids.payment.finish).count()).toBe(0);
    await chooseSeller(page);
    await expect.poll(() => page.getByText(/escolha o vendedor antes de pagar/i).count()).toBe(0);

    await page.getByTestId(ids.lineQuantity).first().fill(String(product.stock + 5));
    const warning = page.getByTestId(ids.stockWarning);
    await warning.waitFor();
    expect(Number(await page.getByTestId(ids.lineStock).first().getAttribute('data-stock'))).toBe(product.stock);
    await screenshot(page, 'counter-stock-warning');
    await page.getByTestId(ids.lineQuantity).first().fill('1');
    await waitForGone(warning);
  });

  it('POS-06 after F9 the number keys choose the payment type; 6x with interest shows "total com juros" and the receipt parts add up', async () => {
    await page.keyboard.press('F9');
    const modal = page.locator('.mantine-Modal-content', { has: page.getByTestId(ids.payment.finish) });
    await modal.waitFor();
    const typeIds = await modal.getByTestId(ids.payment.type).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-payment-type-id')));
    const key = String(typeIds.indexOf(credit) + 1);
    await page.keyboard.press(key);
    await modal.locator(`[data-testid="${ids.payment.type}"][data-payment-type-id="${credit}"][data-selected="true"]`).waitFor();
    await page.getByTestId(ids.payment.condition).selectOption(sixWithInterest);
    await page.getByTestId(ids.payment.amount).press('Enter');
    const withInterest = page.getByTestId(ids.payment.totalWithInterest);
    await withInterest.waitFor();
    const due = Number(await page.getByTestId(ids.total).getAttribute('data-cents'));
    const totalWithInterest = Number(await withInterest.getAttribute('data-cents'));
    expect(totalWithInterest).toBeGreaterThan(due);
    await screenshot(page, 'counter-total-with-interest');
    // Nothing left: Enter finishes.
    await page.keyboard.press('Enter');
    const receipt = page.getByTestId(ids.receipt);
    await receipt.waitFor();
    expect(Number(await page.getByTestId(ids.receiptTotalWithInterest).getAttribute('data-cents'))).toBe(totalWithInterest);
    const parts = (await page.getByTestId(ids.receiptInstallments).textContent())!;
    const sum = [...parts.matchAll(/(\d+)x R\$\s?([\d.]+),(\d{2})/g)].reduce((total, m) => total + Number(m[1]) * (Number(m[2]!.replace(/\./g, '')) * 100 + Number(m[3])), 0);
    expect(sum).toBe(totalWithInterest);
    await screenshot(page, 'counter-receipt-interest');
    await page.getByTestId(ids.receiptClose).click();
  });

  it('POS-10 POS-23 cancelling asks first ("Voltar" leaves the sale as it was); the station query reprints a receipt', async () => {
    await openSale(page);
    await scan(page, other.barcode);
    const sale = await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);

    await openPos(page, 'cancelSale');
    await page.getByTestId(ids.cancel.find).fill(String(sale.number));
    await page.getByTestId(ids.cancel.find).press('Enter');
    await page.locator(`[data-testid="${ids.cancel.sale}"][data-status="finished"]`).waitFor();
    await page.getByTestId(ids.cancel.reason).selectOption('loja1-financialReason-cancelamento');
    await page.getByTestId(ids.cancel.confirm).click();
    await page.getByTestId(TEST_IDS.confirm.dialog).waitFor();
    await screenshot(page, 'counter-cancel-asks');
    await page.getByTestId(TEST_IDS.confirm.no).click();
    await waitForGone(page.getByTestId(TEST_IDS.confirm.dialog));
    expect(await page.getByTestId(ids.cancel.done).count()).toBe(0);

    await openPos(page, 'query');
    const row = page.locator(`[data-testid="${ids.query.row}"][data-number="${sale.number}"]`);
    expect(await row.getAttribute('data-status')).toBe('finished');
    await row.getByTestId(ids.query.reprint).click();
    const copy = page.locator(`[data-testid="${ids.receipt}"][data-reprint="true"][data-number="${sale.number}"]`);
    await copy.waitFor();
    expect(Number(await copy.getAttribute('data-total-cents'))).toBe(sale.totalCents);
    await page.getByTestId(ids.receiptCopy).waitFor();
    await screenshot(page, 'counter-reprint');
    await page.getByTestId(ids.reprintClose).click();
  });

  it('POS-11 an exchange quantity above what can come back says "quantidade inválida"', async () => {
    await openSale(page);
    await scan(page, other.barcode, 2);
    const sale = await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);
    await openPos(page, 'exchange');
    await page.getByTestId(ids.exchange.find).fill(String(sale.number));
    await page.getByTestId(ids.exchange.find).press('Enter');
    const field = page.locator(`[data-testid="${ids.exchange.returnQuantity}"][data-product-id="${other.id}"]`);
    await field.fill('3');
    await page.getByText(INVALID).waitFor();
    expect(Number(await page.getByTestId(ids.exchange.credit).getAttribute('data-cents'))).toBe(0);
    await field.fill('1');
    await expect.poll(() => page.getByText(INVALID).count()).toBe(0);
    expect(Number(await page.getByTestId(ids.exchange.credit).getAttribute('data-cents'))).toBeGreaterThan(0);
  });

  it('POS-01 a sale posted through the API with this station\'s id and number 900001 does not move the station\'s counter', async () => {
    await openSale(page);
    await scan(page, other.barcode);
    const before = await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);
    const stored = await eventually(() => api.get('sales', before.saleId), `sale ${before.saleId} on the server`, 60_000);
    await api.put('sales', { ...stored, id: `api-${Date.now()}`, number: 900_001 });
    // The station receives it through the live stream before the next sale.
    await openPos(page, 'query');
    await page.locator(`[data-testid="${ids.query.row}"][data-number="900001"]`).waitFor({ timeout: 30_000 });

    await openSale(page);
    await scan(page, other.barcode);
    const after = await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);
    expect(after.number).toBe(before.number + 1);
  });
});
