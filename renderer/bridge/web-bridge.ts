import { DEFAULT_DEVICE_SETTINGS, type AppInfo, type BalcaoBridge, type DeviceSettings } from './types.ts';

/**
 * The bridge in a plain browser, which has no secret store of the operating system to offer.
 *
 * - Settings and the device key live in localStorage (per origin, not encrypted). The device key must
 *   outlast a reload, or the station would have to be paired again each time; on its own it opens
 *   nothing (a login also needs a user's password), and pairing the station again cuts it off.
 * - The session token lives in this page's memory only. localStorage and sessionStorage are both
 *   written to the browser profile in clear (Chromium keeps sessionStorage on disk for session
 *   restore), so a copied profile would carry a live token; memory goes with the tab. The price: a
 *   reload or a new tab asks for the password again (offline too, through the offline verifier).
 *   Any script running in the page could still reach the token, as it could the password typed in.
 */
const SETTINGS_KEY = 'balcao.settings';
const SECRET_PREFIX = 'balcao.secret.';
type SecretName = Parameters<BalcaoBridge['getSecret']>[0];
const MEMORY_ONLY: ReadonlySet<SecretName> = new Set(['sessionToken']);

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
  const inMemory = new Map<SecretName, string>();
  // Earlier versions kept the session token in localStorage: this page keeps using it, the disk forgets it.
  for (const name of MEMORY_ONLY) {
    const stored = storage.getItem(SECRET_PREFIX + name);
    if (stored === null) continue;
    inMemory.set(name, stored);
    storage.removeItem(SECRET_PREFIX + name);
  }
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
      if (MEMORY_ONLY.has(name)) return inMemory.get(name) ?? null;
      return storage.getItem(SECRET_PREFIX + name);
    },
    async setSecret(name, value) {
      if (MEMORY_ONLY.has(name)) {
        if (value === null) inMemory.delete(name);
        else inMemory.set(name, value);
      } else if (value === null) storage.removeItem(SECRET_PREFIX + name);
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
