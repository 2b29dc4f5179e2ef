import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { byId, integrationCaller, openBackOffice } from './support/backoffice-ui.ts';
import { dayOf, PERIODS } from '../server/support/periods.ts';
import { randomCpf } from './support/tax-ids.ts';
import { oneStation } from './support/one-station.ts';
import { login, screenshot, waitForConnection } from './support/station-ui.ts';

/**
 * Issue 11 (breaker R's reproduction, 2026-11-30): a change the server refuses must not stay on the
 * device as if applied. The device goes back to the server's version; the refused version stays in the
 * screen's refusal list, where "Tentar de novo" has the server check it again and "Corrigir" opens it
 * in the screen's form.
 */
const ids = TEST_IDS.backoffice;
describe('a refused back-office change (Chromium, real server)', () => {
  let ui: WebHost;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const { server, api } = oneStation({ logBrowserErrors: true, ready: (station) => void ({ ui, page } = station) });
  const call = integrationCaller(server, api);
  const rowOf = (customerId: string) => page.locator(`[data-testid="${ids.customers.row}"][data-customer-id="${customerId}"]`);
  const refusalOf = (documentId: string) => page.locator(`[data-testid="${ids.refusals}"] [data-document-id="${documentId}"]`);

  it('BO-01 POS-07 a deactivation refused for open receivables shows the customer active again (also after a reload); once the receivable is paid, "Tentar de novo" applies it', async () => {
    const name = `Cliente Devedor ${stamp}`;
    const customer = await call('POST', '/api/v1/billing/customers', { name, taxId: randomCpf() });
    const customerId = String(customer.id);
    await api.put('backoffice', { id: `svc-${stamp}`, kind: 'service', code: `FEE-${stamp}`, name: 'Mensalidade', active: true, monthlyFeeCents: 5000, updatedAt: new Date().toISOString() });
    const contract = await call('POST', '/api/v1/billing/contracts', { code: `CT-${stamp}`, customerId, startDate: dayOf(PERIODS.previous, 1), billingDay: 10, lines: [{ serviceId: `svc-${stamp}`, quantity: 1 }] });
    await call('POST', `/api/v1/billing/contracts/${String(contract.id)}/activate`, {});
    // The month the test runs in: the contract is activated by the real clock, and only a contract active
    // at a period's end pays its fee, the open receivable this test needs (test/server/support/periods.ts).
    await call('POST', '/api/v1/billing/billing-runs', { period: PERIODS.current });

    await openBackOffice(page, { ui, server, navId: ids.nav });
    await byId(page, ids.customers.search).fill(name);
    await rowOf(customerId).getByTestId(ids.customers.deactivate).click();
    await byId(page, ids.customers.reason).fill('Mudou de cidade');
    await byId(page, ids.customers.save).click();

    await refusalOf(customerId).waitFor({ timeout: 60_000 });
    // The server kept the customer active, and so does the screen (it showed INATIVO for good before).
    await rowOf(customerId).and(page.locator('[data-active="true"]')).waitFor({ timeout: 60_000 });
    expect((await api.get('customers', customerId))?.active).toBe(true);
    expect(await rowOf(customerId).textContent()).not.toMatch(/inativo/i);
    await screenshot(page, 'backoffice-refused-deactivation-1280');

    // A reload (signing in again) shows the server's version too, and the refusal still listed.
    await page.reload();
    await login(page, 'retaguarda', 'retaguarda123');
    await waitForConnection(page, true);
    await byId(page, ids.nav).click();
    await byId(page, ids.customers.search).fill(name);
    await refusalOf(customerId).waitFor({ timeout: 60_000 });
    expect(await rowOf(customerId).getAttribute('data-active')).toBe('true');

    // The receivable is paid: "Tentar de novo" has the server apply the refused version, which reaches the device.
    const { receivables } = (await call('GET', `/api/v1/billing/receivables?customerId=${encodeURIComponent(customerId)}`)) as { receivables: { id: string }[] };
    expect(receivables.length).toBeGreaterThan(0);
    for (const receivable of receivables) await call('POST', `/api/v1/billing/receivables/${receivable.id}/pay`, {});
    await refusalOf(customerId).getByTestId(ids.refusalRetry).click();
    await refusalOf(customerId).waitFor({ state: 'detached', timeout: 60_000 });
    await rowOf(customerId).and(page.locator('[data-active="false"]')).waitFor({ timeout: 60_000 });
    expect(await api.get('customers', customerId)).toMatchObject({ active: false, deactivationReason: 'Mudou de cidade' });
  });

  it('BO-01 POS-07 a change refused for a CPF another customer took meanwhile goes back on the device; "Corrigir" opens the refused version, and a corrected CPF is accepted', async () => {
    const other = await call('POST', '/api/v1/billing/customers', { name: `Outro ${stamp}`, taxId: randomCpf() });
    const otherId = String(other.id);
    await byId(page, ids.customers.search).fill(stamp);
    await rowOf(otherId).waitFor({ timeout: 60_000 });

    // Offline, the device changes the CPF to one no customer it knows has...
    await server.stop();
    await waitForConnection(page, false, 60_000);
    const taken = randomCpf();
    await rowOf(otherId).getByTestId(ids.customers.edit).click();
    await byId(page, ids.customers.taxId).fill(taken);
    await byId(page, ids.customers.save).click();
    await byId(page, ids.customers.save).waitFor({ state: 'detached' });
    // ...which another customer takes on the server meanwhile (the device still cut off): its change is refused when it arrives.
    const serverRequests = `${server.url}/**`;
    await page.route(serverRequests, (route) => route.abort('internetdisconnected'));
    await server.start();
    await call('POST', '/api/v1/billing/customers', { name: `Titular ${stamp}`, taxId: taken });
    await page.unroute(serverRequests);
    await waitForConnection(page, true, 60_000);

    await refusalOf(otherId).waitFor({ timeout: 60_000 });
    // Back to the server's CPF on the screen.
    const digitsOf = (text: string | null) => (text ?? '').replace(/\D/g, '');
    await expect.poll(async () => digitsOf(await rowOf(otherId).textContent()), { timeout: 60_000 }).toContain(String(other.taxId));
    expect(digitsOf(await rowOf(otherId).textContent())).not.toContain(taken);
    await screenshot(page, 'backoffice-refused-tax-id-1280');

    // "Corrigir" opens the refused version (the taken CPF) in the form; a fresh CPF is accepted and settles the refusal.
    await refusalOf(otherId).getByTestId(ids.refusalFix).click();
    expect(digitsOf(await byId(page, ids.customers.taxId).inputValue())).toBe(taken);
    const fresh = randomCpf();
    await byId(page, ids.customers.taxId).fill(fresh);
    await byId(page, ids.customers.save).click();
    await refusalOf(otherId).waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(async () => (await api.get('customers', otherId))?.taxId, { timeout: 60_000 }).toBe(fresh);
  });
});
