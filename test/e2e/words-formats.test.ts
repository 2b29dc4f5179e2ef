import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { login, logout, openCustomers, pairAndSync, screenshot, waitForConnection, waitForGone, waitForPending } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';
import { randomCpf } from './support/tax-ids.ts';
import { deviceToday } from './support/browser.ts';
import { openPos, openSale, pay, scan } from './pos-ui.ts';

/**
 * Words and formats (issue 15), with the browser itself in American English: the app follows the
 * user's language, not the browser's — dates dd/mm/aaaa (also in the period pickers), role names in
 * Portuguese, its own validation messages instead of the browser's English ones, phone numbers
 * checked, CPF/CNPJ formatted, the pending badge counting sales.
 */

const ids = TEST_IDS.pos;
const DAY = /^\d{2}\/\d{2}\/\d{4}$/;

describe('issue 15: words and formats follow the user, not the browser', () => {
  let ui: WebHost;
  let page: Page;
  let barcode = '';

  const { server, api } = oneStation({
    browserLocale: 'en-US',
    logBrowserErrors: true,
    ready: async (station) => {
      ({ ui, page } = station);
      barcode = String((await api.get('products', 'p-00042'))!.barcode);
    },
  });

  const today = deviceToday;

  it('POS-15 POS-12 days in the summary and the period pickers read dd/mm/aaaa in an English browser; roles are named in Portuguese', async () => {
    await pairAndSync(page, { ui: ui.url, server: server.url });
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');

    await openSale(page);
    await scan(page, barcode);
    await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);
    await openPos(page, 'summary');
    const day = page.getByTestId(ids.summary.dayRow).first();
    await day.waitFor();
    const dayLabel = (await day.locator('td').first().textContent())!.trim();
    expect(dayLabel).toMatch(DAY);
    expect(dayLabel).toBe(today());
    const from = page.getByTestId(ids.summary.from);
    expect((await from.textContent())?.trim() || (await from.inputValue().catch(() => ''))).toBe(today());
    await screenshot(page, 'formats-summary');

    await openPos(page, 'query');
    const queryTo = page.getByTestId(ids.query.to);
    expect((await queryTo.textContent())?.trim()).toBe(today());
    const at = (await page.getByTestId(ids.query.row).first().locator('td').nth(1).textContent())!;
    expect(at.startsWith(today())).toBe(true);

    await page.getByTestId(TEST_IDS.shell.userMenu).click();
    expect((await page.getByTestId(TEST_IDS.shell.roles).textContent())?.trim()).toBe('Caixa');
    await page.keyboard.press('Escape');
  });

  it('BO-01 a customer\'s phone is checked in Portuguese, the message goes once it is fixed, and the CPF shows formatted', async () => {
    await openCustomers(page);
    await page.getByTestId(TEST_IDS.customers.add).click();
    await page.getByTestId(TEST_IDS.customers.name).fill('Cliente Formatos');
    const cpf = randomCpf();
    await page.getByTestId(TEST_IDS.customers.taxId).fill(cpf);
    await page.getByTestId(TEST_IDS.customers.email).fill('nao-e-email');
    await page.getByTestId(TEST_IDS.customers.phone).fill('123');
    await page.getByTestId(TEST_IDS.customers.save).click();
    await page.getByText(/telefone inválido/i).waitFor();
    await page.getByText(/e-mail inválido/i).waitFor();
    // The browser's own bubble ("Please include an '@'…") never shows: the form does not ask it.
    expect(await page.locator('form').first().evaluate((form) => (form as HTMLFormElement).noValidate)).toBe(true);
    await screenshot(page, 'formats-customer-errors');
    await page.getByTestId(TEST_IDS.customers.phone).fill('11987654321');
    await expect.poll(() => page.getByText(/telefone inválido/i).count()).toBe(0);
    await page.getByTestId(TEST_IDS.customers.email).fill('cliente@exemplo.com.br');
    await expect.poll(() => page.getByText(/e-mail inválido/i).count()).toBe(0);
    await page.getByTestId(TEST_IDS.customers.save).click();
    await waitForGone(page.getByTestId(TEST_IDS.customers.save));
    const row = page.locator(`[data-testid="${TEST_IDS.customers.row}"]`, { hasText: 'Cliente Formatos' });
    await row.waitFor();
    const text = (await row.textContent())!;
    expect(text).toContain(`${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`);
    expect(text).toContain('(11) 98765-4321');
  });

  it('POS-14 offline, the pending badge counts sales (not the audit and other records behind them)', async () => {
    await server.stop();
    await waitForConnection(page, false);
    await openSale(page);
    await scan(page, barcode);
    await pay(page, [{ paymentTypeId: 'loja1-paymentType-pix' }]);
    const badge = page.getByTestId(TEST_IDS.shell.pendingCount);
    await expect.poll(async () => Number(await badge.getAttribute('data-count')), { timeout: 30_000 }).toBeGreaterThan(1);
    await expect.poll(() => badge.getAttribute('data-sales'), { timeout: 30_000 }).toBe('1');
    expect((await badge.textContent())?.trim()).toBe('1 venda pendente');
    await screenshot(page, 'formats-pending-sales');
    await server.start();
    await waitForConnection(page, true, 60_000);
    await waitForPending(page, (n) => n === 0, 60_000);
    expect((await badge.textContent())?.trim()).toBe('Nenhum envio pendente');
  });

  it('DES-01 the admin\'s portal form answers an empty or wrong field with the app\'s own words, and shows the CNPJ formatted', async () => {
    await logout(page);
    await login(page, 'admin', 'admin123');
    await page.getByTestId(TEST_IDS.design.nav.portal).click();
    const portal = TEST_IDS.design.portal;
    await page.getByTestId(portal.current).waitFor();
    expect((await page.getByTestId(portal.current).textContent())!).toMatch(/\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}/);
    await page.getByTestId(portal.accountId).fill('');
    await page.getByTestId(portal.taxId).fill('11.222.333/0001-00');
    await page.getByTestId(portal.submit).click();
    await page.getByText('Preencha este campo.').waitFor();
    await page.getByText(/CNPJ inválido/).waitFor();
    await screenshot(page, 'formats-portal-errors');
    await page.getByTestId(portal.accountId).fill('demo-portal-loja1');
    await expect.poll(() => page.getByText('Preencha este campo.').count()).toBe(0);
  });
});
