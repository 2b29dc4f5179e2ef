import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { createVerifier } from '../../renderer/core/offline-login.ts';
import type { LoginResponse, PairResponse } from '../../sync/schema/index.ts';
import { launchDevice, type Device } from './support/browser.ts';
import { CentralServer } from './support/central-server.ts';
import { reportFailures } from './support/failure-report.ts';
import { login, logout, openProducts, pairStation, waitForConnection, waitForPending, waitForProductsCount } from './support/station-ui.ts';
import { startUi } from './support/web-ui.ts';

/**
 * Whoever copies a station's browser profile, or runs a script in its page, must not find a live
 * session token there: not in IndexedDB, localStorage, sessionStorage or the bridge's settings, and
 * not in the profile's files. A real server, the built UI, Chromium on a profile folder the test
 * keeps between two starts of the browser.
 */

/** Every string the page can read where things are kept: both web storages, every IndexedDB database, the caches. */
async function readableStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const found: string[] = [];
    const collect = async (value: unknown): Promise<void> => {
      if (typeof value === 'string') found.push(value);
      else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) found.push(new TextDecoder('latin1').decode(value as ArrayBuffer));
      else if (value instanceof Blob) found.push(await value.text());
      else if (Array.isArray(value)) for (const item of value) await collect(item);
      else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) await collect([key, item]);
    };
    for (const storage of [localStorage, sessionStorage]) {
      for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index)!;
        found.push(key, storage.getItem(key) ?? '');
      }
    }
    const settled = <T,>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    for (const info of await indexedDB.databases()) {
      const db = await settled(indexedDB.open(info.name!));
      found.push(`[indexeddb ${db.name}]`);
      for (const name of db.objectStoreNames) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        await collect(await settled(store.getAllKeys()));
        await collect(await settled(store.getAll()));
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) found.push(request.url, await ((await cache.match(request))?.text() ?? ''));
    }
    return found.join('\n');
  });
}

/** The files of the profile folder that hold `text`, as one-byte characters or as UTF-16 (both occur in Chromium's stores). */
function filesHolding(dir: string, text: string): string[] {
  const needles = [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')];
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return walk(path);
      if (!entry.isFile() || statSync(path).size > 200_000_000) return [];
      const bytes = readFileSync(path);
      return needles.some((needle) => bytes.includes(needle)) ? [relative(dir, path)] : [];
    });
  return walk(dir);
}

function loginAnswer(page: Page): Promise<Response> {
  return page.waitForResponse((response) => response.url().endsWith('/api/auth/login') && response.request().method() === 'POST' && response.ok());
}

describe('the session token is never kept in the clear', () => {
  const server = new CentralServer();
  let ui: WebHost;
  let device: Device | undefined;
  let page: Page | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'balcao-e2e-secrets-'));

  beforeAll(async () => {
    await server.start();
    ui = await startUi(server);
  });
  reportFailures(() => ({ device, page }));
  afterAll(async () => {
    await device?.close();
    await ui?.close();
    await server.dispose();
    rmSync(profile, { recursive: true, force: true });
  });

  it('after a login and after a logout it is nowhere in the profile: IndexedDB, localStorage, sessionStorage, settings, files', async () => {
    device = await launchDevice({ profile });
    page = await device.newPage();
    await page.goto(ui.url);
    await pairStation(page, { serverUrl: server.url, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    const answered = loginAnswer(page);
    await login(page, 'caixa', 'caixa123');
    const first = ((await (await answered).json()) as LoginResponse).token;
    await openProducts(page);
    expect(await waitForProductsCount(page, 2000)).toBe(2000);
    // Signed in and synchronising: the page holds the token, in memory.
    await waitForConnection(page, true);
    await waitForPending(page, (count) => count === 0);

    const signedIn = await readableStorage(page);
    // The search sees where the app keeps things: settings, the offline verifier, the catalogue in IndexedDB.
    expect(signedIn).toContain('loja1-cx01');
    expect(signedIn).toContain('PBKDF2-SHA256');
    expect(signedIn).toContain('p-01999');
    expect(signedIn).not.toContain(first);

    // The browser closes and writes everything down: the files hold the station, not the token.
    await device.close();
    device = undefined;
    expect(filesHolding(profile, 'loja1-cx01').length).toBeGreaterThan(0);
    expect(filesHolding(profile, first)).toEqual([]);

    // Started again on the same profile: no session to reopen, the cashier signs in, then out.
    device = await launchDevice({ profile });
    page = await device.newPage();
    await page.goto(ui.url);
    await page.getByTestId(TEST_IDS.login.form).waitFor();
    const again = loginAnswer(page);
    await login(page, 'caixa', 'caixa123');
    const second = ((await (await again).json()) as LoginResponse).token;
    await waitForConnection(page, true);
    expect(await readableStorage(page)).not.toContain(second);
    await logout(page);

    const signedOut = await readableStorage(page);
    expect(signedOut).toContain('PBKDF2-SHA256');
    for (const token of [first, second]) expect(signedOut).not.toContain(token);
    await device.close();
    device = undefined;
    for (const token of [first, second]) expect(filesHolding(profile, token)).toEqual([]);
  });

  it('POS-01 a profile written by an earlier version loses its clear token on the first start; the session goes on, the offline login stays', async () => {
    // What earlier versions left: the token in localStorage and inside the offline-login record.
    const pairing = (await (
      await fetch(`${server.url}/api/stations/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ storeCode: 'loja1', stationCode: 'cx02', pairingCode: 'cx02-pair' }),
      })
    ).json()) as PairResponse;
    const session = (await (
      await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: pairing.stationId, deviceKey: pairing.deviceKey }),
      })
    ).json()) as LoginResponse;
    const settings = { serverUrl: server.url, stationId: pairing.stationId, stationCode: pairing.stationCode, stationName: pairing.stationName, storeCode: 'loja1', storeName: pairing.store.name, language: 'pt-BR' };
    const record = { serverUrl: server.url, storeCode: 'loja1', userCode: 'caixa', verifier: await createVerifier('caixa123', 10_000), session, savedAt: new Date().toISOString() };
    const legacy: Record<string, string> = {
      'balcao.settings': JSON.stringify(settings),
      'balcao.secret.deviceKey': pairing.deviceKey,
      'balcao.secret.sessionToken': session.token,
      'balcao.current-session': JSON.stringify({ user: session.user, store: session.store, offline: false, expiresAt: session.expiresAt }),
      [`balcao.offline-login.${JSON.stringify([server.url, 'loja1', 'caixa'])}`]: JSON.stringify(record),
    };

    device = await launchDevice();
    await device.context.addInitScript((entries: Record<string, string>) => {
      if (localStorage.getItem('balcao.settings') !== null) return;
      for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
    }, legacy);
    page = await device.newPage();
    await page.goto(ui.url);
    // The session reopens with the old token, now held in the page's memory only.
    await waitForConnection(page, true);
    const stored = await readableStorage(page);
    expect(stored).toContain('PBKDF2-SHA256');
    expect(stored).not.toContain(session.token);

    // The kept verifier still opens the till with the server away.
    await logout(page);
    await server.stop();
    await login(page, 'caixa', 'caixa123');
    await page.getByTestId(TEST_IDS.shell.offlineSession).waitFor();
    expect(await readableStorage(page)).not.toContain(session.token);
  });
});
