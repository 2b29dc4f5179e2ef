/** Drives the design screens the way a designer, back office user or reviewer does (issue 4). */
import type { Locator, Page } from 'playwright-core';
import { TEST_IDS } from '../../../renderer/test-ids.ts';
import { confirmAction, waitForGone } from './station-ui.ts';

const ids = TEST_IDS.design;
const byId = (page: Page, id: string): Locator => page.getByTestId(id);
const sel = (id: string, attrs: Record<string, string | number> = {}) =>
  `[data-testid="${id}"]${Object.entries(attrs).map(([key, value]) => `[data-${key}="${value}"]`).join('')}`;

/** Counts the native notifications the web bridge raises (window.Notification) from the next load on. */
export async function recordNativeNotifications(page: Page): Promise<void> {
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const Native = window.Notification;
    const seen: string[] = [];
    (window as unknown as { __nativeNotices: string[] }).__nativeNotices = seen;
    class Recorded extends Native {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        seen.push(title);
      }
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Native.permission });
    window.Notification = Recorded as typeof Notification;
  });
}

export const nativeNotifications = (page: Page): Promise<string[]> =>
  page.evaluate(() => [...((window as unknown as { __nativeNotices?: string[] }).__nativeNotices ?? [])]);

export async function openProjects(page: Page): Promise<void> {
  await byId(page, ids.nav.projects).click();
}

export async function registerPortalAccount(page: Page, input: { taxId: string; accountId: string; portalUrl: string }): Promise<string> {
  await byId(page, ids.nav.portal).click();
  await byId(page, ids.portal.taxId).fill(input.taxId);
  await byId(page, ids.portal.accountId).fill(input.accountId);
  await byId(page, ids.portal.url).fill(input.portalUrl);
  await byId(page, ids.portal.submit).click();
  const secret = byId(page, ids.portal.secret);
  await secret.waitFor({ timeout: 30_000 });
  return (await secret.textContent())!.trim();
}

export async function linkDesignSoftware(page: Page, login: string, password: string): Promise<void> {
  await byId(page, ids.nav.link).click();
  await byId(page, ids.link.login).fill(login);
  await byId(page, ids.link.password).fill(password);
  await byId(page, ids.link.submit).click();
}

export const linkStatus = (page: Page): Locator => byId(page, ids.link.status);

/** Creates a project through the form; returns the id the device gave it (the project page opens). */
export async function createProject(page: Page, name: string, customerName: string): Promise<string> {
  await openProjects(page);
  await byId(page, ids.projects.add).click();
  await byId(page, ids.projects.name).fill(name);
  await byId(page, ids.projects.customer).fill(customerName);
  await page.getByRole('option', { name: new RegExp(customerName) }).first().click();
  await byId(page, ids.projects.save).click();
  const project = page.locator(sel(ids.project.page));
  await project.waitFor();
  return (await project.getAttribute('data-project-id'))!;
}

export async function openProject(page: Page, projectId: string): Promise<void> {
  await openProjects(page);
  await page.locator(sel(ids.projects.row, { 'project-id': projectId })).getByRole('button').first().click();
  await page.locator(sel(ids.project.page, { 'project-id': projectId })).waitFor();
}

/** Starts creating an environment (background, DES-04); does not wait for it. */
export async function startEnvironment(page: Page, name: string): Promise<void> {
  await byId(page, ids.project.newEnvironmentName).fill(name);
  await byId(page, ids.project.newEnvironment).click();
  await page.waitForFunction((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement | null)?.value === '', ids.project.newEnvironmentName);
}

export const environmentCard = (page: Page, name: string): Locator => page.locator(sel(ids.project.environment), { hasText: name });

export async function environmentIdOf(page: Page, name: string): Promise<string> {
  return (await environmentCard(page, name).getAttribute('data-environment-id'))!;
}

export async function openEnvironment(page: Page, name: string): Promise<void> {
  await environmentCard(page, name).getByTestId(ids.project.environmentOpen).click();
  await page.locator(sel(ids.environment.page)).waitFor();
}

/** The update dialog is open: reads the item-by-item changes and confirms. */
export async function confirmUpdate(page: Page): Promise<{ kind: string; key: string }[]> {
  await byId(page, ids.update.modal).waitFor();
  const changes = await page.locator(sel(ids.update.change)).evaluateAll((rows) => rows.map((row) => ({ kind: row.getAttribute('data-kind')!, key: row.getAttribute('data-key')! })));
  await byId(page, ids.update.confirm).click();
  await waitForGone(byId(page, ids.update.modal));
  return changes;
}

export async function openTab(page: Page, tab: 'tabItems' | 'tabVersions' | 'tabApprove' | 'tabHistory'): Promise<void> {
  await byId(page, ids.environment[tab]).click();
}

export async function addHandItem(page: Page, description: string, quantity: number, price: string): Promise<void> {
  await openTab(page, 'tabItems');
  await byId(page, ids.environment.itemDescription).fill(description);
  await byId(page, ids.environment.itemQuantity).fill(String(quantity));
  await byId(page, ids.environment.itemPrice).fill(price);
  await byId(page, ids.environment.itemAdd).click();
  await page.locator(sel(ids.environment.item), { hasText: description }).waitFor();
}

export interface ItemRow {
  id: string;
  origin: string;
  code: string;
  quantity: number;
  totalCents: number;
  pending: string;
  text: string;
}

export async function items(page: Page): Promise<ItemRow[]> {
  await openTab(page, 'tabItems');
  return page.locator(sel(ids.environment.item)).evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-item-id')!,
      origin: row.getAttribute('data-origin')!,
      code: row.getAttribute('data-code')!,
      quantity: Number(row.getAttribute('data-quantity')),
      totalCents: Number(row.getAttribute('data-total-cents')),
      pending: row.getAttribute('data-pending')!,
      text: row.textContent ?? '',
    })),
  );
}

export interface VersionRow {
  number: number;
  newest: boolean;
  converted: boolean;
  designId: string;
  afterConversion: boolean;
  text: string;
}

export async function versions(page: Page): Promise<VersionRow[]> {
  await openTab(page, 'tabVersions');
  return page.locator(sel(ids.environment.version)).evaluateAll((rows) =>
    rows.map((row) => ({
      number: Number(row.getAttribute('data-number')),
      newest: row.getAttribute('data-newest') === 'true',
      converted: row.getAttribute('data-converted') === 'true',
      designId: row.getAttribute('data-design-id')!,
      afterConversion: row.getAttribute('data-after-conversion') === 'true',
      text: row.textContent ?? '',
    })),
  );
}

export async function approve(page: Page): Promise<void> {
  await openTab(page, 'tabApprove');
  await byId(page, ids.environment.approve).click();
  await confirmAction(page);
}

export const approval = (page: Page): Locator => byId(page, ids.environment.approval);

export async function waitForApproval(page: Page, state: 'waiting' | 'refused' | 'approved', timeout = 30_000): Promise<Locator> {
  await openTab(page, 'tabApprove');
  const locator = page.locator(sel(ids.environment.approval, { state }));
  await locator.waitFor({ timeout });
  return locator;
}

export const notice = (page: Page, environmentId: string, revision: number): Locator =>
  page.locator(sel(ids.notice, { 'environment-id': environmentId, revision })).first();

export { ids as designIds, sel };
