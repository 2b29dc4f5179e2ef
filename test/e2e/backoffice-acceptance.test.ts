import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { formatTaxId } from '../../sync/rules/index.ts';
import { login, screenshot, waitForConnection, waitForGone, waitForPending } from './support/station-ui.ts';
import { byId, choose, integrationCaller, screenshotWidths, signInBackOffice, typedDay } from './support/backoffice-ui.ts';
import { dayOf, PERIODS } from '../server/support/periods.ts';
import { randomCpf } from './support/tax-ids.ts';
import { oneStation } from './support/one-station.ts';
import { FAST_SYNC_RETRY_MS } from './support/web-ui.ts';
import { eventually } from './support/eventually.ts';

/**
 * Issue 11's acceptance 1, end to end: a real server on PGlite, the built UI in Chromium, the back
 * office user `retaguarda` working while the server is stopped. The tests form one story and run in order.
 */

const ids = TEST_IDS.backoffice;
// Billed: the month the tests run in, as the contract is activated by the real clock and only a contract
// active at a period's end pays its fee (test/server/support/periods.ts); the correction goes in the next.
const { current: CUR, next: NEXT } = PERIODS;

async function addService(page: Page, service: { code: string; name: string; fee: string; unitPrice: string; unit: string }): Promise<void> {
  await byId(page, ids.services.add).click();
  await byId(page, ids.services.code).fill(service.code);
  await byId(page, ids.services.name).fill(service.name);
  await byId(page, ids.services.fee).fill(service.fee);
  await byId(page, ids.services.unitPrice).fill(service.unitPrice);
  await byId(page, ids.services.unit).fill(service.unit);
  await byId(page, ids.services.save).click();
  await page.locator(`[data-testid="${ids.services.row}"][data-code="${service.code}"]`).waitFor();
}

async function transition(page: Page, action: 'suspend' | 'resume', reason?: string): Promise<void> {
  await byId(page, `${ids.contracts.action}-${action}`).click();
  if (reason) await byId(page, ids.contracts.reason).fill(reason);
  await byId(page, ids.contracts.confirm).click();
  await waitForGone(byId(page, ids.contracts.confirm));
}

async function addUsage(page: Page, usage: { service: RegExp; quantity: string; date: string; description: string }): Promise<void> {
  await byId(page, ids.consumption.add).click();
  await choose(page, ids.consumption.service, usage.service);
  await byId(page, ids.consumption.quantity).fill(usage.quantity);
  await byId(page, ids.consumption.date).fill(usage.date);
  await byId(page, ids.consumption.description).fill(usage.description);
  await byId(page, ids.consumption.save).click();
  await waitForGone(byId(page, ids.consumption.save));
}

describe('issue 11: back office offline acceptance', () => {
  let ui: WebHost;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const customer = { id: '', name: `Cliente Retaguarda ${stamp}`, taxId: randomCpf() };
  const contract = { id: '', code: `CT-${stamp}` };
  const usage = [
    { service: new RegExp(`TEL-${stamp}`), quantity: '120', date: typedDay(dayOf(CUR, 3)), description: 'Ligações semana 1' },
    { service: new RegExp(`TEL-${stamp}`), quantity: '80', date: typedDay(dayOf(CUR, 10)), description: 'Ligações semana 2' },
    { service: new RegExp(`NET-${stamp}`), quantity: '15', date: typedDay(dayOf(CUR, 12)), description: 'Dados excedentes' },
  ];

  // The server is stopped and started again: the page finds it without sitting out the app's backoff.
  const { server, api } = oneStation({ logBrowserErrors: true, syncRetryMs: FAST_SYNC_RETRY_MS, ready: (station) => void ({ ui, page } = station) });

  it('BO-01 BO-02 BO-03 BO-04 offline, retaguarda creates a customer, a contract with two services, suspends and resumes it, and enters three consumption records that survive a reload', async () => {
    // Online once, so that the offline login and the back-office collections exist on this device.
    await signInBackOffice(page, { ui, server });

    await server.stop();
    await waitForConnection(page, false);
    await byId(page, ids.nav).click();

    // BO-01: a customer with a valid CPF, typed without punctuation, is shown formatted.
    await byId(page, ids.customers.add).click();
    await byId(page, ids.customers.name).fill(customer.name);
    await byId(page, ids.customers.taxId).fill(customer.taxId);
    await byId(page, ids.customers.phone).fill('11987654321');
    await byId(page, ids.customers.email).fill('cliente@exemplo.com.br');
    await byId(page, ids.customers.cep).fill('01310100');
    await choose(page, ids.customers.uf, 'SP');
    await byId(page, ids.customers.city).fill('São Paulo');
    await byId(page, ids.customers.save).click();
    await byId(page, ids.customers.search).fill(customer.name);
    const row = page.locator(`[data-testid="${ids.customers.row}"]`, { hasText: customer.name });
    await row.waitFor();
    customer.id = (await row.getAttribute('data-customer-id'))!;
    expect(await row.textContent()).toContain(formatTaxId(customer.taxId));
    expect(await row.textContent()).toContain('(11) 98765-4321');
    expect(await row.textContent()).toContain('01310-100');
    await screenshot(page, 'bo-01-customers-1280');

    // BO-02: two services.
    await byId(page, ids.tab.services).click();
    await addService(page, { code: `TEL-${stamp}`, name: 'Telefonia', fee: '49,90', unitPrice: '0,12', unit: 'min' });
    await addService(page, { code: `NET-${stamp}`, name: 'Internet', fee: '99,00', unitPrice: '2,50', unit: 'GB' });

    // BO-03: a contract with both services, activated at once; then suspended (with a reason) and resumed.
    await byId(page, ids.tab.contracts).click();
    await byId(page, ids.contracts.add).click();
    await byId(page, ids.contracts.code).fill(contract.code);
    await choose(page, ids.contracts.customer, customer.name);
    await byId(page, ids.contracts.startDate).fill(typedDay(dayOf(CUR, 1)));
    await choose(page, ids.contracts.lineService, new RegExp(`TEL-${stamp}`), 0);
    await byId(page, ids.contracts.addLine).click();
    await choose(page, ids.contracts.lineService, new RegExp(`NET-${stamp}`), 1);
    await byId(page, ids.contracts.save).click();
    const contractRow = page.locator(`[data-testid="${ids.contracts.row}"][data-code="${contract.code}"]`);
    await contractRow.waitFor();
    contract.id = (await contractRow.getAttribute('data-contract-id'))!;
    await page.locator(`[data-testid="${ids.contracts.state}"][data-state="active"]`).waitFor();
    await transition(page, 'suspend', 'Cliente pediu pausa');
    await page.locator(`[data-testid="${ids.contracts.state}"][data-state="suspended"]`).waitFor();
    // Only the moves the transition table allows from "suspended" are offered.
    expect(await byId(page, `${ids.contracts.action}-suspend`).count()).toBe(0);
    await transition(page, 'resume');
    await page.locator(`[data-testid="${ids.contracts.state}"][data-state="active"]`).waitFor();
    expect(await page.getByTestId(ids.contracts.pendingRow).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['activate', 'suspend', 'resume']);
    await screenshotWidths(page, 'bo-03-contract-offline');

    // BO-04: three usage records.
    await byId(page, ids.tab.consumption).click();
    for (const record of usage) await addUsage(page, record);
    await expect.poll(() => byId(page, ids.consumption.row).count()).toBe(3);
    await screenshot(page, 'bo-04-consumption-1280');

    await page.reload();
    // The session token lives in the page's memory only: after a reload the user signs in again, offline.
    await login(page, 'retaguarda', 'retaguarda123');
    await waitForConnection(page, false);
    await byId(page, ids.nav).click();
    await byId(page, ids.tab.consumption).click();
    await expect.poll(() => byId(page, ids.consumption.row).count()).toBe(3);
    await byId(page, ids.tab.contracts).click();
    await contractRow.click();
    await page.locator(`[data-testid="${ids.contracts.state}"][data-state="active"]`).waitFor();
    expect(await byId(page, ids.contracts.pendingRow).count()).toBe(3);
  });

  it('BO-03 BO-04 when the server is back, all of it reaches the server once, with the contract history intact (who, when, why)', async () => {
    await server.start();
    await waitForConnection(page, true, 60_000);
    await waitForPending(page, (count) => count === 0, 60_000);

    const stored = await eventually(() => api.get('customers', customer.id), `customer ${customer.id} on the server`, 60_000);
    expect(stored).toMatchObject({ name: customer.name, taxId: customer.taxId, phone: '11987654321', cep: '01310100', uf: 'SP', active: true });
    expect((await api.listAll('customers')).filter((doc) => doc.taxId === customer.taxId)).toHaveLength(1);

    const onServer = await eventually(async () => {
      const doc = await api.get('backoffice', contract.id);
      return doc && ((doc.history as unknown[] | undefined)?.length ?? 0) >= 3 ? doc : null;
    }, 'contract history on the server', 60_000);
    expect(onServer.state).toBe('active');
    expect((onServer.lines as unknown[]).length).toBe(2);
    const history = (onServer.history as { action: string; to: string; userId: string; reason?: string; at: string; requestedAt?: string }[]).filter((entry) => entry.action !== 'create');
    expect(history.map((entry) => [entry.action, entry.to])).toEqual([['activate', 'active'], ['suspend', 'suspended'], ['resume', 'active']]);
    expect(history[1]!.reason).toBe('Cliente pediu pausa');
    expect(new Set(history.map((entry) => entry.userId)).size).toBe(1);
    for (const entry of history) expect(entry.requestedAt).toBeTruthy();

    const requests = (await api.listAll('backofficeActions')).filter((doc) => doc.contractId === contract.id);
    expect(requests.map((doc) => doc.kind).sort()).toEqual(['activate', 'resume', 'suspend']);
    const records = (await api.listAll('consumption')).filter((doc) => doc.contractId === contract.id && !doc._deleted);
    expect(new Set(records.map((doc) => doc.id)).size).toBe(3);
    expect(records.map((doc) => doc.quantity).sort((a, b) => Number(a) - Number(b))).toEqual([15, 80, 120]);

    // The device shows the server's history now, no request left pending.
    await page.locator(`[data-testid="${ids.contracts.historyRow}"][data-action="resume"]`).waitFor({ timeout: 30_000 });
    expect(await byId(page, ids.contracts.pendingRow).count()).toBe(0);
    await screenshot(page, 'bo-03-contract-synced-1280');
  });

  it('BO-05 BO-04 BO-01 a billing run shows on screen with the API total to the cent; a billed record gets a correcting record; deactivating the billed customer is refused with its reason', async () => {
    const call = integrationCaller(server, api);
    const run = await call('POST', '/api/v1/billing/billing-runs', { period: CUR });
    expect(run.created).toBeGreaterThanOrEqual(1);
    const list = (await call('GET', `/api/v1/billing/receivables?customerId=${customer.id}`)) as { totals: { amountCents: number } };
    // Fees 49,90 + 99,00; usage (120 + 80) min × 0,12 + 15 GB × 2,50; no included quantity.
    expect(list.totals.amountCents).toBe(4990 + 9900 + 200 * 12 + 15 * 250);

    // BO-05: the device's list (refreshed online, cached for offline) with the same total.
    await byId(page, ids.tab.receivables).click();
    await byId(page, ids.receivables.refresh).click();
    await byId(page, ids.receivables.row).first().waitFor({ timeout: 30_000 });
    await choose(page, ids.receivables.customer, customer.name);
    await expect.poll(async () => Number(await byId(page, ids.receivables.total).getAttribute('data-cents'))).toBe(list.totals.amountCents);
    // Intl writes pt-BR money with a no-break space after the sign.
    expect(await byId(page, ids.receivables.total).textContent()).toMatch(/1 conta, R\$\s210,40$/);
    await screenshotWidths(page, 'bo-05-receivables');

    // BO-04: a record of the billed period cannot change; the rule's message offers the correcting record.
    await byId(page, ids.tab.consumption).click();
    await page.locator(`[data-testid="${ids.consumption.row}"][data-quantity="120"]`).getByTestId(ids.consumption.edit).click();
    await byId(page, ids.consumption.quantity).fill('130');
    await byId(page, ids.consumption.save).click();
    await byId(page, ids.consumption.error).waitFor();
    expect(await byId(page, ids.consumption.error).textContent()).toMatch(/faturad/i);
    await byId(page, ids.consumption.correct).click();
    await byId(page, ids.consumption.quantity).fill('130');
    await byId(page, ids.consumption.date).fill(typedDay(dayOf(NEXT, 1)));
    await byId(page, ids.consumption.save).click();
    await page.locator(`[data-testid="${ids.consumption.row}"][data-quantity="10"]`).waitFor();
    expect(await page.locator(`[data-testid="${ids.consumption.row}"][data-quantity="120"]`).count()).toBe(1);
    // A second correction starts from what the record counts now (120 + 10): to 125 it is −5, not +5.
    await page.locator(`[data-testid="${ids.consumption.row}"][data-quantity="120"]`).getByTestId(ids.consumption.edit).click();
    await byId(page, ids.consumption.quantity).fill('125');
    await byId(page, ids.consumption.save).click();
    await byId(page, ids.consumption.correct).click();
    await expect.poll(() => byId(page, ids.consumption.correctHint).getAttribute('data-standing')).toBe('130');
    expect(await byId(page, ids.consumption.quantity).inputValue()).toBe('130');
    // A fresh form: dated today (an open period), without the edit's refusal.
    expect(await byId(page, ids.consumption.error).count()).toBe(0);
    expect(await byId(page, ids.consumption.correctHint).textContent()).toContain('conta 130');
    await screenshotWidths(page, 'bo-04-second-correction');
    await byId(page, ids.consumption.quantity).fill('125');
    await byId(page, ids.consumption.date).fill(typedDay(dayOf(NEXT, 2)));
    await byId(page, ids.consumption.save).click();
    await page.locator(`[data-testid="${ids.consumption.row}"][data-quantity="-5"]`).waitFor();

    // BO-01: the customer has an open receivable: the server refuses the deactivation and the screen says why.
    await byId(page, ids.tab.customers).click();
    await byId(page, ids.customers.search).fill(customer.name);
    await page.locator(`[data-testid="${ids.customers.row}"][data-customer-id="${customer.id}"]`).getByTestId(ids.customers.deactivate).click();
    await byId(page, ids.customers.save).click();
    await byId(page, ids.customers.reason).waitFor();
    await byId(page, ids.customers.reason).fill('Encerrou as atividades');
    await byId(page, ids.customers.save).click();
    const refusal = page.locator(`[data-testid="${ids.refusals}"] [data-document-id="${customer.id}"]`);
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toContain('contas a receber em aberto');
    await screenshotWidths(page, 'bo-01-deactivation-refused');
    expect(await api.get('customers', customer.id)).toMatchObject({ active: true });
    const corrections = await eventually(async () => {
      const found = (await api.listAll('consumption')).filter((doc) => doc.contractId === contract.id && doc.correctsId);
      return found.length === 2 ? found : null;
    }, 'the correcting records on the server');
    expect(corrections.map((doc) => doc.quantity).sort((a, b) => Number(a) - Number(b))).toEqual([-5, 10]);
  });
});
