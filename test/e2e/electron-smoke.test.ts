import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../build/build-electron.ts';
import { buildRenderer, isRendererStale } from '../../build/build-renderer.ts';
import { displayProblem, locateElectronBinary } from '../../build/electron-binary.ts';
import { ELECTRON_DIST, ROOT } from '../../build/paths.ts';
import { startServer, type RunningServer } from '../../sync/server/node/start.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';

/**
 * The real Electron app against a real server: the window shows the setup screen, the page has the
 * bridge and nothing of Node. Where the Electron binary (or a display) is missing it is skipped.
 */
const lookup = locateElectronBinary();
const skipReason = lookup.found ? displayProblem() : lookup.reason;
if (skipReason) console.log(`Electron smoke test skipped: ${skipReason}.`);

describe('Electron shell', () => {
  let server: RunningServer | null = null;
  let app: ElectronApplication | null = null;
  let profile = '';

  beforeAll(async () => {
    if (skipReason || !lookup.found) return;
    if (isRendererStale()) await buildRenderer();
    if (!existsSync(join(ELECTRON_DIST, 'main.js'))) await buildElectron();
    server = await startServer({ port: 0, dataDir: 'memory://', seedDemo: true, rateLimit: false });
    profile = mkdtempSync(join(tmpdir(), 'balcao-electron-profile-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    app = await _electron.launch({
      executablePath: lookup.path,
      args: [ROOT],
      env: { ...env, BALCAO_SERVER_URL: server.url, BALCAO_USER_DATA_DIR: profile },
    });
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it.skipIf(Boolean(skipReason))('opens the setup screen with window.balcao and without require/process', async () => {
    const page = await app!.firstWindow();
    await page.getByTestId(TEST_IDS.setup.form).waitFor();
    expect(page.url()).toBe('app://balcao/index.html');
    // The server address comes from the shell's settings (BALCAO_SERVER_URL on a fresh profile).
    await expect.poll(() => page.getByTestId(TEST_IDS.setup.serverUrl).inputValue()).toBe(server!.url);
    const globals = await page.evaluate(() => ({
      balcao: typeof window.balcao,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ balcao: 'object', require: 'undefined', process: 'undefined' });
    const info = await page.evaluate(() => window.balcao!.appInfo());
    expect(info.host).toBe('electron');
  });
});
