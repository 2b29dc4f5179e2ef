import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, Menu, type BrowserWindow } from 'electron';
import type { DeviceSettings } from '../renderer/bridge/types.ts';
import { DEEP_LINK_SCHEME } from './app-url.ts';
import { CHANNELS } from './channels.ts';
import { contentSecurityPolicy, pairedServers } from './csp.ts';
import { deepLinkForPage, findDeepLink } from './deep-link.ts';
import { registerBridge } from './ipc.ts';
import { showNotification } from './notifications.ts';
import { registerAppScheme, serveApp } from './protocol.ts';
import { hardenWebContents, restrictPermissions } from './security.ts';
import { applicationMenuTemplate, shellOverrides } from './security-policy.ts';
import { openSettingsStore } from './settings.ts';
import { createSyncTray, type SyncTray } from './tray.ts';
import { createMainWindow, focusWindow } from './window.ts';

/**
 * The shell's entry (bundled to dist/electron/main.js). Environment, set by build/start.ts or tests,
 * and ignored by an installed (packaged) app — see shellOverrides:
 * BALCAO_SERVER_URL — server address offered on the setup screen of a fresh profile;
 * BALCAO_USER_DATA_DIR — profile folder (settings, secrets, the UI's IndexedDB);
 * BALCAO_RENDERER_DIR — the built UI to serve.
 */
const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, 'preload.cjs');
const packaged = app.isPackaged;
const overrides = shellOverrides(process.env, packaged);
const rendererDir = overrides.rendererDir ?? join(here, '..', 'renderer');

if (overrides.userDataDir) app.setPath('userData', overrides.userDataDir);

/** The policy a page gets: its connect-src names the paired server (any http(s) host while setting up). */
const policyFor = (settings: DeviceSettings) => contentSecurityPolicy(pairedServers(settings));

// A second start (also from a balcao:// link) focuses the running window instead of opening another
// RxDB instance on the same profile.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenWebContents(packaged);
  let window: BrowserWindow | null = null;
  let tray: SyncTray | null = null;

  let ready = false;

  // A balcao://design/… link (the design software's "Negotiate", DES-06) opens that screen.
  let pendingLink = deepLinkForPage(findDeepLink(process.argv));
  /** Every window (also one reopened on macOS after the last was closed) delivers the pending link once loaded. */
  const openWindow = (): BrowserWindow => {
    const created = createMainWindow(preloadPath, packaged);
    created.webContents.once('did-finish-load', () => {
      if (pendingLink && !created.isDestroyed()) created.webContents.send(CHANNELS.onOpenLink, pendingLink);
      pendingLink = null;
    });
    return created;
  };
  const show = () => {
    if (!ready) return;
    if (!window || window.isDestroyed()) window = openWindow();
    focusWindow(window);
  };
  const openLink = (link: string | null) => {
    const safe = deepLinkForPage(link);
    if (safe && window && !window.isDestroyed() && !window.webContents.isLoading()) window.webContents.send(CHANNELS.onOpenLink, safe);
    else if (safe) pendingLink = safe;
    show();
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
    if (packaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    const menu = applicationMenuTemplate(process.platform, packaged);
    if (menu) Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
    restrictPermissions();
    const settings = openSettingsStore(overrides.serverUrl);
    serveApp(rendererDir, () => policyFor(settings.get()));
    ready = true;
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
      settingsChanged: (before, after) => {
        // Paired or unpaired: the page reloads so its policy names the new server (or none).
        if (policyFor(before) === policyFor(after)) return;
        setImmediate(() => {
          if (window && !window.isDestroyed()) window.webContents.reload();
        });
      },
    });
    window = openWindow();
    app.on('activate', show);
  });
}
