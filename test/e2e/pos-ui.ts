/** Drives the POS screens the way a cashier does: scanner input, F-keys, the payment step. */
import type { Locator, Page } from 'playwright-core';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { confirmAction, waitForGone } from './support/station-ui.ts';

const ids = TEST_IDS.pos;
const byId = (page: Page, id: string): Locator => page.getByTestId(id);

export async function openPos(page: Page, nav: keyof typeof ids.nav): Promise<void> {
  await byId(page, ids.nav[nav]).click();
}

/** Opens the till with `float` (typed, e.g. "100,00") when it is closed; a sale needs an open till (POS-19). */
export async function openTill(page: Page, float = '0,00'): Promise<void> {
  await openPos(page, 'cash');
  const state = byId(page, ids.cash.state);
  await state.waitFor();
  if ((await state.getAttribute('data-open')) === 'true') return;
  await byId(page, ids.cash.amount).fill(float);
  await byId(page, ids.cash.save).click();
  await page.locator(`[data-testid="${ids.cash.state}"][data-open="true"]`).waitFor();
}

export async function openSale(page: Page): Promise<void> {
  await openPos(page, 'sale');
  await page.locator(`[data-testid="${ids.sale}"][data-ready="true"]`).waitFor({ timeout: 30_000 });
}

/**
 * A barcode scanner: the code typed fast, then Enter. A `quantity` uses the "3*code" prefix (3 units,
 * or 3 kg/m/L of goods sold by measure, which a bare code does not add: POS-22); a string such as
 * "0,350" is typed as it is.
 */
export async function scan(page: Page, code: string, quantity?: number | string): Promise<void> {
  const input = byId(page, ids.scan);
  await input.fill(quantity === undefined ? code : `${quantity}*${code}`);
  await input.press('Enter');
  await page.waitForFunction((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement | null)?.value === '', ids.scan);
}

export interface PaymentStep {
  paymentTypeId: string;
  conditionId?: string;
  /** Typed amount ("12,50"); the remaining amount when left out. */
  amount?: string;
}

export interface SaleOutcome {
  saleId: string;
  number: number;
  totalCents: number;
  changeCents: number;
}

/** Chooses the seller (the sale screen asks for one every sale); the first listed when none is named. */
export async function chooseSeller(page: Page, sellerId?: string): Promise<void> {
  const select = byId(page, ids.seller);
  const value = sellerId ?? (await select.locator('option:not([disabled])').first().getAttribute('value'))!;
  await select.selectOption(value);
}

/**
 * Waits until no modal is left in the page. A closing modal's frame outlives its content for the closing
 * animation, and under load the payment step and the receipt can both be closing at once: wait for every
 * one of them to go (waitForGone; a strict single-element wait throws). The F-keys wait for no dialog.
 */
export async function waitForNoDialog(page: Page, timeout = 30_000): Promise<void> {
  await waitForGone(page.locator('[role="dialog"]'), timeout);
}

/** The demo admin's supervisor code (sync/server/seed/demo-data.ts), POS-20. */
export const SUPERVISOR_CODE = '246810';

/** Types the supervisor's code in the authorisation dialog (POS-20) and waits for it to close. */
export async function authorizeAsSupervisor(page: Page, code = SUPERVISOR_CODE): Promise<void> {
  await byId(page, ids.supervisor.code).fill(code);
  await byId(page, ids.supervisor.confirm).click();
  await waitForGone(byId(page, ids.supervisor.body));
}

/**
 * F9 → payment step → each payment → finish; returns the receipt's sale and closes it. Picks a seller
 * if none is chosen. On a closed till (or with a manual discount) the supervisor authorises first.
 */
export async function pay(page: Page, payments: PaymentStep[]): Promise<SaleOutcome> {
  if (!(await byId(page, ids.seller).inputValue())) await chooseSeller(page);
  await page.keyboard.press('F9');
  const modal = page.locator('.mantine-Modal-content', { has: byId(page, ids.payment.finish) });
  await modal.or(byId(page, ids.supervisor.body)).first().waitFor();
  if (await byId(page, ids.supervisor.body).isVisible()) await authorizeAsSupervisor(page);
  await modal.waitFor();
  // The step chooses its first payment type in an effect after it shows: a click before that is undone.
  await modal.locator(`[data-testid="${ids.payment.type}"][data-selected="true"]`).first().waitFor();
  for (const payment of payments) {
    const type = modal.locator(`[data-testid="${ids.payment.type}"][data-payment-type-id="${payment.paymentTypeId}"]`);
    await type.click();
    await modal.locator(`[data-testid="${ids.payment.type}"][data-payment-type-id="${payment.paymentTypeId}"][data-selected="true"]`).waitFor();
    if (payment.conditionId) await byId(page, ids.payment.condition).selectOption(payment.conditionId);
    const amount = byId(page, ids.payment.amount);
    if (payment.amount !== undefined) await amount.fill(payment.amount);
    await amount.press('Enter');
  }
  await byId(page, ids.payment.finish).click();
  const receipt = byId(page, ids.receipt);
  await receipt.waitFor({ timeout: 30_000 });
  const attribute = async (name: string) => (await receipt.getAttribute(name))!;
  const outcome = { saleId: await attribute('data-sale-id'), number: Number(await attribute('data-number')), totalCents: Number(await attribute('data-total-cents')), changeCents: Number(await attribute('data-change-cents')) };
  await byId(page, ids.receiptClose).click();
  await waitForGone(receipt);
  await waitForNoDialog(page);
  return outcome;
}

export async function cancelSale(page: Page, number: number, reasonId: string, kind: 'cancelSale' | 'cancelExchange' = 'cancelSale'): Promise<void> {
  await openPos(page, kind);
  await byId(page, ids.cancel.find).fill(String(number));
  await byId(page, ids.cancel.find).press('Enter');
  await page.locator(`[data-testid="${ids.cancel.sale}"][data-status="finished"]`).waitFor();
  await byId(page, ids.cancel.reason).selectOption(reasonId);
  await byId(page, ids.cancel.confirm).click();
  await confirmAction(page);
  await authorizeAsSupervisor(page);
  await byId(page, ids.cancel.done).waitFor();
}

/** Starts an exchange of `number`, returning the given quantities; leaves the page on the exchange's sale screen. */
export async function startExchange(page: Page, number: number, returned: Record<string, number | string>): Promise<void> {
  await openPos(page, 'exchange');
  await byId(page, ids.exchange.find).fill(String(number));
  await byId(page, ids.exchange.find).press('Enter');
  for (const [productId, quantity] of Object.entries(returned)) {
    const input = page.locator(`[data-testid="${ids.exchange.returnQuantity}"][data-product-id="${productId}"]`);
    await input.fill(String(quantity));
  }
  await byId(page, ids.exchange.next).click();
  await page.locator(`[data-testid="${ids.sale}"][data-ready="true"]`).waitFor();
}

export async function querySyncStates(page: Page): Promise<Map<string, { status: string; state: string; number: number }>> {
  await openPos(page, 'query');
  await byId(page, ids.query.count).waitFor();
  const rows = await page.locator(`[data-testid="${ids.query.row}"]`).evaluateAll((elements) =>
    elements.map((e) => ({ id: e.getAttribute('data-sale-id')!, status: e.getAttribute('data-status')!, state: e.getAttribute('data-sync-state')!, number: Number(e.getAttribute('data-number')) })),
  );
  return new Map(rows.map((row) => [row.id, row]));
}
