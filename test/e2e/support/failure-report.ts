import type { Page } from 'playwright-core';
import { beforeEach } from 'vitest';
import type { Device } from './browser.ts';
import { screenshot } from './station-ui.ts';

interface Station {
  device?: Device;
  page?: Page;
}

/** Messages the app shows (alerts, field errors): in CI the log is all there is to read, the screenshot stays on that machine. */
async function shownMessages(page: Page): Promise<string[]> {
  const texts = await page
    .locator('[role="alert"], .mantine-InputWrapper-error, [data-testid$="-error"]')
    .allInnerTexts()
    .catch(() => []);
  return texts.map((text) => text.trim()).filter(Boolean);
}

/** On a failed test, for each station: prints the browser's errors and the messages on screen, and saves a screenshot of the page as it was. */
export function reportFailures(current: () => Station | Station[]): void {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const found = current();
      const stations = Array.isArray(found) ? found : [found];
      for (const [index, { device, page }] of stations.entries()) {
        const label = stations.length > 1 ? ` (station ${index + 1})` : '';
        if (device?.log.length) console.log(`Browser errors so far${label}:\n${device.log.slice(-30).join('\n')}`);
        if (!page || page.isClosed()) continue;
        const messages = await shownMessages(page);
        if (messages.length) console.log(`On screen${label}:\n${messages.join('\n')}`);
        const shot = await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}${index ? `-${index + 1}` : ''}`).catch(() => null);
        if (shot) console.log(`Screenshot of the failure${label}: ${shot}`);
      }
    });
  });
}
