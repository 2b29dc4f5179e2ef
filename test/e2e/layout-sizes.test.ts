import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { pairAndSync, screenshot } from './support/station-ui.ts';
import { oneStation } from './support/one-station.ts';
import { chooseSeller, openPos, openSale, openTill, scan } from './pos-ui.ts';

/**
 * Small windows (issue 15): at 1280×800 and 1024×768 every entry of the navigation can be scrolled
 * into view and clicked (the list scrolls, the window does not), and no screen scrolls sideways or
 * cuts a control off at the right edge — the admin (who has every entry), the sale screen with a full
 * cart, the payment step and the sales summary. The layout must not depend on the machine's fonts:
 * CI installs Debian's default sans font (fonts-dejavu-core), which is wider than most.
 */

const ids = TEST_IDS.pos;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
] as const;

interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** Visible controls whose right or bottom edge lies outside the window, or whose text is cut. */
  clipped: string[];
  /** Boxes inside the page (a table, a list) that scroll sideways. */
  sideways: string[];
}

/** The window's horizontal overflow, inner boxes that scroll sideways, and the visible controls it cuts off. */
function overflowOf(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()}[${element.getAttribute('data-testid') ?? element.className.toString().split(' ')[0] ?? ''} "${(element.textContent ?? (element as HTMLInputElement).value ?? '').trim().slice(0, 30)}"]`;
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    };
    const clipped: string[] = [];
    const sideways: string[] = [];
    const canvas = document.createElement('canvas').getContext('2d')!;
    const textWidth = (text: string, element: Element) => {
      canvas.font = getComputedStyle(element).font;
      return canvas.measureText(text).width;
    };
    for (const element of document.querySelectorAll('button, input, select, textarea, a, [role="button"]')) {
      if (!visible(element) || (element as HTMLInputElement).type === 'hidden') continue;
      const box = element.getBoundingClientRect();
      // Inside a scrolling list (the navigation, a table) a control may lie below the fold: it scrolls into view.
      let scroller: Element | null = element.parentElement;
      let insideScroller = false;
      while (scroller && scroller !== document.body) {
        const s = getComputedStyle(scroller);
        if (/(auto|scroll)/.test(s.overflowY) && scroller.scrollHeight > scroller.clientHeight + 1) insideScroller = true;
        scroller = scroller.parentElement;
      }
      if (box.right > window.innerWidth + 1 || (!insideScroller && box.bottom > window.innerHeight + 1)) {
        clipped.push(`${name(element)} right=${Math.round(box.right)} bottom=${Math.round(box.bottom)}`);
      }
      // A field too narrow for what it shows: a number cut to its first digit, a choice cut mid-word.
      const style = getComputedStyle(element);
      const room = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (element instanceof HTMLSelectElement) {
        const text = element.selectedOptions[0]?.textContent ?? '';
        if (textWidth(text, element) > room + 1) clipped.push(`${name(element)} shows "${text}" in ${Math.round(room)} px`);
      } else if (element instanceof HTMLInputElement && element.value && !['checkbox', 'radio', 'date'].includes(element.type)) {
        if (textWidth(element.value, element) > room + 1) clipped.push(`${name(element)} shows "${element.value}" in ${Math.round(room)} px`);
      }
    }
    for (const element of document.querySelectorAll('body *')) {
      if (!visible(element)) continue;
      const s = getComputedStyle(element);
      if (/(auto|scroll)/.test(s.overflowX) && element.scrollWidth > element.clientWidth + 1) {
        sideways.push(`${name(element)} ${element.scrollWidth} > ${element.clientWidth}`);
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, clipped, sideways };
  });
}

async function expectFits(page: Page, where: string): Promise<void> {
  const overflow = await overflowOf(page);
  expect(overflow.scrollWidth, `${where}: the window scrolls sideways`).toBeLessThanOrEqual(overflow.clientWidth);
  expect(overflow.sideways, `${where}: boxes that scroll sideways`).toEqual([]);
  expect(overflow.clipped, `${where}: controls cut off`).toEqual([]);
}

/** The navigation's entries that can be clicked (groups included), in order. */
function navEntries(page: Page): Locator {
  return page.getByTestId(TEST_IDS.shell.nav).locator('.mantine-NavLink-root:not([data-disabled])');
}

describe('issue 15: every screen fits 1280×800 and 1024×768', () => {
  let ui: WebHost;
  let page: Page;
  const barcodes: string[] = [];

  const { server, api } = oneStation({
    ready: async (station) => {
      ({ ui, page } = station);
      for (const product of await api.listAll('products', 1000)) barcodes.push(String(product.barcode));
    },
  });

  it('POS-09 POS-12 at both sizes every navigation entry of the admin scrolls into view and opens its page, and no page scrolls sideways', async () => {
    await pairAndSync(page, { ui: ui.url, server: server.url }, ['admin', 'admin123']);

    for (const size of SIZES) {
      await page.setViewportSize(size);
      const entries = navEntries(page);
      const count = await entries.count();
      // Products, customers, two POS groups and their pages, design: an admin has well over ten.
      expect(count).toBeGreaterThan(10);
      const label = `${size.width}×${size.height}`;
      for (let index = 0; index < count; index++) {
        const entry = entries.nth(index);
        const name = (await entry.textContent())?.trim() ?? String(index);
        // Groups toggle open and closed: leave them open, every child stays listed.
        const isGroup = (await entry.getAttribute('data-expanded')) !== null || (await entry.locator('.mantine-NavLink-chevron').count()) > 0;
        await entry.scrollIntoViewIfNeeded();
        const box = await entry.boundingBox();
        expect(box, `${label}: "${name}" has no box`).not.toBeNull();
        expect(box!.y, `${label}: "${name}" above the window`).toBeGreaterThanOrEqual(0);
        expect(box!.y + box!.height, `${label}: "${name}" below the window`).toBeLessThanOrEqual(size.height);
        if (isGroup) continue;
        // trial: fails unless the entry is visible, enabled and receives the click at its own point.
        await entry.click({ trial: true });
        await entry.click();
        await page.waitForTimeout(150);
        await screenshot(page, `layout-page-${label}-${String(index).padStart(2, '0')}`);
        await expectFits(page, `${label} "${name}"`);
      }
      // The last entry is the one that used to fall off the bottom.
      await screenshot(page, `layout-nav-end-${label}`);
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('POS-09 POS-10 POS-16 at 1024×768 the sale screen with a full cart, the payment step and the summary fit the window', async () => {
    // F9 goes straight to the payment step on an open till (POS-19).
    await openTill(page);
    for (const size of [...SIZES].reverse()) {
      const label = `${size.width}×${size.height}`;
      await page.setViewportSize(size);
      await openSale(page);
      for (const code of barcodes.slice(0, 12)) await scan(page, code, 3);
      await expectFits(page, `${label} sale`);
      await screenshot(page, `layout-sale-${label}`);

      await chooseSeller(page);
      await page.keyboard.press('F9');
      const modal = page.locator('.mantine-Modal-content', { has: page.getByTestId(ids.payment.finish) });
      await modal.waitFor();
      await page.getByTestId(ids.payment.type).first().click();
      await expectFits(page, `${label} payment`);
      await screenshot(page, `layout-payment-${label}`);
      await page.keyboard.press('Escape');
      await modal.waitFor({ state: 'hidden' });
      await page.getByTestId(ids.newSale).click();

      await openPos(page, 'summary');
      await page.getByTestId(ids.summary.total).waitFor();
      await expectFits(page, `${label} summary`);
      await screenshot(page, `layout-summary-${label}`);
    }
  });
});
