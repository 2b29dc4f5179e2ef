import type { MenuItemConstructorOptions, WebPreferences } from 'electron';
import { isAppUrl } from './app-url.ts';

/**
 * The security decisions of the shell as pure functions (no `electron` import at runtime), so they
 * are unit-tested without the Electron binary. security.ts, settings.ts and main.ts wire them in.
 */

/** `packaged`: an installed app (app.isPackaged), where nobody at the till may open the developer tools. */
export function secureWebPreferences(preloadPath: string, packaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    // DevTools would hand whoever sits at the till the bridge: secrets, settings, the device key.
    devTools: !packaged,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** In-window navigation stays inside the app; anything else is cancelled. */
export function mayNavigate(targetUrl: string): boolean {
  return isAppUrl(targetUrl);
}

/** IPC is answered only for the app's own top-level page, never for a foreign or destroyed frame. */
export function isTrustedSender(frame: { url: string; parent?: unknown } | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url);
}

/** Notifications are the only web permission the app uses; everything else is denied. */
export function mayGrantPermission(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'notifications' && isAppUrl(requestingUrl);
}

/**
 * The application menu of an installed app: only editing (copy/paste, which macOS needs a menu for)
 * and window handling. Electron's default menu offers reload and the developer tools. Unpackaged
 * (development, tests) keeps that default: null.
 */
export function applicationMenuTemplate(platform: NodeJS.Platform, packaged: boolean): MenuItemConstructorOptions[] | null {
  if (!packaged) return null;
  const common: MenuItemConstructorOptions[] = [{ role: 'editMenu' }, { role: 'windowMenu' }];
  return platform === 'darwin' ? [{ role: 'appMenu' }, ...common] : common;
}

/** What the shell takes from its environment (build/start.ts and the tests set these). */
export interface ShellOverrides {
  /** BALCAO_RENDERER_DIR: serve the UI from another folder. */
  rendererDir: string | null;
  /** BALCAO_USER_DATA_DIR: another profile folder (settings, secrets, the UI's IndexedDB). */
  userDataDir: string | null;
  /** BALCAO_SERVER_URL: the server address a fresh profile's setup screen offers. */
  serverUrl: string | null;
}

/**
 * An installed app ignores them all: whoever can set a variable for the process must not get it to
 * load other code into the window, read another profile, or point a new station elsewhere.
 */
export function shellOverrides(env: Readonly<Record<string, string | undefined>>, packaged: boolean): ShellOverrides {
  if (packaged) return { rendererDir: null, userDataDir: null, serverUrl: null };
  return { rendererDir: env.BALCAO_RENDERER_DIR || null, userDataDir: env.BALCAO_USER_DATA_DIR || null, serverUrl: env.BALCAO_SERVER_URL || null };
}

/**
 * Whether safeStorage really encrypts. On Linux without a keyring (no GNOME libsecret, no KWallet)
 * Chromium falls back to `basic_text`: a key written in its source code, so anyone with the file
 * reads the secret. That, and a backend it could not name, count as no encryption: secrets are then
 * kept in memory only.
 */
export function encryptionIsReal(platform: NodeJS.Platform, available: boolean, linuxBackend: string | undefined): boolean {
  if (!available) return false;
  if (platform !== 'linux') return true;
  return linuxBackend !== undefined && linuxBackend !== 'basic_text' && linuxBackend !== 'unknown';
}
