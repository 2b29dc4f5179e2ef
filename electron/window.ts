import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-url.ts';
import { secureWebPreferences } from './security-policy.ts';

export function createMainWindow(preloadPath: string, packaged: boolean): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Balcão',
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#f8f9fa',
    webPreferences: secureWebPreferences(preloadPath, packaged),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

export function focusWindow(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
