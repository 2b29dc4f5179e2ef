import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { WebHost } from '../../../build/web-host.ts';
import type { CentralServer } from './central-server.ts';
import type { RestClient } from './rest-client.ts';
import { login, pairStation, screenshot, waitForConnection, waitForPending } from './station-ui.ts';

/**
 * What the back-office e2e files (test/e2e/backoffice-*.test.ts) share: opening the back office as
 * `retaguarda` on a freshly paired station, picking Mantine options, calling the integration API, and
 * the two-width screenshots of the UI evidence.
 */

export const byId = (page: Page, id: string): Locator => page.getByTestId(id);

/** Picks an option of a Mantine Select (the `nth` one with this test id) by its visible label. */
export async function choose(page: Page, testId: string, label: string | RegExp, nth = 0): Promise<void> {
  await byId(page, testId).nth(nth).click();
  await page.getByRole('option', { name: label }).first().click();
}

/**
 * Pairs the page's station (loja1 / cx01) with the server at 1280 × 800 and signs `retaguarda` in,
 * online once (so the offline login and the back-office collections exist on the device); resolves
 * when it is online with nothing pending.
 */
export async function signInBackOffice(page: Page, parts: { ui: WebHost; server: CentralServer }): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(parts.ui.url);
  await pairStation(page, { serverUrl: parts.server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
  await login(page, 'retaguarda', 'retaguarda123');
  await waitForConnection(page, true);
  await waitForPending(page, (count) => count === 0);
}

/** signInBackOffice, then opens the "Retaguarda" menu (`navId`: TEST_IDS.backoffice.nav). */
export async function openBackOffice(page: Page, parts: { ui: WebHost; server: CentralServer; navId: string }): Promise<void> {
  await signInBackOffice(page, parts);
  await byId(page, parts.navId).click();
}

/**
 * A caller of the integration API as the back-office user (a fresh Idempotency-Key per call): asserts
 * a 2xx answer (the failure message names the route and the answer) and resolves to its JSON body.
 */
export function integrationCaller(server: CentralServer, api: RestClient): (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>> {
  return async (method, path, body) => {
    const { token } = await api.login();
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

/** Screenshots `<name>-1280` and `<name>-1024` (the two widths the UI is checked at), back at 1280 × 800 after. */
export async function screenshotWidths(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, `${name}-1024`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * A day YYYY-MM-DD as a pt-BR user types it and the back office shows it (dd/mm/aaaa): '2026-11-03' →
 * '03/11/2026'. For days of the billing periods counted from today (test/server/support/periods.ts).
 */
export function typedDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}
