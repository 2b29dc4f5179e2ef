import type { WebPreferences } from 'electron';
import { isAppUrl } from './app-url.ts';

/**
 * The security decisions of the shell as pure functions (no `electron` import at runtime), so they
 * are unit-tested without the Electron binary. security.ts wires them into Electron.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
