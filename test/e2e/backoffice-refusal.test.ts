import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { screenshot, waitForConnection, waitForGone, waitForPending } from './support/station-ui.ts';
import { byId, choose, integrationCaller, openBackOffice, screenshotWidths } from './support/backoffice-ui.ts';
import { randomCpf } from './support/tax-ids.ts';
import { oneStation } from './support/one-station.ts';
import { FAST_SYNC_RETRY_MS } from './support/web-ui.ts';
import { eventually } from './support/eventually.ts';

/**
 * Issue 11's acceptance 5, end to end: a real server on PGlite, the built UI in Chromium, the back
 * office user `retaguarda`. Usage is entered offline for a contract the server cancels meanwhile; the
 * server refuses it with its reason, the device shows that refusal, and the user fixes it (one record
 * moved to the customer's other contract, one removed) — the fix reaches the server and settles the
 * refusal. The tests form one story and run in order.
 */

const ids = TEST_IDS.backoffice;
describe('issue 11: back office acceptance 5, usage refused after a cancellation', () => {
  let ui: WebHost;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const service = { id: `svc-${stamp}`, code: `MIN-${stamp}` };
  const cancelled = { id: '', code: `CT-OLD-${stamp}` };
  const replacement = { id: '', code: `CT-NEW-${stamp}` };
  const records: { id: string; quantity: string }[] = [{ id: '', quantity: '70' }, { id: '', quantity: '45' }];
  // The server is stopped and started again: the page finds it without sitting out the app's backoff.
  const { server, api } = oneStation({ logBrowserErrors: true, syncRetryMs: FAST_SYNC_RETRY_MS, ready: (station) => void ({ ui, page } = station) });

  const call = integrationCaller(server, api);
  const serverRecord = async (id: string) => (await api.listAll('consumption')).filter((doc) => doc.id === id).at(-1) ?? null;
  /** The store's open integration errors, as the admin sees them. */
  const openErrors = async () => {
    const { token } = await api.login();
    return (await (await fetch(`${server.url}/api/sync/errors`, { headers: { authorization: `Bearer ${token}` } })).json()) as { documentId: string; reason: string }[];
  };
  const refusal = (id: string) => page.locator(`[data-testid="${ids.refusals}"] [data-document-id="${id}"]`);

  it('BO-04 BO-03 usage entered offline for a contract cancelled meanwhile on the server is refused with its reason, shown on the device', async () => {
    // A customer with two active contracts of the same service, made by the integrator.
    const customer = await call('POST', '/api/v1/billing/customers', { name: `Cliente Cancelado ${stamp}`, taxId: randomCpf() });
    await api.put('backoffice', { id: service.id, kind: 'service', code: service.code, name: 'Minutos', active: true, monthlyFeeCents: 1990, unit: 'min', unitPriceCents: 7, updatedAt: new Date().toISOString() });
    for (const contract of [cancelled, replacement]) {
      const created = await call('POST', '/api/v1/billing/contracts', { code: contract.code, customerId: customer.id, startDate: '2026-10-01', billingDay: 10, lines: [{ serviceId: service.id, quantity: 1 }] });
      contract.id = String(created.id);
      await call('POST', `/api/v1/billing/contracts/${contract.id}/activate`, {});
    }

    await openBackOffice(page, { ui, server, navId: ids.nav });
    await byId(page, ids.tab.consumption).click();

    // Offline: two usage records for the contract, still active as far as this device knows.
    await server.stop();
    await waitForConnection(page, false);
    for (const [index, record] of records.entries()) {
      await byId(page, ids.consumption.add).click();
      await choose(page, ids.consumption.contract, cancelled.code);
      await choose(page, ids.consumption.service, new RegExp(service.code));
      await byId(page, ids.consumption.quantity).fill(record.quantity);
      await byId(page, ids.consumption.date).fill(`2${index}/11/2026`);
      await byId(page, ids.consumption.save).click();
      await waitForGone(byId(page, ids.consumption.save));
      const row = page.locator(`[data-testid="${ids.consumption.row}"][data-quantity="${record.quantity}"]`);
      await row.waitFor();
      record.id = (await row.getAttribute('data-record-id'))!;
    }

    // The device stays cut off while the back office cancels the contract on the server, effective before the usage.
    const serverRequests = `${server.url}/**`;
    await page.route(serverRequests, (route) => route.abort('internetdisconnected'));
    await server.start();
    await call('POST', `/api/v1/billing/contracts/${cancelled.id}/cancel`, { reason: 'Cliente mudou de plano', effectiveDate: '2026-11-15' });
    await page.unroute(serverRequests);
    await waitForConnection(page, true, 60_000);
    await waitForPending(page, (count) => count === 0, 60_000);

    // Refused with its reason, kept on the server as an integration error, nothing recorded for the cancelled contract.
    for (const record of records) {
      await refusal(record.id).waitFor({ timeout: 60_000 });
      expect(await refusal(record.id).textContent()).toContain('O contrato foi cancelado antes da data do consumo');
      // The detail in pt-BR too (the device's rules on the kept record), not the server's English.
      await expect.poll(() => refusal(record.id).textContent()).toContain('a partir de 15/11/2026');
      expect(await refusal(record.id).textContent()).not.toMatch(/cancelled effective/);
      expect(await serverRecord(record.id)).toBeNull();
    }
    const open = await openErrors();
    expect(records.map((record) => open.find((entry) => entry.documentId === record.id)?.reason)).toEqual(['contract_cancelled', 'contract_cancelled']);
    // The record is still on the device, never dropped; the contract shows cancelled.
    expect(await byId(page, ids.consumption.row).count()).toBe(2);
    // A line's ways out sit on one row: "Tentar de novo" beside "Corrigir lançamento" and "Excluir lançamento".
    const line = refusal(records[0]!.id);
    const tops = await Promise.all([ids.refusalRetry, ids.consumption.fixRefused, ids.consumption.removeRefused].map(async (id) => (await line.locator(`[data-testid="${id}"]`).boundingBox())!.y));
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(4);
    await screenshotWidths(page, 'bo-04-refused-cancelled');
  });

  it('BO-04 the user fixes the refusals on the device: one record moved to the other contract, one removed; the fix reaches the server and the refusals are settled', async () => {
    // Kept on the cancelled contract, the device's own rules refuse it at once, in pt-BR.
    await byId(page, ids.consumption.fixRefused).and(page.locator(`[data-record-id="${records[0]!.id}"]`)).click();
    await byId(page, ids.consumption.save).click();
    await byId(page, ids.consumption.error).waitFor();
    expect(await byId(page, ids.consumption.error).textContent()).toContain('O contrato foi cancelado a partir de 15/11/2026');
    await screenshotWidths(page, 'bo-04-fix-refused');
    // Moved to the customer's other contract: the service is kept, since that contract has it too.
    await choose(page, ids.consumption.contract, replacement.code);
    await byId(page, ids.consumption.save).click();
    await waitForGone(byId(page, ids.consumption.save));

    await byId(page, ids.consumption.removeRefused).and(page.locator(`[data-record-id="${records[1]!.id}"]`)).click();
    await waitForPending(page, (count) => count === 0, 60_000);

    const moved = await eventually(() => serverRecord(records[0]!.id), 'the moved record on the server', 60_000);
    expect(moved).toMatchObject({ contractId: replacement.id, serviceId: service.id, quantity: 70, date: '2026-11-20' });
    const removed = await serverRecord(records[1]!.id);
    expect(removed === null || removed._deleted === true).toBe(true);
    expect((await api.listAll('consumption')).filter((doc) => doc.contractId === cancelled.id && !doc._deleted)).toEqual([]);

    // Both refusals settled: gone from the screen (and resolved on the server).
    await expect.poll(() => page.locator(`[data-testid="${ids.refusals}"]`).count(), { timeout: 60_000 }).toBe(0);
    expect(await byId(page, ids.consumption.row).count()).toBe(1);
    expect((await openErrors()).filter((entry) => records.some((record) => record.id === entry.documentId))).toEqual([]);
    await screenshot(page, 'bo-04-refusals-fixed-1280');
  });
});
