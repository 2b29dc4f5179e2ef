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

export type SyncTrayState = 'online' | 'offline' | 'pending' | 'error';

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  platform: string;
}

export interface BalcaoBridge {
  getSettings(): Promise<DeviceSettings>;
  setSettings(patch: Partial<DeviceSettings>): Promise<DeviceSettings>;
  /** Secrets (session token, device key) are kept encrypted by the OS where the host can (safeStorage). */
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
