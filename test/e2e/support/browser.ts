import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.BALCAO_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Device {
  context: BrowserContext;
  /** The Chromium profile folder (IndexedDB, localStorage, caches… as files). */
  profile: string;
  /** Page errors and console errors, printed when a test fails so the cause is visible. */
  log: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * One station = one fresh Chromium profile (its own IndexedDB and localStorage), like a desktop
 * installation; the profile folder is deleted on close. Given `profile`, that folder is opened
 * instead (a station started again) and kept on close.
 */
/** The stations' time zone (the demo store's, São Paulo): a test's "today" is this zone's, not the machine's. */
export const DEVICE_TIME_ZONE = 'America/Sao_Paulo';

/** Today in the stations' time zone as pt-BR shows it (dd/mm/aaaa): differs from the machine's UTC day from 00:00 to 03:00 UTC. */
export function deviceToday(): string {
  return new Intl.DateTimeFormat('pt-BR', { timeZone: DEVICE_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

export async function launchDevice(options: { locale?: string; profile?: string } = {}): Promise<Device> {
  const profile = options.profile ?? mkdtempSync(join(tmpdir(), 'balcao-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    // The browser's own language; the app must follow the user's choice, not this (issue 15).
    locale: options.locale ?? 'pt-BR',
    timezoneId: DEVICE_TIME_ZONE,
  });
  const log: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => log.push(`[pageerror] ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) log.push(`[http ${response.status()}] ${response.request().method()} ${response.url()}`);
    });
    page.on('console', (message) => {
      // Refused and cut requests are the point of the outage tests; Chromium logs each one.
      if (message.type() === 'error' && !/^Failed to load resource: net::ERR_/.test(message.text())) log.push(`[console.error] ${message.text()}`);
    });
  };
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
  return {
    context,
    profile,
    log,
    async newPage() {
      // The persistent context opens with one blank tab: reuse it rather than leaving a second tab around.
      const blank = context.pages().find((page) => page.url() === 'about:blank');
      return blank ?? context.newPage();
    },
    async close() {
      await context.close();
      if (!options.profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}
