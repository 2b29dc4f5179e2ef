import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import type { DesignEnvironmentDoc } from '../../sync/schema/index.ts';
import { startDesignSimulator, type DesignSimulator } from '../design-sim/simulator.ts';
import { DesignApi } from './support/design-api.ts';
import {
  approve,
  confirmUpdate,
  createProject,
  designIds as ids,
  environmentCard,
  environmentIdOf,
  items,
  linkDesignSoftware,
  notice,
  openEnvironment,
  openProjects,
  sel,
  startEnvironment,
  versions,
  waitForApproval,
} from './support/design-ui.ts';
import { addCustomer, login, pairStation, screenshot, waitForGone } from './support/station-ui.ts';
import { randomCpf } from './support/tax-ids.ts';
import { oneStation } from './support/one-station.ts';

/**
 * The design flows around the acceptance story, in Chromium against a real server and the simulator:
 * linking again after a password change (DES-02), negotiate (DES-06), a legacy project (DES-15) and a
 * technical-assistance occurrence (DES-16).
 */
async function eventuallyVersions(page: Page, count: number, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const rows = await versions(page);
    if (rows.length === count) return rows;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} version(s); ${rows.length} shown.`);
    await page.waitForTimeout(250);
  }
}

describe('issue 4: design flows', () => {
  let ui: WebHost;
  let page: Page;
  let sim: DesignSimulator;
  let customerName = '';
  let negotiated: { projectId: string; environmentId: string } | null = null;
  const PROJECT = 'Loja Nova';

  const { server, api } = oneStation({
    ready: async (station) => {
      ({ ui, page } = station);
      sim = await startDesignSimulator({ balcaoUrl: server.url, createDelayMs: 200 });
      await design.registerPortal({ accountId: sim.accountId, portalUrl: sim.url, signingSecret: sim.secret });
      await page.goto(ui.url);
      await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
      await login(page, 'projetista', 'projetista123');
      customerName = `Cliente Fluxos ${Date.now() % 100000}`;
      await addCustomer(page, { name: customerName, taxId: randomCpf() });
    },
    beforeClose: async () => {
      await sim?.close();
    },
  });
  const design = new DesignApi(() => server.url);

  const env = async (id: string) => (await api.get('designEnvironments', id)) as unknown as DesignEnvironmentDoc;

  it('DES-02 after a password change in the design software the designer sees "link again" and links again', async () => {
    await linkDesignSoftware(page, 'projetista', 'projetista-design');
    await page.locator(sel(ids.link.status, { status: 'linked' })).waitFor({ timeout: 30_000 });
    expect((await sim.setPassword('projetista', 'senha-nova-2')).status).toBe(200);
    await openProjects(page);
    await page.getByTestId(ids.nav.link).click();
    await page.locator(sel(ids.link.status, { status: 'relink' })).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId(ids.link.submit).textContent()).toContain('Vincular de novo');
    await screenshot(page, 'design-relink');
    await linkDesignSoftware(page, 'projetista', 'senha-nova-2');
    await page.locator(sel(ids.link.status, { status: 'linked' })).waitFor({ timeout: 30_000 });
  });

  it('DES-06 "Negotiate" delivers the items at once: the budget shows in the Items tab by origin and the answer opens the store system', async () => {
    const projectId = await createProject(page, PROJECT, customerName);
    await startEnvironment(page, 'Closet');
    await page.locator(sel(ids.project.environment, { status: 'ready' })).waitFor({ timeout: 30_000 });
    const environmentId = await environmentIdOf(page, 'Closet');
    const answer = await sim.negotiate(PROJECT, 'Closet');
    expect(answer.status).toBe(200);
    expect(String(answer.body.openUrl)).toContain(environmentId);
    await environmentCard(page, 'Closet').and(page.locator('[data-versions="1"][data-outdated="false"]')).waitFor({ timeout: 30_000 });
    await openEnvironment(page, 'Closet');
    const rows = await items(page);
    const sent = sim.findEnvironment(PROJECT, 'Closet').saves[0]!.items;
    expect(rows.map((row) => row.code).sort()).toEqual(sent.map((item) => item.code).sort());
    expect(rows.every((row) => row.origin === 'design')).toBe(true);
    const stored = await env(environmentId);
    expect(Number(await page.getByTestId(ids.environment.total).getAttribute('data-cents'))).toBe(stored.budget.totalCents);
    expect(stored.budget.totalCents).toBeGreaterThan(0);
    await screenshot(page, 'design-negotiated-items');

    // The answer's link opens the store system at that environment (the browser host takes it as #open=<link>).
    await page.getByTestId(ids.nav.projects).click();
    await waitForGone(page.locator(sel(ids.environment.page)));
    await page.evaluate((link) => {
      window.location.hash = `open=${encodeURIComponent(link)}`;
    }, String(answer.body.openUrl));
    await page.locator(sel(ids.environment.page, { 'environment-id': environmentId })).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    negotiated = { projectId, environmentId };
  });

  it('DES-16 a reviewed environment opens a technical-assistance occurrence on a copy; its saves notify the occurrence', async () => {
    const { projectId, environmentId } = negotiated!;
    await approve(page);
    await waitForApproval(page, 'approved');
    await design.act('backoffice', 'releaseContract', { projectId });
    await design.act('reviewer', 'startReview', { projectId });
    await design.act('reviewer', 'finishReview', { projectId });
    await page.locator(sel(ids.environment.page, { 'environment-id': environmentId, stage: 'reviewed' })).waitFor({ timeout: 30_000 });

    await page.getByTestId(ids.environment.occurrenceSource).click();
    await page.getByRole('option', { name: /cópia deste ambiente/ }).click();
    await page.getByTestId(ids.environment.occurrenceCreate).click();
    const occurrenceName = 'Closet ocorrência: 1';
    await environmentCard(page, occurrenceName).and(page.locator('[data-status="ready"]')).waitFor({ timeout: 30_000 });
    const occurrenceId = await environmentIdOf(page, occurrenceName);
    expect(sim.findEnvironment(PROJECT, occurrenceName).copyOf).toBe((await env(environmentId)).designEnvironmentId);
    expect((await sim.save(PROJECT, occurrenceName)).status).toBe(200);
    await notice(page, occurrenceId, 1).waitFor({ timeout: 30_000 });
    expect(await notice(page, occurrenceId, 1).textContent()).toContain(occurrenceName);
    await screenshot(page, 'design-occurrence');
    // The reviewed original stays locked.
    expect((await sim.save(PROJECT, 'Closet')).status).toBe(409);
    expect(((await api.get('designProjects', projectId)) as { history: { kind: string }[] }).history.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['occurrence_created', 'purchase_orders_created']));
  });

  it('DES-15 a legacy design project is linked to a new store project and brings its environments', async () => {
    const legacy = sim.createLegacyProject('Reforma 2019', ['Sala', 'Varanda']);
    await openProjects(page);
    await page.getByTestId(ids.projects.add).click();
    await page.getByTestId(ids.projects.name).fill('Reforma antiga');
    await page.getByTestId(ids.projects.customer).fill(customerName);
    await page.getByRole('option', { name: new RegExp(customerName) }).first().click();
    await page.getByTestId(ids.projects.legacyId).fill(legacy.designProjectId);
    await page.getByTestId(ids.projects.save).click();
    const project = page.locator(sel(ids.project.page));
    await project.waitFor();
    const projectId = (await project.getAttribute('data-project-id'))!;
    await page.locator(sel(ids.project.page, { 'project-id': projectId, stage: 'negotiating' })).waitFor({ timeout: 30_000 });
    await environmentCard(page, 'Sala').and(page.locator('[data-status="ready"]')).waitFor({ timeout: 30_000 });
    await environmentCard(page, 'Varanda').and(page.locator('[data-status="ready"]')).waitFor({ timeout: 30_000 });
    const stored = (await api.get('designProjects', projectId)) as { legacy: boolean; designProjectId: string };
    expect(stored).toMatchObject({ legacy: true, designProjectId: legacy.designProjectId });
    await screenshot(page, 'design-legacy');
    // Its latest save waits to be imported, like any save: the yellow mark, then version 1 from the refresh icon.
    await environmentCard(page, 'Sala').and(page.locator('[data-outdated="true"]')).waitFor();
    await environmentCard(page, 'Sala').getByTestId(ids.project.refresh).click();
    await confirmUpdate(page);
    const imported = await eventuallyVersions(page, 1);
    expect(imported[0]).toMatchObject({ number: 1, newest: true, designId: sim.findEnvironment(legacy.designProjectId, 'Sala').saves[0]!.designId });
  });
});
