import type { Page } from 'playwright-core';
import { screenshot } from './station-ui.ts';

/**
 * A screenshot once the page is still: Mantine's modals and toasts fade in (CSS transitions), and a
 * picture taken mid-fade shows a half-transparent dialog over the table. Waits for every running
 * animation/transition to end (no fixed sleep), then takes the full-page screenshot.
 */
export async function settledScreenshot(page: Page, name: string): Promise<string> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
  return screenshot(page, name);
}
