import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { WebHost } from '../../../build/web-host.ts';
import { launchDevice, type Device } from './browser.ts';
import { CentralServer } from './central-server.ts';
import { reportFailures } from './failure-report.ts';
import { RestClient } from './rest-client.ts';
import { startUi } from './web-ui.ts';

export interface Station {
  ui: WebHost;
  device: Device;
  page: Page;
}

export interface OneStationOptions {
  server?: CentralServer;
  /** More server addresses the page may call besides the central server (its CSP names only these). */
  alsoReach?: string[];
  /** Prints the browser errors collected over the whole file when it ends (files that stop the server expect some). */
  logBrowserErrors?: boolean;
  /** Runs once the UI, the server and the device's page are up: take the parts, then set up what the file needs. */
  ready?: (station: Station) => Promise<void> | void;
  /** The browser's locale (default pt-BR); en-US shows what the app would take from the browser. */
  browserLocale?: string;
  /** Runs first when the file ends, before the device, the UI and the server close. */
  beforeClose?: () => Promise<void>;
  /** The page's sync retry period, ms (web-ui.ts's UiOptions; default: the app's). */
  syncRetryMs?: number;
}

/**
 * The world of a one-station e2e file, set up in its beforeAll and taken down in its afterAll: a real
 * central server (PGlite), the built UI on its own port, one fresh Chromium device with one page; a
 * failing test reports the browser's errors and a screenshot. Call inside the file's `describe`.
 */
export function oneStation(options: OneStationOptions = {}): {
  server: CentralServer;
  api: RestClient;
  /** Opens another page of the device; a failure from then on shows that one. */
  newPage(): Promise<Page>;
} {
  const server = options.server ?? new CentralServer();
  const api = new RestClient(() => server.url);
  let station: Partial<Station> = {};

  beforeAll(async () => {
    // The server first: the UI's policy names its address.
    await server.start();
    const ui = await startUi(server, options.alsoReach, { syncRetryMs: options.syncRetryMs });
    station = { ui };
    const device = await launchDevice({ locale: options.browserLocale });
    station.device = device;
    station.page = await device.newPage();
    await options.ready?.(station as Station);
  });

  reportFailures(() => station);

  afterAll(async () => {
    await options.beforeClose?.();
    const { device, ui } = station;
    if (options.logBrowserErrors && device?.log.length) {
      console.log(`[e2e] ${device.log.length} browser error(s), last ones:\n${device.log.slice(-10).join('\n')}`);
    }
    await device?.close();
    await ui?.close();
    await server.dispose();
  });

  return {
    server,
    api,
    async newPage() {
      station.page = await station.device!.newPage();
      return station.page;
    },
  };
}
