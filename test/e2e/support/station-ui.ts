import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { TEST_IDS } from '../../../renderer/test-ids.ts';
import { TEST_RESULTS } from '../../../build/paths.ts';

/** Helpers that drive the station UI the way a user does: through the screens and their test ids. */

export interface PairingInput {
  serverUrl: string;
  storeCode: string;
  stationCode: string;
  pairingCode: string;
}

const byId = (page: Page, id: string): Locator => page.getByTestId(id);

/**
 * Waits until nothing in the page matches `locator` (default up to 30 s). `locator.waitFor({ state: 'detached' })`
 * is strict: it throws at once when two elements match, as when a modal that is closing (its frame outlives its
 * content for the animation) is still there beside the next one opening, which happens under load. Waiting on
 * the first match to go goes on until no match is left, whatever their number.
 */
export async function waitForGone(locator: Locator, timeout = 30_000): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout });
}

export async function pairStation(page: Page, input: PairingInput): Promise<void> {
  await byId(page, TEST_IDS.setup.form).waitFor();
  await byId(page, TEST_IDS.setup.serverUrl).fill(input.serverUrl);
  await byId(page, TEST_IDS.setup.storeCode).fill(input.storeCode);
  await byId(page, TEST_IDS.setup.stationCode).fill(input.stationCode);
  await byId(page, TEST_IDS.setup.pairingCode).fill(input.pairingCode);
  await byId(page, TEST_IDS.setup.submit).click();
  await byId(page, TEST_IDS.login.form).waitFor();
}

/**
 * The usual start of a station test: opens the UI, pairs it as `loja1`/`cx01` with the demo code,
 * signs `user` in and waits until the whole demo catalogue (2,000 products) is on the device and
 * nothing waits to upload. Ends on the products page.
 */
export async function pairAndSync(page: Page, urls: { ui: string; server: string }, user: [code: string, password: string] = ['caixa', 'caixa123']): Promise<void> {
  await page.goto(urls.ui);
  await pairStation(page, { serverUrl: urls.server, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
  await login(page, user[0], user[1]);
  await openProducts(page);
  await waitForProductsCount(page, 2000);
  await waitForPending(page, (n) => n === 0);
}

/** Submits the login form; does not wait for the outcome (see `login` and `loginError`). */
export async function submitLogin(page: Page, userCode: string, password: string): Promise<void> {
  await byId(page, TEST_IDS.login.form).waitFor();
  await byId(page, TEST_IDS.login.userCode).fill(userCode);
  await byId(page, TEST_IDS.login.password).fill(password);
  await byId(page, TEST_IDS.login.submit).click();
}

export async function login(page: Page, userCode: string, password: string): Promise<void> {
  await submitLogin(page, userCode, password);
  await byId(page, TEST_IDS.shell.connectionBadge).waitFor({ timeout: 30_000 });
}

/** Answers "yes" to the question an irreversible action asks first (renderer/ui/ConfirmButton.tsx). */
export async function confirmAction(page: Page): Promise<void> {
  await byId(page, TEST_IDS.confirm.yes).click();
  await waitForGone(byId(page, TEST_IDS.confirm.dialog));
}

export async function logout(page: Page): Promise<void> {
  await byId(page, TEST_IDS.shell.userMenu).click();
  await byId(page, TEST_IDS.shell.logout).click();
  await byId(page, TEST_IDS.login.form).waitFor();
}

export async function waitForConnection(page: Page, online: boolean, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="${TEST_IDS.shell.connectionBadge}"][data-online="${online}"]`).waitFor({ timeout });
}

const countOf = async (locator: Locator): Promise<number> => Number(await locator.getAttribute('data-count'));

export const pendingUploads = (page: Page): Promise<number> => countOf(byId(page, TEST_IDS.shell.pendingCount));
export const productsCount = (page: Page): Promise<number> => countOf(byId(page, TEST_IDS.products.count));

/** Waits until the header's pending badge satisfies the predicate. */
export async function waitForPending(page: Page, predicate: (count: number) => boolean, timeout = 30_000): Promise<number> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const count = await pendingUploads(page);
    if (predicate(count)) return count;
    if (Date.now() > deadline) throw new Error(`Pending uploads stayed at ${count} for ${timeout} ms.`);
    await page.waitForTimeout(100);
  }
}

export async function waitForProductsCount(page: Page, count: number, timeout = 60_000): Promise<number> {
  await page.locator(`[data-testid="${TEST_IDS.products.count}"][data-count="${count}"]`).waitFor({ timeout });
  return productsCount(page);
}

export async function openProducts(page: Page): Promise<void> {
  await byId(page, TEST_IDS.shell.navProducts).click();
  await byId(page, TEST_IDS.products.count).waitFor();
}

export async function openCustomers(page: Page): Promise<void> {
  await byId(page, TEST_IDS.shell.navCustomers).click();
  await byId(page, TEST_IDS.customers.count).waitFor();
}

export async function searchProducts(page: Page, text: string): Promise<void> {
  await byId(page, TEST_IDS.products.search).fill(text);
}

export const productRow = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="${TEST_IDS.products.row}"][data-product-id="${id}"]`);

export const customerRow = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="${TEST_IDS.customers.row}"][data-customer-id="${id}"]`);

export interface NewCustomer {
  name: string;
  taxId: string;
  city?: string;
}

/** Adds a customer through the form and returns the id the device gave it. */
export async function addCustomer(page: Page, customer: NewCustomer): Promise<string> {
  await openCustomers(page);
  await byId(page, TEST_IDS.customers.add).click();
  await byId(page, TEST_IDS.customers.name).fill(customer.name);
  await byId(page, TEST_IDS.customers.taxId).fill(customer.taxId);
  if (customer.city) await byId(page, TEST_IDS.customers.city).fill(customer.city);
  await byId(page, TEST_IDS.customers.save).click();
  await waitForGone(byId(page, TEST_IDS.customers.save));
  return findCustomerId(page, customer.name);
}

export async function findCustomerId(page: Page, name: string): Promise<string> {
  await byId(page, TEST_IDS.customers.search).fill(name);
  const row = page.locator(`[data-testid="${TEST_IDS.customers.row}"]`, { hasText: name });
  await row.waitFor();
  const id = await row.getAttribute('data-customer-id');
  if (!id) throw new Error(`The customer row of "${name}" has no data-customer-id.`);
  return id;
}

const SHOTS = join(TEST_RESULTS, 'e2e');

/** A full-page screenshot in test-results/e2e/, for a person to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
