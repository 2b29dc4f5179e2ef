import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { WEBHOOKS_IDS } from '../../renderer/ui/admin/test-ids.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { Receiver } from '../server/webhooks/receiver.ts';
import { eventually } from './support/eventually.ts';
import { oneStation } from './support/one-station.ts';
import { confirmAction, login, pairStation, waitForConnection } from './support/station-ui.ts';
import { settledScreenshot } from './support/admin-screens.ts';

/**
 * Issue 13, API-02: the store administrator manages webhook subscriptions in the app — creates one
 * (secret shown once), sends a test that a real receiver verifies with the standardwebhooks package,
 * reads the delivery log (a failed attempt with its status), redelivers (same webhook-id, dropped as a
 * duplicate by the receiver), pauses (and sees why), resumes, rotates the secret and deletes — in
 * Chromium, against a real server whose delivery worker runs by itself.
 */
describe('admin: webhook subscriptions screen', () => {
  let ui: WebHost;
  let page: Page;
  let receiver: Receiver;
  const { server } = oneStation({ logBrowserErrors: true, ready: (station) => void ({ ui, page } = station) });
  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const byId = (id: string) => page.getByTestId(id);
  const card = () => page.locator(`[data-testid="${WEBHOOKS_IDS.row}"]`).first();
  const refreshLog = async () => {
    await byId(WEBHOOKS_IDS.logRefresh).click();
  };

  it('API-02 the admin creates a subscription, tests it, reads the delivery log, redelivers, pauses (with the reason), resumes, rotates the secret and deletes it', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui.url);
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    await login(page, 'admin', 'admin123');
    await waitForConnection(page, true);

    await byId(WEBHOOKS_IDS.nav).click();
    await byId(WEBHOOKS_IDS.page).waitFor();
    expect(await byId(WEBHOOKS_IDS.page).getAttribute('data-count')).toBe('0');

    // The form says what is missing and sends nothing.
    await byId(WEBHOOKS_IDS.create).click();
    await byId(WEBHOOKS_IDS.save).click();
    expect(await byId(WEBHOOKS_IDS.formError).textContent()).toContain('Informe o endereço');
    await byId(WEBHOOKS_IDS.url).fill(receiver.url);
    await byId(`${WEBHOOKS_IDS.event}-contract.changed`).check();
    await byId(`${WEBHOOKS_IDS.event}-stock.below_level`).check();
    await byId(WEBHOOKS_IDS.save).click();
    expect(await byId(WEBHOOKS_IDS.formError).textContent()).toContain('nível de estoque');
    await byId(WEBHOOKS_IDS.stockLevel).fill('5');
    await settledScreenshot(page, 'admin-webhooks-form-1280');
    await byId(WEBHOOKS_IDS.save).click();

    // The signing secret, once.
    const secret = (await byId(WEBHOOKS_IDS.secret).textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];
    await byId(WEBHOOKS_IDS.secretDone).click();
    await byId(WEBHOOKS_IDS.secret).waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    await card().waitFor();
    expect(await card().getAttribute('data-status')).toBe('active');
    // Who made it, by name (not the user id).
    expect(await card().getByTestId(WEBHOOKS_IDS.owner).textContent()).toBe('Ana Admin');
    expect(await card().textContent()).toContain('Contrato alterado');
    expect(await card().textContent()).toContain('Estoque abaixo do nível < 5');

    // A test message reaches the receiver, signed with that secret.
    await byId(WEBHOOKS_IDS.ping).click();
    const first = await eventually(async () => [...receiver.unique.values()].find((message) => message.payload.type === 'webhook.ping'), 'the test message at the receiver');
    expect(first.verifiedWith).toBe(0);

    // The log shows it delivered, and the attempt with the receiver's answer.
    await byId(WEBHOOKS_IDS.log).click();
    await byId(WEBHOOKS_IDS.logPanel).waitFor();
    const delivered = page.locator(`[data-testid="${WEBHOOKS_IDS.message}"][data-message-id="${first.id}"]`);
    await eventually(async () => {
      await refreshLog();
      return (await delivered.getAttribute('data-state', { timeout: 2_000 }).catch(() => null)) === 'delivered';
    }, 'the message shown delivered');
    await page.getByRole('tab', { name: 'Tentativas' }).click();
    await page.locator(`[data-testid="${WEBHOOKS_IDS.attempt}"][data-message-id="${first.id}"][data-status="204"]`).waitFor();

    // A receiver that fails: the attempt is in the log with its status, the message waits for a retry.
    receiver.answer = () => 500;
    await page.keyboard.press('Escape');
    await byId(WEBHOOKS_IDS.logPanel).waitFor({ state: 'detached' });
    const sentBefore = receiver.all.length;
    await byId(WEBHOOKS_IDS.ping).click();
    await eventually(async () => receiver.all.length > sentBefore, 'the second test at the receiver');
    const failedId = receiver.all.at(-1)!.id;
    await byId(WEBHOOKS_IDS.log).click();
    await page.getByRole('tab', { name: 'Tentativas' }).click();
    const failedAttempt = page.locator(`[data-testid="${WEBHOOKS_IDS.attempt}"][data-message-id="${failedId}"][data-status="500"]`);
    await eventually(async () => {
      await refreshLog();
      return (await failedAttempt.count()) > 0;
    }, 'the failed attempt in the log');
    await page.getByRole('tab', { name: 'Mensagens' }).click();
    const waiting = page.locator(`[data-testid="${WEBHOOKS_IDS.message}"][data-message-id="${failedId}"]`);
    expect(await waiting.getAttribute('data-state')).toBe('pending');
    expect(await waiting.textContent()).toContain('próxima tentativa');
    await settledScreenshot(page, 'admin-webhooks-log-1280');
    await page.setViewportSize({ width: 1024, height: 768 });
    await settledScreenshot(page, 'admin-webhooks-log-1024');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Fixed receiver: redeliver sends it now, same webhook-id; redelivering a delivered one is a duplicate the receiver drops.
    receiver.answer = () => 204;
    await waiting.getByTestId(WEBHOOKS_IDS.redeliver).click();
    await eventually(async () => receiver.unique.has(failedId), 'the redelivered message at the receiver');
    const copies = receiver.all.filter((message) => message.id === first.id).length;
    await delivered.getByTestId(WEBHOOKS_IDS.redeliver).click();
    await eventually(async () => receiver.all.filter((message) => message.id === first.id).length > copies, 'the duplicate at the receiver');
    expect([...receiver.unique.keys()].filter((id) => id === first.id)).toHaveLength(1);
    await eventually(async () => {
      await refreshLog();
      return (await waiting.getAttribute('data-state')) === 'delivered';
    }, 'the redelivered message shown delivered');
    await page.keyboard.press('Escape');
    await byId(WEBHOOKS_IDS.logPanel).waitFor({ state: 'detached' });

    // Pause: the card says paused, by whom, and that events keep queuing; nothing is sent.
    await byId(WEBHOOKS_IDS.pause).click();
    await page.locator(`[data-testid="${WEBHOOKS_IDS.row}"][data-status="paused"]`).waitFor();
    const reason = byId(WEBHOOKS_IDS.pauseReason);
    expect(await reason.getAttribute('data-kind')).toBe('manual');
    expect(await reason.textContent()).toContain('Pausada por Ana Admin');
    const beforePausedPing = receiver.all.length;
    await byId(WEBHOOKS_IDS.ping).click();
    await byId(WEBHOOKS_IDS.refresh).click();
    await card().getByText('1 aguardando').waitFor();
    await settledScreenshot(page, 'admin-webhooks-paused-1280');
    await page.setViewportSize({ width: 1024, height: 768 });
    await settledScreenshot(page, 'admin-webhooks-paused-1024');

    // In English too.
    await byId(TEST_IDS.shell.userMenu).click();
    await byId(TEST_IDS.shell.languageEn).click();
    await reason.getByText('Paused by Ana Admin').waitFor();
    await settledScreenshot(page, 'admin-webhooks-paused-en-1024');
    await byId(TEST_IDS.shell.userMenu).click();
    await byId(TEST_IDS.shell.languagePt).click();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Resume: what waited is sent.
    await byId(WEBHOOKS_IDS.resume).click();
    await page.locator(`[data-testid="${WEBHOOKS_IDS.row}"][data-status="active"]`).waitFor();
    expect(await byId(WEBHOOKS_IDS.pauseReason).count()).toBe(0);
    await eventually(async () => receiver.all.length > beforePausedPing, 'the message that waited during the pause');

    // Rotate: a new secret, shown once; the next message verifies with it.
    await byId(WEBHOOKS_IDS.rotate).click();
    await confirmAction(page);
    const rotated = (await byId(WEBHOOKS_IDS.secret).textContent())?.trim() ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await page.getByText('O segredo anterior continua assinando até').count()).toBe(1);
    await byId(WEBHOOKS_IDS.secretDone).click();
    receiver.secrets = [rotated];
    const beforeRotatedPing = receiver.all.length;
    await byId(WEBHOOKS_IDS.ping).click();
    const afterRotation = await eventually(async () => receiver.all.slice(beforeRotatedPing).find((message) => message.payload.type === 'webhook.ping'), 'a test after the rotation');
    expect(afterRotation.verifiedWith).toBe(0);

    // Delete, after asking.
    await byId(WEBHOOKS_IDS.remove).click();
    await confirmAction(page);
    await card().waitFor({ state: 'detached' });
    expect(await byId(WEBHOOKS_IDS.page).getAttribute('data-count')).toBe('0');
  });
});
