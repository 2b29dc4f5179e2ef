import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { DeviceSettings } from '../renderer/bridge/types.ts';
import { encryptionIsReal } from './security-policy.ts';
import { DEFAULT_DEVICE_SETTINGS, type SecretName } from './settings-input.ts';

/**
 * Device settings in electron-store (plain JSON in the user's profile); secrets encrypted with the
 * OS keychain through safeStorage. Where the OS offers no real encryption (none at all, or Linux's
 * `basic_text`), secrets are kept in memory only: after a restart the user signs in again — and the
 * station, whose device key is a secret too, is paired again — rather than having them on disk in
 * a form anyone can read.
 */
export interface SettingsStore {
  get(): DeviceSettings;
  set(patch: Partial<DeviceSettings>): DeviceSettings;
  getSecret(name: SecretName): string | null;
  setSecret(name: SecretName, value: string | null): void;
}

type SecretFile = Partial<Record<SecretName, string>>;

export function openSettingsStore(initialServerUrl: string | null): SettingsStore {
  const settings = new Store<DeviceSettings>({
    name: 'settings',
    defaults: { ...DEFAULT_DEVICE_SETTINGS, serverUrl: initialServerUrl },
    clearInvalidConfig: true,
  });
  const secrets = new Store<SecretFile>({ name: 'secrets', clearInvalidConfig: true });
  const inMemory = new Map<SecretName, string>();
  const encrypted = () =>
    encryptionIsReal(process.platform, safeStorage.isEncryptionAvailable(), process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined);

  // Earlier versions also wrote secrets sealed with `basic_text` (readable by anyone with the file):
  // this run keeps them in memory, the disk forgets them. Real ciphertext whose keychain is only
  // unavailable right now stays where it is.
  if (safeStorage.isEncryptionAvailable() && !encrypted()) {
    for (const name of Object.keys(secrets.store) as SecretName[]) {
      const sealed = secrets.get(name);
      try {
        if (sealed) inMemory.set(name, safeStorage.decryptString(Buffer.from(sealed, 'base64')));
      } catch {
        // Unreadable: nothing to keep.
      }
      secrets.delete(name);
    }
  }

  return {
    get: () => ({ ...DEFAULT_DEVICE_SETTINGS, ...settings.store }),
    set(patch) {
      settings.set({ ...settings.store, ...patch });
      return { ...DEFAULT_DEVICE_SETTINGS, ...settings.store };
    },
    getSecret(name) {
      if (!encrypted()) return inMemory.get(name) ?? null;
      const sealed = secrets.get(name);
      if (!sealed) return null;
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        // A keychain change makes old ciphertext unreadable: forget it, the user signs in again.
        secrets.delete(name);
        return null;
      }
    },
    setSecret(name, value) {
      if (!encrypted()) {
        if (value === null) inMemory.delete(name);
        else inMemory.set(name, value);
        return;
      }
      if (value === null) secrets.delete(name);
      else secrets.set(name, safeStorage.encryptString(value).toString('base64'));
    },
  };
}
