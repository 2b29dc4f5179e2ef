import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, mergeConfig } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { serveStatic } from '../../bench/static-server.ts';
import benchPageBuild from '../../bench/vite.bench.config.ts';
import { launchDevice, type Device } from './browser.ts';

/**
 * A page of checks under test/e2e/pages/<name>/ that drives the app's own renderer code in a real
 * Chromium (its IndexedDB, its Worker): built as the shipped renderer is (no RxDB dev-mode), served,
 * opened once per file, and ready when its #state says "pronto". `page()` is the open page, after the
 * file's beforeAll; call from a describe block.
 */
export function useCheckPage(name: string): { page: () => Page } {
  const pageRoot = fileURLToPath(new URL(`../pages/${name}/`, import.meta.url));
  const outDir = fileURLToPath(new URL(`../../../dist/test-pages/${name}/`, import.meta.url));
  let device: Device | undefined;
  let page: Page | undefined;
  let site: Awaited<ReturnType<typeof serveStatic>> | undefined;

  beforeAll(async () => {
    // vitest sets NODE_ENV=test, which Vite reads as development: build as production, like the app.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    await build({ ...mergeConfig(benchPageBuild, { root: pageRoot, build: { outDir } }), configFile: false }).finally(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    site = await serveStatic(outDir);
    device = await launchDevice();
    page = await device.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'pronto');
  });

  afterAll(async () => {
    await device?.close();
    await site?.close();
  });

  return {
    page: () => {
      if (!page) throw new Error(`the check page ${name} is not open (call page() inside a test)`);
      return page;
    },
  };
}
