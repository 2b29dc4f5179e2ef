import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { ptBR } from '../../renderer/i18n/pt-BR.ts';
import { login, pairStation, screenshot, submitLogin, type PairingInput, waitForGone, waitForProductsCount } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';

/** Pairing and login refusals say what to do; a station only ever sees its own store's data. */

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function submitPairing(page: Page, input: PairingInput): Promise<string> {
  await page.getByTestId(TEST_IDS.setup.serverUrl).fill(input.serverUrl);
  await page.getByTestId(TEST_IDS.setup.storeCode).fill(input.storeCode);
  await page.getByTestId(TEST_IDS.setup.stationCode).fill(input.stationCode);
  await page.getByTestId(TEST_IDS.setup.pairingCode).fill(input.pairingCode);
  await page.getByTestId(TEST_IDS.setup.submit).click();
  const error = page.getByTestId(TEST_IDS.setup.error);
  await error.waitFor();
  return (await error.textContent()) ?? '';
}

/** Nobody listens there; the page may call it (its CSP names it), so the refusal comes from the network. */
const deadServerUrl = await closedPortUrl();

describe('pairing and store scoping', () => {
  let page: Page;
  let uiUrl = '';

  const { server } = oneStation({
    alsoReach: [deadServerUrl],
    ready: async (started) => {
      ({ page } = started);
      uiUrl = started.ui.url;
      await page.goto(started.ui.url);
      await page.getByTestId(TEST_IDS.setup.form).waitFor();
    },
  });

  it('POS-04 a wrong pairing code is refused with a message that says what to do', async () => {
    const message = await submitPairing(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx02', pairingCode: 'cx01-pair' });
    expect(message).toContain(ptBR.errors.invalid_pairing);
    await screenshot(page, 'pairing-refused');
  });

  it('POS-04 a server address nobody answers on is refused with a message', async () => {
    const message = await submitPairing(page, { serverUrl: deadServerUrl, storeCode: 'loja1', stationCode: 'cx02', pairingCode: 'cx02-pair' });
    expect(message).toContain(ptBR.errors.server_unreachable);
  });

  it('POS-04 a plain-http address of another computer, or one with credentials or a path, is refused at the field before anything is sent', async () => {
    const requested: string[] = [];
    const onRequest = (request: { url(): string }) => requested.push(request.url());
    page.on('request', onRequest);
    const fieldError = page.getByTestId(TEST_IDS.setup.serverUrlError);
    const cases = [
      ['http://192.168.0.10:4010', ptBR.errors.insecure_server_url],
      ['https://admin:senha@servidor.loja.com.br', ptBR.errors.invalid_server_url],
      ['https://servidor.loja.com.br/api?x=1', ptBR.errors.invalid_server_url],
    ] as const;
    for (const [serverUrl, message] of cases) {
      await page.getByTestId(TEST_IDS.setup.serverUrl).fill(serverUrl);
      await page.getByTestId(TEST_IDS.setup.storeCode).fill('loja1');
      await page.getByTestId(TEST_IDS.setup.stationCode).fill('cx02');
      await page.getByTestId(TEST_IDS.setup.pairingCode).fill('cx02-pair');
      await page.getByTestId(TEST_IDS.setup.submit).click();
      await expect.poll(() => fieldError.textContent(), { message: serverUrl }).toBe(message);
    }
    page.off('request', onRequest);
    expect(requested.filter((url) => !url.startsWith(uiUrl))).toEqual([]);
    await screenshot(page, 'pairing-http-refused');
  });

  it("the page may call its own server only: the host's policy blocks any other address", async () => {
    const other = await closedPortUrl();
    const outcome = await page.evaluate(async (url) => {
      const violation = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (event) => resolve(`${event.effectiveDirective} ${event.blockedURI}`), { once: true }),
      );
      const failed = await fetch(`${url}/health`).then(
        () => false,
        () => true,
      );
      return { failed, violation: await violation };
    }, other);
    expect(outcome).toEqual({ failed: true, violation: `connect-src ${other}/health` });
  });

  it('POS-04 POS-03 a station of the second store pairs, refuses a wrong password, and receives only its own 50 products', async () => {
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja2', stationCode: 'cx01', pairingCode: 'loja2-cx01-pair' });

    // A loja1 user does not exist in loja2.
    await submitLogin(page, 'caixa', 'caixa123');
    const error = page.getByTestId(TEST_IDS.login.error);
    await error.waitFor();
    expect(await error.textContent()).toContain(ptBR.errors.invalid_credentials);

    await login(page, 'admin', 'admin123');
    expect(await waitForProductsCount(page, 50)).toBe(50);
    await waitForGone(page.getByTestId(TEST_IDS.products.firstSyncProgress));
    // The count badge can render a frame before the list does.
    await page.getByTestId(TEST_IDS.products.row).first().waitFor();
    const ids = await page.getByTestId(TEST_IDS.products.row).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-product-id')));
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(id).toMatch(/^n-\d{5}$/);
    await screenshot(page, 'loja2-products');
  });
});
