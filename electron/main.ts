import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow } from 'electron';
import { DEEP_LINK_SCHEME } from './app-url.ts';
import { CHANNELS } from './channels.ts';
import { deepLinkForPage, findDeepLink } from './deep-link.ts';
import { registerBridge } from './ipc.ts';
import { showNotification } from './notifications.ts';
import { registerAppScheme, serveApp } from './protocol.ts';
import { hardenWebContents, restrictPermissions } from './security.ts';
import { openSettingsStore } from './settings.ts';
import { createSyncTray, type SyncTray } from './tray.ts';
import { createMainWindow, focusWindow } from './window.ts';

/**
 * The shell's entry (bundled to dist/electron/main.js). Environment, set by build/start.ts or tests:
 * BALCAO_SERVER_URL — server address offered on the setup screen of a fresh profile;
 * BALCAO_USER_DATA_DIR — profile folder (settings, secrets, the UI's IndexedDB).
 */
const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, 'preload.cjs');
const rendererDir = process.env.BALCAO_RENDERER_DIR ?? join(here, '..', 'renderer');

if (process.env.BALCAO_USER_DATA_DIR) app.setPath('userData', process.env.BALCAO_USER_DATA_DIR);

// A second start (also from a balcao:// link) focuses the running window instead of opening another
// RxDB instance on the same profile.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenWebContents();
  let window: BrowserWindow | null = null;
  let tray: SyncTray | null = null;

  // A balcao://design/… link (the design software's "Negotiate", DES-06) opens that screen.
  let linkFromStart = deepLinkForPage(findDeepLink(process.argv));
  const openLink = (link: string | null) => {
    const safe = deepLinkForPage(link);
    focusWindow(window);
    if (!safe) return;
    if (window && !window.isDestroyed() && !window.webContents.isLoading()) window.webContents.send(CHANNELS.onOpenLink, safe);
    else linkFromStart = safe;
  };
  app.on('second-instance', (_event, argv) => openLink(findDeepLink(argv)));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openLink(url);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => tray?.destroy());

  void app.whenReady().then(() => {
    if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    restrictPermissions();
    serveApp(rendererDir);
    const settings = openSettingsStore(process.env.BALCAO_SERVER_URL ?? null);
    const show = () => {
      if (!window || window.isDestroyed()) window = createMainWindow(preloadPath);
      focusWindow(window);
    };
    try {
      tray = createSyncTray({ show, quit: () => app.quit() }, settings.get().language);
    } catch (error) {
      // Desktops without a status area (some Linux sessions) still get the window.
      console.warn('Balcão: no system tray available:', error);
    }
    registerBridge({
      settings,
      notify: (title, body) => showNotification(title, body, show),
      setSyncState: (state, pending) => tray?.update(state, pending, settings.get().language),
    });
    window = createMainWindow(preloadPath);
    window.webContents.once('did-finish-load', () => {
      if (linkFromStart && window && !window.isDestroyed()) window.webContents.send(CHANNELS.onOpenLink, linkFromStart);
      linkFromStart = null;
    });
    app.on('activate', show);
  });
}
