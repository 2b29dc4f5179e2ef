/**
 * The one narrow bridge between the UI and its host. Electron's preload exposes it as
 * `window.balcao`; in a plain browser `renderer/bridge/web-bridge.ts` implements the same shape.
 * Only plain data crosses it.
 */
export interface DeviceSettings {
  serverUrl: string | null;
  stationId: string | null;
  stationCode: string | null;
  stationName: string | null;
  storeCode: string | null;
  storeName: string | null;
  language: 'pt-BR' | 'en';
}

/** What a device starts with before setup; both hosts (Electron store, web localStorage) fill gaps from it. */
export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  serverUrl: null,
  stationId: null,
  stationCode: null,
  stationName: null,
  storeCode: null,
  storeName: null,
  language: 'pt-BR',
};

/**
 * The one rule for a server address, shared by the setup screen, the core and the Electron shell
 * (whose Content-Security-Policy names the paired server's origin). An address is an http(s) origin:
 * scheme, host, optional port — no user or password, no path, query or fragment. Anything but this
 * computer (loopback) must use https, so passwords and tokens never cross the store's network in
 * clear. Typed without a scheme, a loopback address gets http, any other https.
 */
export type ServerAddressProblem = 'invalid_server_url' | 'insecure_server_url';
export type ServerAddress = { ok: true; origin: string } | { ok: false; problem: ServerAddressProblem };

/** `localhost` (and `*.localhost`), 127.0.0.0/8 and [::1]: the server runs on this very computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** An http(s) origin out of what was typed, and whether it is loopback; null when it is no server address at all. */
export function serverOrigin(input: string): { origin: string; loopback: boolean } | null {
  const text = input.trim();
  if (!text || /[\s\\]/.test(text)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return null;
  const rest = scheme === undefined ? text : text.slice(scheme.length + 3);
  // Credentials, a query or a fragment have no place in a server address (and `@` hides the real host).
  if (!rest || /[@?#]/.test(rest) || rest.includes('://')) return null;
  let url: URL;
  try {
    url = new URL(`${scheme ?? 'http'}://${rest}`);
  } catch {
    return null;
  }
  if (!url.hostname || (url.pathname !== '/' && url.pathname !== '')) return null;
  // Letters, digits, dots and dashes (IDNs arrive as punycode), or an IPv6 literal: nothing that could end a policy directive.
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(url.hostname)) return null;
  const loopback = isLoopbackHost(url.hostname);
  if (scheme === undefined && !loopback) url = new URL(`https://${rest}`);
  return { origin: url.origin, loopback };
}

export function parseServerAddress(input: string): ServerAddress {
  const parsed = serverOrigin(input);
  if (!parsed) return { ok: false, problem: 'invalid_server_url' };
  if (parsed.origin.startsWith('http:') && !parsed.loopback) return { ok: false, problem: 'insecure_server_url' };
  return { ok: true, origin: parsed.origin };
}

export type SyncTrayState = 'online' | 'offline' | 'pending' | 'error';

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  platform: string;
}

export interface BalcaoBridge {
  getSettings(): Promise<DeviceSettings>;
  setSettings(patch: Partial<DeviceSettings>): Promise<DeviceSettings>;
  /**
   * Secrets (session token, device key): the only place the token is ever kept. Electron seals them
   * with the OS (safeStorage), or keeps them in memory where it cannot; the browser keeps the token
   * in the page's memory only (web-bridge.ts). Nothing else may store the token.
   */
  getSecret(name: 'sessionToken' | 'deviceKey'): Promise<string | null>;
  setSecret(name: 'sessionToken' | 'deviceKey', value: string | null): Promise<void>;
  /** A native notification; resolves true when the user clicked it. */
  notify(title: string, body: string): Promise<boolean>;
  /** Opens the design software (or, in a browser, a link) at a project / environment / version. */
  openDesignSoftware(url: string): Promise<void>;
  /** Mirrors the sync state in the tray icon and tooltip; a no-op in the browser. */
  setSyncState(state: SyncTrayState, pendingUploads: number): Promise<void>;
  appInfo(): Promise<AppInfo>;
  /**
   * Links the app is asked to open (`balcao://design/...`, e.g. after "Negotiate" in the design
   * software, DES-06): from the OS in Electron, from `#open=<link>` in the browser. Returns the unsubscribe.
   */
  onOpenLink(listener: (link: string) => void): () => void;
}

declare global {
  interface Window {
    balcao?: BalcaoBridge;
  }
}
