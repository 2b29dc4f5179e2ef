import { DEFAULT_DEVICE_SETTINGS, type AppInfo, type BalcaoBridge, type DeviceSettings } from './types.ts';

/**
 * The bridge in a plain browser. localStorage is per origin, not encrypted: acceptable for the web
 * fallback (the Electron host keeps secrets with safeStorage instead).
 */
const SETTINGS_KEY = 'balcao.settings';
const SECRET_PREFIX = 'balcao.secret.';


function readSettings(storage: Storage): DeviceSettings {
  try {
    const raw = storage.getItem(SETTINGS_KEY);
    return raw ? { ...DEFAULT_DEVICE_SETTINGS, ...(JSON.parse(raw) as Partial<DeviceSettings>) } : { ...DEFAULT_DEVICE_SETTINGS };
  } catch {
    // A corrupt entry must not lock the user out: start from the defaults (setup again).
    return { ...DEFAULT_DEVICE_SETTINGS };
  }
}

export function createWebBridge(storage: Storage = window.localStorage): BalcaoBridge {
  return {
    async getSettings() {
      return readSettings(storage);
    },
    async setSettings(patch) {
      const next = { ...readSettings(storage), ...patch };
      storage.setItem(SETTINGS_KEY, JSON.stringify(next));
      return next;
    },
    async getSecret(name) {
      return storage.getItem(SECRET_PREFIX + name);
    },
    async setSecret(name, value) {
      if (value === null) storage.removeItem(SECRET_PREFIX + name);
      else storage.setItem(SECRET_PREFIX + name, value);
    },
    async notify(title, body) {
      if (typeof Notification === 'undefined') return false;
      if (Notification.permission === 'default') await Notification.requestPermission();
      if (Notification.permission !== 'granted') return false;
      const notification = new Notification(title, { body });
      return new Promise<boolean>((resolve) => {
        notification.onclick = () => resolve(true);
        notification.onclose = () => resolve(false);
      });
    },
    async openDesignSoftware(url) {
      window.open(url, '_blank', 'noopener');
    },
    async setSyncState() {
      // No tray in a browser.
    },
    onOpenLink(listener) {
      // A browser cannot register balcao://, so the link travels in the fragment: #open=<link>.
      const deliver = () => {
        const link = openLinkFromHash(window.location.hash);
        if (!link) return;
        // Consumed: a later subscriber (another screen, after a re-login) must not open it again.
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
        listener(link);
      };
      deliver();
      window.addEventListener('hashchange', deliver);
      return () => window.removeEventListener('hashchange', deliver);
    },
    async appInfo(): Promise<AppInfo> {
      return { version: import.meta.env.VITE_APP_VERSION ?? '0.1.0', host: 'web', platform: navigator.platform || 'web' };
    },
  };
}

/** `#open=balcao%3A%2F%2Fdesign%2F…` → `balcao://design/…`; anything else → null. */
export function openLinkFromHash(hash: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('open');
  return value && value.startsWith('balcao://') ? value : null;
}
