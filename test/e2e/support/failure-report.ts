import type { Page } from 'playwright-core';
import { beforeEach } from 'vitest';
import type { Device } from './browser.ts';
import { screenshot } from './station-ui.ts';

/** On a failed test: prints the browser's errors and saves a screenshot of the page as it was. */
export function reportFailures(current: () => { device?: Device; page?: Page }): void {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const { device, page } = current();
      if (device?.log.length) console.log(`Browser errors so far:\n${device.log.slice(-30).join('\n')}`);
      if (page && !page.isClosed()) {
        const shot = await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => null);
        if (shot) console.log(`Screenshot of the failure: ${shot}`);
      }
    });
  });
}
